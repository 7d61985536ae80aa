"""The workspace state database: one SQLite file (``.dq/state.sqlite`` in the workspace).

Stages that keep state across runs (golden-ID registry, review decisions, web cache, run history)
declare their tables with :meth:`Store.ensure`; the store records which schemas it has applied.
A file that is not a readable SQLite database, or whose tables are not the ones dq declares, is an
:class:`~dq.errors.InputError` naming the file and what to do, never an internal error.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType

from dq.errors import InputError

__all__ = ["Store", "default_store_path"]

_HINT = (
    "restore it from a backup, or move it away and dq starts a new one; "
    "the golden IDs, review decisions and cached pages kept in it then start afresh"
)


def default_store_path(workspace_dir: Path) -> Path:
    """Where a workspace keeps its state database."""
    return workspace_dir / ".dq" / "state.sqlite"


class Store:
    """A thin owner of one SQLite connection with per-module schema registration."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        in_memory = str(path) == ":memory:"
        if not in_memory:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        existed = not in_memory and self.path.is_file() and self.path.stat().st_size > 0
        try:
            self.conn = sqlite3.connect(str(path))
        except sqlite3.Error as exc:
            raise self._unusable(exc) from None
        try:
            if existed:
                self._check_integrity()
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA foreign_keys=ON")
            self.conn.execute(
                "CREATE TABLE IF NOT EXISTS _schemas (name TEXT PRIMARY KEY, ddl TEXT NOT NULL)"
            )
            self._check_columns("CREATE TABLE _schemas (name TEXT, ddl TEXT)")
        except sqlite3.Error as exc:
            self.conn.close()
            raise self._unusable(exc) from None
        except InputError:
            self.conn.close()
            raise

    def ensure(self, name: str, ddl: str) -> None:
        """Apply ``ddl`` (idempotent ``CREATE … IF NOT EXISTS`` statements) once under ``name``.

        Tables that already exist must have the columns ``ddl`` declares.
        """
        try:
            with self.conn:
                self.conn.executescript(ddl)
                self._check_columns(ddl)
                self.conn.execute(
                    "INSERT OR REPLACE INTO _schemas (name, ddl) VALUES (?, ?)", (name, ddl)
                )
        except sqlite3.Error as exc:
            raise self._unusable(exc) from None

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _check_integrity(self) -> None:
        problems = [row[0] for row in self.conn.execute("PRAGMA quick_check").fetchall()]
        if problems != ["ok"]:
            raise self._unusable(f"damaged ({len(problems)} problem(s), first: {problems[0]})")

    def _check_columns(self, ddl: str) -> None:
        """Every table ``ddl`` declares exists here with exactly the declared columns."""
        declared = sqlite3.connect(":memory:")
        try:
            declared.executescript(ddl)
            tables = [
                row[0]
                for row in declared.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            ]
            for table in tables:
                want = _columns(declared, table)
                have = _columns(self.conn, table)
                if have != want:
                    raise self._unusable(
                        f"table {table!r} has columns {', '.join(have) or '(none)'} where dq "
                        f"expects {', '.join(want)}: it was written by another program"
                    )
        finally:
            declared.close()

    def _unusable(self, problem: object) -> InputError:
        text = str(problem)
        if isinstance(problem, sqlite3.Error):
            text = f"cannot use the state database ({text})"
        else:
            text = f"cannot use the state database: {text}"
        return InputError(text, path=self.path, hint=_HINT)


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    rows = conn.execute("SELECT name FROM pragma_table_info(?)", (table,)).fetchall()
    return [str(row[0]) for row in rows]


@contextmanager
def state_copy(path: Path) -> Iterator[Store | None]:
    """A read-only view of the state database at ``path``: a temporary copy, so golden IDs and
    review decisions are read and nothing is ever written back (``dq audit``, ``dq subject``).
    Yields None when there is no database yet."""
    if not path.is_file():
        yield None
        return
    with tempfile.TemporaryDirectory(prefix="dq-state-") as tmp:
        for suffix in ("", "-wal"):
            src = path.with_name(path.name + suffix)
            if src.is_file():
                shutil.copyfile(src, Path(tmp) / (path.name + suffix))
        try:
            store = Store(Path(tmp) / path.name)
        except InputError as exc:  # name the workspace's file, not the temporary copy
            raise InputError(
                "the state database is damaged or not dq's",
                path=path,
                hint="restore it from a backup or move it away (golden IDs then start afresh)",
            ) from exc
        with store:
            yield store
