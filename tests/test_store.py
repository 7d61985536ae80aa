"""The workspace state database: a damaged or foreign file is a clear input error (exit 3)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dq.cli.app import app
from dq.errors import InputError
from dq.golden.registry import REGISTRY_DDL
from dq.store import Store, default_store_path

DEMO = Path(__file__).resolve().parents[1] / "examples" / "demo"


def _filled(path: Path) -> None:
    """A real store with enough rows to span many pages."""
    with Store(path) as store:
        store.ensure("golden", REGISTRY_DDL)
        rows = [(f"crm:{i}", f"G{i:012d}", 1) for i in range(5000)]
        with store.conn:
            store.conn.executemany("INSERT INTO golden_registry VALUES (?, ?, ?)", rows)
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _garbage(path: Path) -> None:
    path.write_bytes(b"PK\x03\x04 this is a zip file, not a database" * 40)


def _truncated(path: Path) -> None:
    _filled(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])


def _foreign_schema(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE golden_registry (id INTEGER, name TEXT)")
    conn.commit()
    conn.close()


def _foreign_schemas_table(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE _schemas (version INTEGER)")
    conn.commit()
    conn.close()


def _text_file(path: Path) -> None:
    path.write_text("SQLite format 3 is what this line pretends to be\n" * 100, encoding="utf-8")


DAMAGE = {
    "garbage": (_garbage, "file is not a database"),
    "truncated": (_truncated, "malformed"),
    "foreign schema": (_foreign_schema, "table 'golden_registry' has columns id, name"),
    "foreign _schemas": (_foreign_schemas_table, "table '_schemas' has columns version"),
    "text file": (_text_file, "file is not a database"),
}


@pytest.mark.parametrize("case", sorted(DAMAGE))
def test_damaged_store_is_an_input_error(tmp_path: Path, case: str) -> None:
    damage, problem = DAMAGE[case]
    path = tmp_path / "state.sqlite"
    damage(path)
    with pytest.raises(InputError) as err, Store(path) as store:
        store.ensure("golden", REGISTRY_DDL)
    message = str(err.value)
    assert message.startswith(f"{path}: cannot use the state database")
    assert problem in message and "move it away" in message


def test_a_folder_where_the_file_should_be(tmp_path: Path) -> None:
    (tmp_path / "state.sqlite").mkdir()
    with pytest.raises(InputError, match="unable to open database file"):
        Store(tmp_path / "state.sqlite")


def test_healthy_and_empty_stores_open(tmp_path: Path) -> None:
    _filled(tmp_path / "a.sqlite")
    with Store(tmp_path / "a.sqlite") as store:
        store.ensure("golden", REGISTRY_DDL)
        count = store.conn.execute("SELECT count(*) FROM golden_registry").fetchone()[0]
    assert count == 5000
    (tmp_path / "b.sqlite").write_bytes(b"")
    with Store(tmp_path / "b.sqlite") as store:
        store.ensure("golden", REGISTRY_DDL)


@pytest.mark.parametrize("case", ["garbage", "truncated", "foreign schema"])
def test_commands_exit_3_naming_the_state_file(tmp_path: Path, case: str) -> None:
    ws = tmp_path / "demo"
    shutil.copytree(DEMO, ws, ignore=shutil.ignore_patterns(".dq"))
    state = default_store_path(ws)
    state.parent.mkdir(exist_ok=True)
    DAMAGE[case][0](state)
    runner = CliRunner()
    run = runner.invoke(app, ["run", str(ws), "-o", str(tmp_path / "out"), "-q"])
    assert run.exit_code == 3, run.output
    assert run.output.startswith(f"error: {state}: cannot use the state database")
    review = tmp_path / "review.csv"
    review.write_text("left_id,right_id,decision\na:1,b:2,match\n", encoding="utf-8")
    imported = runner.invoke(app, ["review", "import", str(review), "--workspace", str(ws)])
    if case == "foreign schema":  # review decisions live in another table: unaffected
        assert imported.exit_code == 0, imported.output
    else:
        assert imported.exit_code == 3 and str(state) in imported.output
