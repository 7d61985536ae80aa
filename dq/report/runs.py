"""Run history in the workspace state database: every run's metrics, for trends and checks.

Two tables: ``report_runs`` (one row per run: when, as-of, version, configuration hash) and
``report_metrics`` (one row per run and metric series). Series are keyed by name and tags
(:func:`dq.report.metrics.metric_key`), so a later run finds its predecessors' values.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

import pandas as pd

from dq.report.metrics import Metric, RunFacts, metric_key
from dq.store import Store

__all__ = ["HISTORY_COLUMNS", "history", "load_history", "save_run"]

_DDL = """
CREATE TABLE IF NOT EXISTS report_runs (
    run_id      INTEGER PRIMARY KEY AUTOINCREMENT,
    started_at  TEXT,
    finished_at TEXT NOT NULL,
    as_of       TEXT NOT NULL,
    dq_version  TEXT NOT NULL,
    config_hash TEXT NOT NULL,
    workspace   TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS report_metrics (
    run_id INTEGER NOT NULL REFERENCES report_runs(run_id) ON DELETE CASCADE,
    name   TEXT NOT NULL,
    tags   TEXT NOT NULL,
    key    TEXT NOT NULL,
    value  REAL NOT NULL,
    PRIMARY KEY (run_id, key)
);
CREATE INDEX IF NOT EXISTS report_metrics_key ON report_metrics (key, run_id);
"""

HISTORY_COLUMNS = ["run_id", "finished_at", "as_of", "name", "tags", "key", "value"]


def _ensure(store: Store) -> None:
    store.ensure("report", _DDL)


def save_run(store: Store, facts: RunFacts, metrics: Sequence[Metric]) -> int:
    """Store one run and its metrics; returns the new run's id."""
    _ensure(store)
    finished = facts.finished_at or datetime.now(UTC)
    with store.conn:
        cursor = store.conn.execute(
            "INSERT INTO report_runs (started_at, finished_at, as_of, dq_version, config_hash, "
            "workspace) VALUES (?, ?, ?, ?, ?, ?)",
            (
                facts.started_at.isoformat() if facts.started_at else None,
                finished.isoformat(),
                facts.as_of.isoformat(),
                facts.dq_version,
                facts.config_hash,
                facts.workspace,
            ),
        )
        run_id = int(cursor.lastrowid or 0)
        store.conn.executemany(
            "INSERT OR REPLACE INTO report_metrics (run_id, name, tags, key, value) "
            "VALUES (?, ?, ?, ?, ?)",
            [
                (run_id, m.name, json.dumps(dict(m.tags), sort_keys=True), m.key, m.value)
                for m in metrics
            ],
        )
    return run_id


def history(
    store: Store, name: str, tags: Mapping[str, str] | None = None, *, limit: int | None = None
) -> pd.DataFrame:
    """One metric series over the stored runs, oldest first: ``run_id``, ``finished_at``,
    ``as_of``, ``value`` (the last ``limit`` runs that have it)."""
    _ensure(store)
    rows = store.conn.execute(
        "SELECT r.run_id, r.finished_at, r.as_of, m.value FROM report_metrics m "
        "JOIN report_runs r USING (run_id) WHERE m.key = ? ORDER BY r.run_id DESC LIMIT ?",
        (metric_key(name, tags or {}), -1 if limit is None else limit),
    ).fetchall()
    frame = pd.DataFrame(rows[::-1], columns=["run_id", "finished_at", "as_of", "value"])
    return frame.astype({"run_id": "int64", "value": "float64"})


def load_history(store: Store, runs: int, *, before: datetime | None = None) -> pd.DataFrame:
    """Every metric of the last ``runs`` stored runs (that finished ``before``, if given), oldest
    first (:data:`HISTORY_COLUMNS`)."""
    _ensure(store)
    until = before.isoformat() if before is not None else "9999"
    rows = store.conn.execute(
        "SELECT r.run_id, r.finished_at, r.as_of, m.name, m.tags, m.key, m.value "
        "FROM report_metrics m JOIN report_runs r USING (run_id) "
        "WHERE r.run_id IN (SELECT run_id FROM report_runs WHERE finished_at < ? "
        "ORDER BY run_id DESC LIMIT ?) ORDER BY r.run_id, m.key",
        (until, runs),
    ).fetchall()
    return pd.DataFrame(rows, columns=HISTORY_COLUMNS).astype(
        {"run_id": "int64", "value": "float64"}
    )
