"""``dq gdpr`` as a library function: run the stages up to retention, write the GDPR tables, and
with ``apply`` a redacted copy of every output table plus an audit log.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from dq.config import Workspace
from dq.gdpr.apply import redact
from dq.gdpr.policy import load_policy
from dq.gdpr.stage import RetentionSummary, retention_tables
from dq.tables import TableFormat, write_table

__all__ = ["REDACTED_DIR", "GdprRun", "run_gdpr"]

REDACTED_DIR = "redacted"
AUDIT_TABLE = "gdpr_audit"


@dataclass
class GdprRun:
    """What ``dq gdpr`` produced: the summary, the tables, where they went, the overdue rows."""

    summary: RetentionSummary
    tables: dict[str, pd.DataFrame]
    written: dict[str, Path] = field(default_factory=dict)
    overdue: pd.DataFrame = field(default_factory=pd.DataFrame)
    audit: pd.DataFrame | None = None


def run_gdpr(
    workspace: Workspace,
    out_dir: Path,
    *,
    as_of: dt.date | None = None,
    fmt: TableFormat = "parquet",
    apply: bool = False,
    state: Path | None = None,
) -> GdprRun:
    """Run ingest → match, then retention on ``as_of`` (default today); write the tables.

    With ``apply`` the output tables are also written redacted into ``out_dir/redacted`` and
    the audit log into ``out_dir/gdpr_audit``; the sources are never touched.
    """
    from dq.pipeline import run  # the stage runner; heavy imports load only here

    day = as_of or dt.date.today()
    result = run(workspace, out_dir, fmt=fmt, as_of=day.isoformat(), state=state)
    tables = dict(result.tables)
    if len(result.ingest.requests):
        tables["requests"] = result.ingest.requests
    policy = load_policy(workspace.resolve(workspace.gdpr.policy))
    added, summary, verdicts = retention_tables(tables, policy, day)
    tables.update(added)
    written = dict(result.written)
    for name, frame in added.items():
        written[name] = write_table(frame, out_dir, name, fmt)
    overdue = tables["retention"][
        tables["retention"]["due_date"].lt(pd.Timestamp(day)).fillna(False)
        & tables["retention"]["action"].isin(["restrict", "delete"])
    ]
    audit = None
    if apply:
        redaction = redact(tables, verdicts, policy, salt=workspace.gdpr.audit_salt)
        for name, frame in redaction.tables.items():
            if name == "requests":
                continue  # the request log holds identifying data and is no output table
            write_table(frame, out_dir / REDACTED_DIR, name, fmt)
        written[AUDIT_TABLE] = write_table(redaction.audit, out_dir, AUDIT_TABLE, "csv")
        audit = redaction.audit
    return GdprRun(summary, tables, written, overdue, audit)
