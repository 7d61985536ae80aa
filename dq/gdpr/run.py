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

__all__ = ["REDACTED_DIR", "GdprRun", "pipeline_tables", "run_gdpr"]

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


def pipeline_tables(
    workspace: Workspace,
    *,
    as_of: dt.date | None,
    state: Path | None,
    out_dir: Path | None = None,
    fmt: TableFormat = "parquet",
    read_only: bool = False,
) -> tuple[dict[str, pd.DataFrame], dt.date, dict[str, Path]]:
    """Every table of the stages before retention (with the workspace's state database, or a
    copy of it when ``read_only``), the run's as-of day, and, when ``out_dir`` is given, where
    the tables were written."""
    from contextlib import AbstractContextManager

    from dq.pipeline import STAGES, execute, write_outputs  # heavy imports load only here
    from dq.store import Store, default_store_path, state_copy

    path = state or default_store_path(workspace.root)
    before = [(name, stage) for name, stage in STAGES if name != "retention"]
    opened: AbstractContextManager[Store | None] = state_copy(path) if read_only else Store(path)
    with opened as store:
        result = execute(workspace, as_of=as_of, store=store, stages=before)
    if out_dir is not None:
        write_outputs(result, out_dir, fmt)
    return dict(result.tables), result.as_of, dict(result.written)


def run_gdpr(
    workspace: Workspace,
    out_dir: Path,
    *,
    as_of: dt.date | None = None,
    fmt: TableFormat = "parquet",
    apply: bool = False,
    state: Path | None = None,
) -> GdprRun:
    """Run the stages, then retention on ``as_of`` (default: the workspace's, else today);
    write every table into ``out_dir``.

    With ``apply`` the output tables are also written redacted into ``out_dir/redacted`` and
    the audit log into ``out_dir/gdpr_audit``; the sources are never touched.
    """
    tables, day, written = pipeline_tables(
        workspace, as_of=as_of, state=state, out_dir=out_dir, fmt=fmt
    )
    policy = load_policy(workspace.resolve(workspace.gdpr.policy))
    added, summary, verdicts = retention_tables(tables, policy, day)
    tables.update(added)
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
            if name.startswith("_"):
                continue  # tables between stages (the request log, pairs) are no output
            write_table(frame, out_dir / REDACTED_DIR, name, fmt)
        written[AUDIT_TABLE] = write_table(redaction.audit, out_dir, AUDIT_TABLE, "csv")
        audit = redaction.audit
    return GdprRun(summary, tables, written, overdue, audit)
