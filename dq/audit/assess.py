"""`dq audit`: run the stages read-only, judge migration readiness, write import files.

:func:`audit` computes everything and writes nothing; :func:`write_audit` writes the verdict
(JSON, Markdown, HTML), the import files, ``field_map.csv`` and ``excluded.csv`` into one folder.
The workspace's state database is read from a copy: the audit leaves no trace in the workspace.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from dq.audit.exports import blank_duplicates, import_frame, import_rows, write_split
from dq.audit.settings import AuditSettings
from dq.audit.targets import Target, load_target
from dq.audit.verdict import Reason, Verdict, decide, field_map, gdpr_excluded, reasons
from dq.config import Workspace
from dq.errors import InputError
from dq.store import default_store_path, state_copy

__all__ = ["AuditResult", "audit", "read_target_fields", "write_audit"]


@dataclass
class AuditResult:
    """The verdict with its reasons, the figures, the import files' rows and the field map."""

    target: Target
    verdict: Verdict
    reasons: list[Reason]
    figures: dict[str, Any]
    files: dict[str, pd.DataFrame]
    field_map: pd.DataFrame
    excluded: pd.DataFrame
    as_of: date
    written: dict[str, list[Path]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """The verdict, reasons and figures as plain data (``audit.json``)."""
        return {
            "target": self.target.name,
            "verdict": self.verdict,
            "as_of": self.as_of.isoformat(),
            "reasons": [r.as_dict() for r in self.reasons],
            "figures": self.figures,
            "files": {name: len(frame) for name, frame in self.files.items()},
            "target_rules": self.target.source,
        }


def read_target_fields(path: Path) -> dict[str, set[str]]:
    """Picklists from a target property export: CSV with ``column`` (the target header) and
    ``options`` (allowed values separated by ``;``)."""
    from dq.tables import read_table

    frame = read_table(path)
    missing = [c for c in ("column", "options") if c not in frame.columns]
    if missing:
        raise InputError(
            f"missing column(s) {', '.join(missing)}",
            path=path,
            hint="a target-fields file has the columns 'column' and 'options' (values split by ;)",
        )
    out: dict[str, set[str]] = {}
    for column, options in frame[["column", "options"]].dropna().itertuples(index=False):
        out[str(column)] = {o.strip() for o in str(options).split(";") if o.strip()}
    return out


def audit(
    workspace: Workspace,
    target: str = "generic",
    *,
    as_of: date | str | None = None,
    target_fields: Path | None = None,
    include_restricted: bool = False,
    settings: AuditSettings | None = None,
) -> AuditResult:
    """Judge whether ``workspace``'s customer data is ready to migrate into ``target``.

    Runs every stage read-only, builds the target's import files from golden customers and
    contacts (customers to delete under the retention policy left out, restricted ones too
    unless ``include_restricted``) and decides: ready / ready with warnings / not ready.
    """
    from dq.pipeline import execute

    layout = load_target(target)
    picklists = read_target_fields(target_fields) if target_fields is not None else None
    settings = settings or workspace.audit
    with state_copy(default_store_path(workspace.root)) as store:
        run = execute(workspace, as_of=as_of, store=store)
    tables = run.tables
    excluded = gdpr_excluded(tables, include_restricted)
    contacts = tables.get("contacts", pd.DataFrame(columns=["contact_id", "golden_id"]))
    files = {
        f.name: import_frame(
            f, import_rows(tables["golden"], contacts, f.rows, pd.Index(excluded["golden_id"]))
        )
        for f in layout.files
    }
    found = reasons(tables, files, layout, settings, excluded, picklists)
    files = {f.name: blank_duplicates(files[f.name], f) for f in layout.files}
    return AuditResult(
        target=layout,
        verdict=decide(found),
        reasons=found,
        figures=_figures(tables, files),
        files=files,
        field_map=field_map(files, layout),
        excluded=excluded,
        as_of=run.as_of,
    )


def _figures(tables: dict[str, pd.DataFrame], files: dict[str, pd.DataFrame]) -> dict[str, Any]:
    crosswalk, golden = tables["crosswalk"], tables["golden"]
    per_source = crosswalk.groupby(["source", "role"]).size().unstack(fill_value=0)
    customer_records = int((crosswalk["role"] == "customer").sum())
    party = golden["party_type"].astype("string")
    return {
        "records": len(crosswalk),
        "records_per_source": {
            str(s): {str(r): int(n) for r, n in row.items()} for s, row in per_source.iterrows()
        },
        "rejected_rows": len(tables.get("rejects", ())),
        "customers": len(golden),
        "companies": int(party.eq("company").sum()),
        "private_persons": int(party.eq("person").sum()),
        "contacts": len(tables.get("contacts", ())),
        "duplicate_rate": round(1 - len(golden) / customer_records, 4) if customer_records else 0,
        "review_pairs": len(tables.get("review", ())),
        "import_rows": {name: len(frame) for name, frame in files.items()},
    }


def write_audit(result: AuditResult, out_dir: Path) -> AuditResult:
    """Write the verdict (audit.json/.md/.html), the import files, field_map.csv, excluded.csv."""
    import json

    from dq.audit.render import render_html, render_markdown

    out_dir.mkdir(parents=True, exist_ok=True)
    for name, frame in result.files.items():
        result.written[name] = write_split(frame, out_dir, name, result.target)
    result.written["field_map"] = write_split(result.field_map, out_dir, "field_map", result.target)
    result.written["excluded"] = write_split(result.excluded, out_dir, "excluded", result.target)
    data = result.as_dict()
    data["written"] = {k: [p.name for p in v] for k, v in result.written.items()}
    (out_dir / "audit.json").write_text(
        json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8"
    )
    (out_dir / "audit.md").write_text(render_markdown(result), encoding="utf-8")
    (out_dir / "audit.html").write_text(render_html(result), encoding="utf-8")
    result.written["audit"] = [out_dir / f"audit.{e}" for e in ("json", "md", "html")]
    return result
