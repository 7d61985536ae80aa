"""The ``retention`` stage: privacy requests matched, verdicts per customer and contact, manifest.

Reads ``golden``, ``contacts``, ``records``, ``transactions``, ``interactions`` and, when a
privacy-requests source was read, ``requests``; adds ``retention``, ``deletion_manifest`` and
``privacy_requests`` (empty without a request log) and replaces ``contacts`` with the verdict
columns added.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from dq.gdpr.manifest import deletion_manifest
from dq.gdpr.policy import RetentionPolicy, load_policy
from dq.gdpr.requests import match_requests
from dq.gdpr.retention import RetentionResult, retention
from dq.stage import StageContext, StageOutput, Tables

__all__ = ["RetentionSummary", "retention_stage", "retention_tables"]

_ACTIONS = ("keep", "restrict", "delete")


@dataclass(frozen=True)
class RetentionSummary:
    """Counts of the retention stage: customers and contacts per action, overdue, requests."""

    as_of: dt.date
    customers: dict[str, int] = field(default_factory=dict)
    contacts: dict[str, int] = field(default_factory=dict)
    overdue: int = 0
    overdue_contacts: int = 0
    requests: dict[str, int] = field(default_factory=dict)
    disclaimer: str = ""

    def headline(self) -> str:
        """One line for the run's summary (``dq run``, ``dq demo``): counts per action."""
        customers = ", ".join(f"{self.customers.get(a, 0):,} {a}" for a in _ACTIONS)
        contacts = ", ".join(
            f"{self.contacts.get(a, 0):,} {a}" for a in _ACTIONS if self.contacts.get(a, 0)
        )
        line = f"Retention: customers {customers} ({self.overdue:,} overdue)"
        if contacts:
            line += f"; contacts {contacts} ({self.overdue_contacts:,} overdue)"
        if self.requests:
            line += "; privacy requests " + ", ".join(
                f"{n:,} {status}" for status, n in sorted(self.requests.items())
            )
        return line


def retention_tables(
    tables: Tables, policy: RetentionPolicy, as_of: dt.date
) -> tuple[dict[str, pd.DataFrame], RetentionSummary, RetentionResult]:
    """The retention stage's tables and summary, from named tables and a policy."""
    golden = tables["golden"]
    contacts = tables.get("contacts")
    out: dict[str, pd.DataFrame] = {}
    raw_requests = tables.get("_requests")  # the request log: identifying data, never written
    if raw_requests is None:  # no request log: the table is written empty, with its columns
        raw_requests = pd.DataFrame(columns=["request_id", "type", "received_at"])
    matched = match_requests(raw_requests, golden, contacts)
    out["privacy_requests"] = matched
    result = retention(
        golden,
        policy,
        as_of,
        contacts=contacts,
        records=tables.get("records"),
        transactions=tables.get("transactions"),
        interactions=tables.get("interactions"),
        requests=matched,
    )
    out["retention"] = result.retention
    if contacts is not None:
        out["contacts"] = result.contacts
    out["deletion_manifest"] = deletion_manifest(result, tables.get("records"))
    today = pd.Timestamp(as_of)
    summary = RetentionSummary(
        as_of=as_of,
        customers=result.counts,
        contacts={a: int((result.contacts["action"] == a).sum()) for a in _ACTIONS},
        overdue=result.overdue,
        overdue_contacts=int((result.contacts["due_date"] < today).sum()),
        requests={str(k): int(v) for k, v in matched["status"].value_counts().items()},
        disclaimer=policy.disclaimer,
    )
    return out, summary, result


def retention_stage(tables: Tables, ctx: StageContext) -> StageOutput:
    """Stage seam: the workspace's deletion concept applied on the run's as-of day."""
    workspace = ctx.workspace
    policy = load_policy(workspace.resolve(workspace.gdpr.policy))
    out, summary, _ = retention_tables(tables, policy, ctx.as_of)
    return StageOutput(tables=out, result=summary)
