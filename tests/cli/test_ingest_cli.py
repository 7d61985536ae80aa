"""The CLI as users see it: exit codes, one-line errors, outputs, the console script."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import dq.cli.app  # noqa: F401  (registers the commands)
from dq.cli._typer import app

DATA = Path(__file__).parent.parent / "data"
runner = CliRunner()


def test_ingest_one_file_writes_every_table(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        ["ingest", "--file", str(DATA / "datev" / "EXTF_Debitoren_v5_cp1252.csv"), "-c", "datev-debitoren",
         "-o", str(tmp_path), "--format", "csv"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    for name in ("records", "transactions", "interactions", "rejects"):
        assert (tmp_path / f"{name}.csv").is_file()
    records = pd.read_csv(tmp_path / "records.csv", dtype=str)
    assert "01067" in set(records["postcode"])
    assert "rows per file" in result.output


def test_parquet_is_the_default(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["ingest", "-f", str(DATA / "connectors" / "hubspot-companies.csv"), "-c", "hubspot-companies",
              "-o", str(tmp_path), "-q"],
    )  # fmt: skip
    assert result.exit_code == 0
    assert result.output == ""
    assert len(pd.read_parquet(tmp_path / "records.parquet")) == 2


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["ingest", "-f", "nope.csv", "-c", "generic-csv"], 3, "nope.csv: file not found"),
        (["ingest", "-f", "{data}/connectors/generic.csv", "-c", "sap"], 3, "unknown connector 'sap'"),
        (["ingest", "-f", "{data}/connectors/generic.csv"], 2, "--file needs --connector"),
        (["ingest", "--bogus"], 2, "No such option"),
        (["ingest", "{tmp}"], 3, "dq.yaml: file not found"),
        (["ingest", "-f", "{data}/datev/EXTF_Debitoren_v5_cp1252.csv", "-c", "hubspot-companies"], 3,
         "this is a DATEV file"),
    ],
)  # fmt: skip
def test_errors_are_one_line_with_exit_code(
    tmp_path: Path, args: list[str], code: int, message: str
) -> None:
    args = [a.format(data=DATA, tmp=tmp_path) for a in args] + ["-o", str(tmp_path / "out")]
    result = runner.invoke(app, args)
    assert result.exit_code == code, result.output
    assert message in result.output
    assert "Traceback" not in result.output


def test_malformed_config_reports_all_problems(tmp_path: Path) -> None:
    (tmp_path / "dq.yaml").write_text("projekt: {}\nsources: [{name: a}]\n", encoding="utf-8")
    result = runner.invoke(app, ["ingest", str(tmp_path), "-o", str(tmp_path / "out")])
    assert result.exit_code == 3
    assert "projekt: unknown key" in result.output
    assert "sources[0].connector" in result.output


def test_connectors_lists_profiles() -> None:
    result = runner.invoke(app, ["connectors"])
    assert result.exit_code == 0
    for name in ("datev-debitoren", "salesforce-contacts", "pipedrive-persons", "excel"):
        assert name in result.output


def _command_names() -> list[str]:
    import typer.main

    group = typer.main.get_command(app)
    return sorted(group.commands)  # type: ignore[attr-defined]


@pytest.mark.parametrize("command", _command_names())
def test_every_command_has_help(command: str) -> None:
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "Usage" in result.output


def test_every_command_is_documented_in_the_readme() -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    for command in _command_names():
        assert f"dq {command}" in readme, command


def test_console_script_in_a_real_process(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])}
    proc = subprocess.run(
        [sys.executable, "-m", "dq", "ingest", "-f", str(tmp_path / "missing.csv"), "-c", "generic-csv",
         "-o", str(tmp_path)],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    assert proc.returncode == 3
    assert "missing.csv: file not found" in proc.stderr
    assert "Traceback" not in proc.stderr
    debug = subprocess.run(
        [sys.executable, "-m", "dq", "--debug", "ingest", "-f", str(tmp_path / "missing.csv"), "-c",
         "generic-csv"],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    assert "Traceback" in debug.stderr


def test_strict_and_warnings(tmp_path: Path) -> None:
    path = tmp_path / "kunden-alt.csv"
    path.write_bytes("Kundennummer;Firma\n1;Müller\n".encode() + "2;Bäcker\n".encode("cp1252"))
    args = ["ingest", "-f", str(path), "-c", "generic-csv", "-o", str(tmp_path / "out")]
    lenient = runner.invoke(app, args)
    assert lenient.exit_code == 0, lenient.output
    assert len(pd.read_parquet(tmp_path / "out" / "rejects.parquet")) == 1
    strict = runner.invoke(app, [*args, "--strict"])
    assert strict.exit_code == 3
    assert "kunden-alt.csv, line 3" in " ".join(strict.output.split())
