"""Rebuild the report of an earlier run from its output folder (``dq report OUT_DIR``).

The tables are read back with :func:`dq.tables.read_table`; the run's facts (as-of, timings,
per-file counts) come from the report.json the run wrote. A rebuild reads the history for trends
but adds no run to it.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pandas as pd

from dq.errors import InputError
from dq.report.metrics import RunFacts
from dq.report.render import ReportResult, write_report
from dq.report.settings import ReportSettings
from dq.store import Store
from dq.tables import read_table

__all__ = ["build_report", "read_run_tables"]

_SUFFIXES = (".parquet", ".csv")


def read_run_tables(out_dir: Path) -> dict[str, pd.DataFrame]:
    """Every table in a run's output folder by name (Parquet preferred over CSV)."""
    if not out_dir.is_dir():
        raise InputError("output folder not found", path=out_dir, hint="pass the --out of a run")
    tables: dict[str, pd.DataFrame] = {}
    for suffix in _SUFFIXES:
        for path in sorted(out_dir.glob(f"*{suffix}")):
            tables.setdefault(path.stem, read_table(path))
    if not tables:
        raise InputError(
            "no output tables (.parquet or .csv) in this folder",
            path=out_dir,
            hint="run `dq run -o OUT_DIR` first",
        )
    return tables


def _facts(out_dir: Path, language: str | None) -> RunFacts:
    path = out_dir / "report.json"
    facts = RunFacts(as_of=date.today())
    if path.is_file():
        try:
            facts = RunFacts.from_dict(json.loads(path.read_text(encoding="utf-8"))["facts"])
        except (ValueError, KeyError, TypeError) as exc:
            raise InputError(
                f"cannot read the run facts: {type(exc).__name__}",
                path=path,
                hint="delete report.json to rebuild without them",
            ) from exc
    if language is not None:
        facts = RunFacts(**{**facts.__dict__, "language": language})
    return facts


def build_report(
    out_dir: Path,
    *,
    store: Store | None = None,
    show_values: bool = False,
    settings: ReportSettings | None = None,
    language: str | None = None,
) -> ReportResult:
    """Rewrite report.html/.json/.md in ``out_dir`` from the tables stored there."""
    tables = read_run_tables(out_dir)
    facts = _facts(out_dir, language)
    return write_report(
        tables,
        facts,
        out_dir,
        store=store,
        show_values=show_values,
        settings=settings,
        record=False,
    )
