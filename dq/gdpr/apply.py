"""Applying verdicts to a copy of the output tables: deleted customers removed, restricted ones
reduced to the field groups their running retention keeps, and an audit log with hashed IDs.

Source systems are never written: this works on the run's tables only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dq.gdpr.policy import RetentionPolicy
from dq.gdpr.retention import RetentionResult

__all__ = ["AUDIT_COLUMNS", "Redaction", "redact"]

AUDIT_COLUMNS = ("at", "as_of", "table", "action", "subject", "rule", "rows")
# Tables that record the verdicts themselves (IDs only): copied unchanged.
_EVIDENCE = {"retention", "deletion_manifest", "privacy_requests", "gdpr_audit"}
_IDS = {"record_id", "source", "source_key", "source_file", "source_row", "golden_id"}
_IDS |= {"contact_id", "record_ids", "role", "restricted"}


@dataclass
class Redaction:
    """The redacted tables by name and the audit log (one row per table, subject and action)."""

    tables: dict[str, pd.DataFrame]
    audit: pd.DataFrame


def _hash(ids: pd.Series, salt: str) -> pd.Series:
    """SHA-256 of salt and ID, 16 hex digits, once per distinct ID."""
    distinct = ids.dropna().unique()
    digests = {
        value: hashlib.sha256(f"{salt}:{value}".encode()).hexdigest()[:16] for value in distinct
    }
    return ids.map(digests).astype("string")


def redact(
    tables: dict[str, pd.DataFrame],
    result: RetentionResult,
    policy: RetentionPolicy,
    *,
    salt: str = "",
    now: dt.datetime | None = None,
) -> Redaction:
    """Apply ``result``'s verdicts to ``tables``; returns the redacted copies and the audit log."""
    verdicts = result.retention
    deleted = set(verdicts.loc[verdicts["action"] == "delete", "golden_id"].dropna())
    restricted_mask = (verdicts["action"] == "restrict").to_numpy(dtype=bool)
    running = pd.Series(
        result.running_rules.to_numpy()[restricted_mask],
        index=pd.Index(verdicts["golden_id"].to_numpy()[restricted_mask]),
    )
    contacts = result.contacts
    gone_contacts = (
        set(contacts.loc[contacts["action"] == "delete", "contact_id"].dropna())
        if len(contacts)
        else set()
    )

    out: dict[str, pd.DataFrame] = {}
    audit: list[pd.DataFrame] = []
    for name, frame in tables.items():
        if name in _EVIDENCE or not isinstance(frame, pd.DataFrame):
            out[name] = frame
            continue
        keep = np.ones(len(frame), dtype=bool)
        reason = pd.Series(pd.NA, index=frame.index, dtype="string")
        if "golden_id" in frame.columns:
            gid = frame["golden_id"].astype("string")
            is_deleted = gid.isin(deleted).fillna(False).to_numpy(dtype=bool)
            keep &= ~is_deleted
            reason[is_deleted] = "removed"
        if "contact_id" in frame.columns:
            gone = frame["contact_id"].astype("string").isin(gone_contacts).fillna(False)
            keep &= ~gone.to_numpy(dtype=bool)
            reason[gone.to_numpy(dtype=bool)] = "removed"
        redacted = frame[keep].copy()
        if "golden_id" in redacted.columns and len(running):
            redacted, restricted = _restrict(name, redacted, running, policy)
            reason[restricted.reindex(frame.index, fill_value=False).to_numpy(dtype=bool)] = (
                "restricted"
            )
            dropped = ~frame.index.isin(redacted.index) & reason.isna().to_numpy()
            reason[dropped] = "removed"
        out[name] = redacted.reset_index(drop=True)
        audit.append(_audit_rows(name, frame, reason, verdicts, contacts, salt))
    stamp = (now or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds")
    log = pd.concat(audit, ignore_index=True) if audit else pd.DataFrame()
    if len(log):
        log.insert(0, "as_of", result.as_of.isoformat())
        log.insert(0, "at", stamp)
    else:
        log = pd.DataFrame({c: pd.Series(dtype="string") for c in AUDIT_COLUMNS})
    return Redaction(out, log[list(AUDIT_COLUMNS)])


def _restrict(
    name: str, frame: pd.DataFrame, running: pd.Series, policy: RetentionPolicy
) -> tuple[pd.DataFrame, pd.Series]:
    """Restricted customers' rows: bookings and letters kept only while a rule needs them; other
    rows reduced to the kept field groups and marked ``restricted``."""
    gid = frame["golden_id"].astype("string")
    rules = gid.map(running)
    hit = rules.notna()
    if not hit.any():
        frame["restricted"] = False
        return frame, hit
    if name in ("transactions", "interactions"):
        needed = pd.Series(False, index=frame.index)
        for combo in rules[hit].unique():
            chosen = [policy.rules[r] for r in str(combo).split(",")]
            rows = hit & (rules == combo)
            if name == "transactions":
                booked = [r for r in chosen if r.start == "last_booking"]
                if booked:
                    needed |= rows
            else:
                letters = [r for r in chosen if r.start == "last_interaction"]
                if any(r.kinds is None for r in letters):
                    needed |= rows
                elif letters:
                    kinds = {k for r in letters for k in r.kinds or []}
                    needed |= rows & frame["kind"].astype("string").isin(kinds).fillna(False)
        frame = frame[~hit | needed].copy()
        frame["restricted"] = hit[~hit | needed]
        return frame, hit[~hit | needed]
    for combo in rules[hit].unique():
        groups = {g for r in str(combo).split(",") for g in policy.rules[r].keeps}
        fields = set(policy.fields_of(sorted(groups)))
        rows = (hit & (rules == combo)).to_numpy(dtype=bool)
        for column in frame.columns:
            base = column.removesuffix("__from")
            if column in _IDS or base in fields:
                continue
            frame[column] = frame[column].mask(rows)
    frame["restricted"] = hit.to_numpy(dtype=bool)
    return frame, hit


def _audit_rows(
    table: str,
    frame: pd.DataFrame,
    reason: pd.Series,
    verdicts: pd.DataFrame,
    contacts: pd.DataFrame,
    salt: str,
) -> pd.DataFrame:
    """One audit row per (subject, action) in ``table``: hashed subject, rule, row count."""
    touched = reason.notna().to_numpy(dtype=bool)
    if not touched.any():
        return pd.DataFrame()
    subject = pd.Series(pd.NA, index=frame.index, dtype="string")
    rule = pd.Series(pd.NA, index=frame.index, dtype="string")
    if "golden_id" in frame.columns:
        subject = frame["golden_id"].astype("string")
        rule = subject.map(verdicts.set_index("golden_id")["rule"]).astype("string")
    if "contact_id" in frame.columns and len(contacts):
        cid = frame["contact_id"].astype("string")
        by_contact = cid.map(contacts.set_index("contact_id")["rule"]).astype("string")
        contact_rows = cid.notna() & reason.eq("removed") & by_contact.notna()
        subject = subject.mask(contact_rows, cid)
        rule = rule.mask(contact_rows, by_contact)
    rows = pd.DataFrame(
        {"subject": _hash(subject[touched], salt), "action": reason[touched], "rule": rule[touched]}
    )
    counted = rows.groupby(["subject", "action", "rule"], dropna=False).size()
    out = counted.rename("rows").reset_index()
    out.insert(0, "table", table)
    return out
