"""Subject access (Art. 15 DSGVO): everything dq holds about one person, with sources, purposes,
retention and legal basis, as one JSON and one Markdown export.

The person is found with the privacy-request matcher (same standardising and keys), so a query
that fits several people is refused with the candidate IDs instead of guessed. A customer's
export holds its own records, bookings, notes and requests, never its contact persons' records;
a contact's export holds only that contact. Nothing is masked: the export is for the person.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from dq.config import Workspace
from dq.errors import InputError
from dq.gdpr.policy import RetentionPolicy
from dq.gdpr.requests import match_requests
from dq.gdpr.stage import retention_tables
from dq.stage import Tables

__all__ = ["SubjectAccess", "find_subject", "subject_access", "write_subject"]

_PHONE = re.compile(r"^[+\d][\d\s/()\-.]{5,}$")


@dataclass
class SubjectAccess:
    """One person's data: who (golden_id, contact_id), the tables, the verdict and the rules."""

    golden_id: str
    contact_id: str | None
    as_of: dt.date
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    verdict: dict[str, Any] = field(default_factory=dict)
    rules: list[dict[str, str]] = field(default_factory=list)
    disclaimer: str = ""

    @property
    def subject_id(self) -> str:
        """The ID the export files are named after (no personal data)."""
        return self.contact_id or self.golden_id


def _query_fields(query: str) -> dict[str, str]:
    """Which identifying fields a free query can be: e-mail, phone and customer number, name."""
    text = query.strip()
    if "@" in text:
        return {"email": text}
    if _PHONE.match(text) or text.isdigit():
        return {"phone": text, "customer_number": text}
    if any(ch.isdigit() for ch in text) and " " not in text:
        return {"customer_number": text}
    return {"name": text}


def find_subject(
    tables: Tables, query: str, policy: RetentionPolicy, as_of: dt.date
) -> SubjectAccess:
    """The person ``query`` (e-mail, phone, customer number or name) names, with all their data.

    Raises :class:`InputError` when nobody or more than one person fits (candidate IDs listed).
    """
    fields = _query_fields(query)
    request = pd.DataFrame(
        [{"request_id": "query", "type": "access", "received_at": pd.Timestamp(as_of), **fields}]
    )
    found = match_requests(request, tables["golden"], tables.get("contacts")).iloc[0]
    if found["status"] == "ambiguous":
        raise InputError(
            f"the query fits several people ({found['candidates']})",
            hint="give an e-mail address or customer number, or one of the IDs shown",
        )
    if found["status"] != "matched":
        ids = _by_id(tables, query.strip())
        if ids is None:
            raise InputError("no person found for the query", hint="try e-mail or customer number")
        found = pd.Series({"golden_id": ids[0], "contact_id": ids[1]})
    golden_id = str(found["golden_id"])
    contact_id = None if pd.isna(found["contact_id"]) else str(found["contact_id"])
    added, summary, result = retention_tables(tables, policy, as_of)
    out = SubjectAccess(golden_id, contact_id, as_of, disclaimer=summary.disclaimer)
    if contact_id is None:
        verdicts = added["retention"]
        row = verdicts[verdicts["golden_id"] == golden_id]
        running = result.running_rules[row.index].dropna()
        out.tables = _customer_tables(tables, added, golden_id)
    else:
        verdicts = added.get("contacts", result.contacts)
        row = verdicts[verdicts["contact_id"] == contact_id]
        running = pd.Series([], dtype="string")
        out.tables = _contact_tables(tables, added, contact_id, row)
    out.verdict = _records(row)[0] if len(row) else {}
    names = {out.verdict.get("rule")} | {r for combo in running for r in str(combo).split(",")}
    if contact_id is None:
        status = out.verdict.get("customer_status")
        names |= {r.name for r in policy.of_kind("purpose") if r.applies_to == status}
    out.rules = [
        {
            "rule": r.name,
            "category": r.category,
            "period": r.period or "",
            "counted_from": r.from_ if r.period else "",
            "legal_basis": r.legal_basis,
        }
        for r in policy.rules.values()
        if r.name in names
    ]
    return out


def _by_id(tables: Tables, text: str) -> tuple[str, str | None] | None:
    """A golden_id or contact_id typed as the query."""
    golden = tables["golden"]
    if (golden["golden_id"] == text).any():
        return text, None
    contacts = tables.get("contacts")
    if contacts is not None and (contacts["contact_id"] == text).any():
        row = contacts[contacts["contact_id"] == text].iloc[0]
        return str(row["golden_id"]), text
    return None


def _rows(frame: pd.DataFrame | None, column: str, value: str) -> pd.DataFrame:
    if frame is None or column not in frame.columns:
        return pd.DataFrame()
    return frame[frame[column].astype("string") == value].reset_index(drop=True)


def _customer_tables(
    tables: Tables, added: dict[str, pd.DataFrame], golden_id: str
) -> dict[str, pd.DataFrame]:
    records = _rows(tables.get("records"), "golden_id", golden_id)
    if "contact_id" in records.columns:  # contact persons' records are other people's data
        records = records[records["contact_id"].isna()].reset_index(drop=True)
    requests = _rows(added.get("privacy_requests"), "golden_id", golden_id)
    if "contact_id" in requests.columns:
        requests = requests[requests["contact_id"].isna()]
    return {
        "customer": _rows(tables["golden"], "golden_id", golden_id),
        "records": records,
        "bookings": _rows(tables.get("transactions"), "golden_id", golden_id),
        "notes": _rows(tables.get("interactions"), "golden_id", golden_id),
        "privacy_requests": requests,
    }


def _contact_tables(
    tables: Tables, added: dict[str, pd.DataFrame], contact_id: str, row: pd.DataFrame
) -> dict[str, pd.DataFrame]:
    return {
        "contact": row.reset_index(drop=True),
        "records": _rows(tables.get("records"), "contact_id", contact_id),
        "notes": _rows(tables.get("interactions"), "contact_id", contact_id),
        "privacy_requests": _rows(added.get("privacy_requests"), "contact_id", contact_id),
    }


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as JSON-ready dicts: dates as ISO days, nulls left out."""
    out = []
    for row in frame.to_dict(orient="records"):
        clean: dict[str, Any] = {}
        for key, value in row.items():
            if value is None or (not isinstance(value, str | list) and pd.isna(value)):
                continue
            if isinstance(value, pd.Timestamp | dt.date):
                value = value.date().isoformat() if isinstance(value, pd.Timestamp) else str(value)
            elif hasattr(value, "item"):
                value = value.item()
            clean[str(key)] = value
        out.append(clean)
    return out


def write_subject(access: SubjectAccess, out_dir: Path) -> dict[str, Path]:
    """Write ``subject-<id>.json`` and ``subject-<id>.md`` into ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    data = {
        "subject": {"golden_id": access.golden_id, "contact_id": access.contact_id},
        "as_of": access.as_of.isoformat(),
        "retention": access.verdict,
        "purposes_and_legal_basis": access.rules,
        "data": {name: _records(frame) for name, frame in access.tables.items()},
        "note": access.disclaimer,
    }
    base = out_dir / f"subject-{access.subject_id}"
    json_path = base.with_suffix(".json")
    json_path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    md_path = base.with_suffix(".md")
    md_path.write_text(_markdown(data), encoding="utf-8")
    return {"json": json_path, "markdown": md_path}


def _markdown(data: dict[str, Any]) -> str:
    subject = data["subject"]
    who = subject["contact_id"] or subject["golden_id"]
    lines = [
        f"# Subject access export ({who})",
        "",
        f"As of {data['as_of']}. Art. 15 DSGVO: the personal data held, where it comes from, "
        "why it is processed, how long it is kept and on which legal basis.",
        "",
        "## Retention",
        "",
    ]
    lines += [f"- **{k}**: {v}" for k, v in data["retention"].items()]
    lines += ["", "## Purposes and legal basis", ""]
    for rule in data["purposes_and_legal_basis"]:
        period = f", {rule['period']} from {rule['counted_from']}" if rule["period"] else ""
        lines.append(f"- **{rule['category']}** ({rule['rule']}{period}): {rule['legal_basis']}")
    for name, rows in data["data"].items():
        lines += ["", f"## {name.replace('_', ' ').capitalize()} ({len(rows)})", ""]
        for i, row in enumerate(rows, 1):
            source = row.get("source") or row.get("record_id") or ""
            lines.append(f"### {i}. {source}".rstrip())
            lines += [f"- {k}: {v}" for k, v in row.items()]
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def subject_access(
    workspace: Workspace,
    query: str,
    out_dir: Path,
    *,
    as_of: dt.date | None = None,
    state: Path | None = None,
) -> tuple[SubjectAccess, dict[str, Path]]:
    """Run the stages on ``workspace`` read-only, find the person ``query`` names, write the
    export (the workspace and its state database are left untouched)."""
    from dq.gdpr.policy import load_policy
    from dq.gdpr.run import pipeline_tables

    tables, day, _ = pipeline_tables(workspace, as_of=as_of, state=state, read_only=True)
    policy = load_policy(workspace.resolve(workspace.gdpr.policy))
    access = find_subject(tables, query, policy, day)
    return access, write_subject(access, out_dir)
