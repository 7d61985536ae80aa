"""The workspace state database: one SQLite file (``.dq/state.sqlite`` in the workspace).

Stages that keep state across runs (golden-ID registry, review decisions, web cache, run history)
declare their tables with :meth:`Store.ensure`; the store records which schemas it has applied.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from types import TracebackType

__all__ = ["Store", "default_store_path"]


def default_store_path(workspace_dir: Path) -> Path:
    """Where a workspace keeps its state database."""
    return workspace_dir / ".dq" / "state.sqlite"


class Store:
    """A thin owner of one SQLite connection with per-module schema registration."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self.conn = sqlite3.connect(str(path))
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA foreign_keys=ON")
        self.conn.execute(
            "CREATE TABLE IF NOT EXISTS _schemas (name TEXT PRIMARY KEY, ddl TEXT NOT NULL)"
        )

    def ensure(self, name: str, ddl: str) -> None:
        """Apply ``ddl`` (idempotent ``CREATE … IF NOT EXISTS`` statements) once under ``name``."""
        with self.conn:
            self.conn.executescript(ddl)
            self.conn.execute(
                "INSERT OR REPLACE INTO _schemas (name, ddl) VALUES (?, ?)", (name, ddl)
            )

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
