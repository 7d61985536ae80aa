"""The readiness verdict of a pre-migration audit: figures, reasons, and what decides.

Every reason has a level — ``blocker`` (not ready) or ``warning`` (ready with warnings) — a code,
a message a consultant can forward, the count and share it is about, and a few examples (IDs, or
masked values). Thresholds come from the ``audit:`` section of dq.yaml.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

import pandas as pd

from dq.audit.settings import AuditSettings
from dq.audit.targets import Target
from dq.validate.masking import mask_values

__all__ = ["Reason", "Verdict", "conflicts", "decide", "field_map", "gdpr_excluded", "reasons"]

Level = Literal["blocker", "warning"]
Verdict = Literal["ready", "ready with warnings", "not ready"]


@dataclass
class Reason:
    """One finding that decides the verdict."""

    level: Level
    code: str
    message: str
    count: int
    share: float | None = None
    examples: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return asdict(self)


def decide(found: list[Reason]) -> Verdict:
    """Not ready with any blocker, ready with warnings with any warning, else ready."""
    if any(r.level == "blocker" for r in found):
        return "not ready"
    return "ready with warnings" if found else "ready"


def gdpr_excluded(tables: dict[str, pd.DataFrame], include_restricted: bool) -> pd.DataFrame:
    """``golden_id, action`` of the customers that must not be migrated (from ``retention``)."""
    retention = tables.get("retention")
    if retention is None or "action" not in retention.columns:
        return pd.DataFrame({"golden_id": pd.Series(dtype="string"), "action": []})
    blocked = {"delete"} if include_restricted else {"delete", "restrict"}
    rows = retention[retention["action"].astype("string").isin(blocked).fillna(False)]
    return rows[["golden_id", "action"]].reset_index(drop=True)


def field_map(files: dict[str, pd.DataFrame], target: Target) -> pd.DataFrame:
    """Per target column: the dq field that fills it, rows, filled rows and the filled share."""
    rows = []
    for layout in target.files:
        frame = files[layout.name]
        for column in frame.columns:
            filled = _filled(frame[column])
            rows.append(
                {
                    "file": layout.name,
                    "column": column,
                    "dq_field": layout.columns.get(column, column),
                    "required": column in layout.required,
                    "rows": len(frame),
                    "filled": int(filled.sum()),
                    "filled_share": float(filled.mean()) if len(frame) else 1.0,
                }
            )
    return pd.DataFrame(rows)


def conflicts(records: pd.DataFrame, fields: tuple[str, ...]) -> dict[str, int]:
    """Per field: customers whose records disagree (more than one distinct value), which
    survivorship had to decide."""
    if "golden_id" not in records.columns:
        return {}
    customer = records
    if "contact_id" in records.columns:
        customer = records[records["contact_id"].isna()]
    present = [f for f in fields if f in customer.columns]
    if not present or not len(customer):
        return dict.fromkeys(present, 0)
    distinct = customer.groupby("golden_id")[present].nunique(dropna=True)
    return {f: int((distinct[f] > 1).sum()) for f in present}


def reasons(
    tables: dict[str, pd.DataFrame],
    files: dict[str, pd.DataFrame],
    target: Target,
    settings: AuditSettings,
    excluded: pd.DataFrame,
    picklists: dict[str, set[str]] | None = None,
) -> list[Reason]:
    """Every reason that decides the verdict, blockers first."""
    n_examples = settings.examples
    golden, crosswalk = tables["golden"], tables["crosswalk"]
    records, review = tables["records"], tables.get("review", pd.DataFrame())
    found: list[Reason] = []

    customers = max(len(golden), 1)
    if len(review):
        owner = crosswalk.set_index("record_id")["golden_id"]
        involved = pd.concat([review["left_id"].map(owner), review["right_id"].map(owner)])
        involved = involved.dropna().unique()
        share = len(involved) / customers
        found.append(
            Reason(
                "blocker" if share > settings.max_review_share else "warning",
                "review_open",
                f"{len(review):,} pairs of possible duplicates are still open in the review queue "
                f"({len(involved):,} customers); decide them (dq review import) before migrating",
                len(involved),
                share,
                [f"{a} ~ {b}" for a, b in review[["left_id", "right_id"]].head(n_examples).values],
            )
        )

    for layout in target.files:
        frame = files[layout.name]
        for column in layout.required:
            if column not in frame.columns or not len(frame):
                continue
            empty = ~_filled(frame[column])
            if empty.any():
                share = float(empty.mean())
                found.append(
                    Reason(
                        "blocker" if share > settings.max_required_empty else "warning",
                        f"required_empty:{layout.name}.{column}",
                        f"{layout.name}: the {target.label} field {column!r} is required but "
                        f"empty in {int(empty.sum()):,} rows",
                        int(empty.sum()),
                        share,
                        _ids(frame[empty.to_numpy()], n_examples),
                    )
                )
        for column in layout.unique:
            if column not in frame.columns:
                continue
            values = frame[column].astype("string").str.strip().str.lower()
            dup = values.duplicated(keep=False) & _filled(values)
            if dup.any():
                merged = column == layout.dedupe_by or not column.startswith("dq_")
                found.append(
                    Reason(
                        "warning" if merged else "blocker",
                        f"duplicate:{layout.name}.{column}",
                        f"{layout.name}: {int(dup.sum()):,} rows share a {column!r} value; "
                        + (
                            f"{target.label} would merge them into one record, so the value is "
                            "kept on the first row only"
                            if merged
                            else "the import would fail"
                        ),
                        int(dup.sum()),
                        float(dup.mean()),
                        _masked(values[dup], n_examples),
                    )
                )

    if len(excluded):
        counts = excluded["action"].value_counts()
        found.append(
            Reason(
                "warning",
                "gdpr_excluded",
                f"{len(excluded):,} customers must not be migrated under the retention policy "
                f"({', '.join(f'{n} {a}' for a, n in counts.items())}); they are left out and "
                "listed in excluded.csv",
                len(excluded),
                len(excluded) / customers,
                excluded["golden_id"].head(n_examples).astype(str).tolist(),
            )
        )

    found.extend(_invalid(records, settings))
    found.extend(_gaps(files, target, records, n_examples))
    for column, allowed in (picklists or {}).items():
        for layout in target.files:
            frame = files[layout.name]
            if column not in frame.columns:
                continue
            values = frame[column].astype("string")
            outside = _filled(values) & ~values.isin(allowed).fillna(False)
            if outside.any():
                found.append(
                    Reason(
                        "warning",
                        f"picklist:{layout.name}.{column}",
                        f"{layout.name}: {int(outside.sum()):,} values of {column!r} are not "
                        "among the target's picklist options",
                        int(outside.sum()),
                        float(outside.mean()),
                        _masked(values[outside].drop_duplicates(), n_examples),
                    )
                )
    disagreeing = conflicts(records, ("vat_id", "iban", "phone", "email", "street", "postcode"))
    total = sum(disagreeing.values())
    if total:
        found.append(
            Reason(
                "warning",
                "conflicts",
                "records of one customer disagree and survivorship chose a value: "
                + ", ".join(f"{f} {n:,}" for f, n in disagreeing.items() if n),
                total,
                None,
            )
        )
    return sorted(found, key=lambda r: r.level != "blocker")


def _invalid(records: pd.DataFrame, settings: AuditSettings) -> list[Reason]:
    """Phones that cannot become E.164, invalid e-mails, countries that are not ISO codes."""
    out = []
    checks = (
        ("phone", "phone_valid", "phone numbers that cannot become E.164"),
        ("email", "email_valid", "invalid e-mail addresses"),
        ("country", "country_valid", "countries that are not ISO 3166 codes"),
    )
    for column, flag, what in checks:
        if flag not in records.columns:
            continue
        given = _filled(records[column])
        bad = given & records[flag].astype("boolean").eq(False).fillna(False)
        if bad.any():
            share = float(bad.sum() / max(int(given.sum()), 1))
            out.append(
                Reason(
                    "blocker" if share > settings.max_invalid else "warning",
                    f"invalid:{column}",
                    f"{what}: {int(bad.sum()):,}",
                    int(bad.sum()),
                    share,
                    records.loc[bad.to_numpy(), "record_id"].head(5).astype(str).tolist(),
                )
            )
    return out


def _gaps(
    files: dict[str, pd.DataFrame], target: Target, records: pd.DataFrame, n: int
) -> list[Reason]:
    """Companies without a domain (HubSpot cannot de-duplicate them), contacts without e-mail,
    contacts on free-mail addresses."""
    out = []
    for layout in target.files:
        frame = files[layout.name]
        if not len(frame):
            continue
        if layout.rows == "companies" and target.name == "hubspot":
            column = next((h for h, f in layout.columns.items() if f == "domain"), None)
            if column is not None:
                missing = ~_filled(frame[column])
                if missing.any():
                    out.append(
                        Reason(
                            "warning",
                            "no_domain",
                            f"{int(missing.sum()):,} companies have no domain: HubSpot cannot "
                            "de-duplicate them against companies it already has",
                            int(missing.sum()),
                            float(missing.mean()),
                            _ids(frame[missing.to_numpy()], n),
                        )
                    )
        if layout.rows in ("persons", "contacts"):
            column = next((h for h, f in layout.columns.items() if f == "email"), "email")
            if column in frame.columns:
                missing = ~_filled(frame[column])
                if missing.any():
                    out.append(
                        Reason(
                            "warning",
                            "no_email",
                            f"{int(missing.sum()):,} contacts have no e-mail address",
                            int(missing.sum()),
                            float(missing.mean()),
                            _ids(frame[missing.to_numpy()], n),
                        )
                    )
    if "email_freemail" in records.columns:
        free = records["email_freemail"].astype("boolean").eq(True).fillna(False)
        if free.any():
            out.append(
                Reason(
                    "warning",
                    "freemail",
                    f"{int(free.sum()):,} records use a free-mail address (gmail.com, web.de …): "
                    "no company domain to associate them by",
                    int(free.sum()),
                    float(free.mean()),
                    records.loc[free.to_numpy(), "record_id"].head(n).astype(str).tolist(),
                )
            )
    return out


def _filled(values: pd.Series) -> pd.Series:
    text = values.astype("string").str.strip()
    return (text.notna() & (text != "")).fillna(False).astype(bool)


def _ids(frame: pd.DataFrame, n: int) -> list[str]:
    for column in frame.columns:
        if column.startswith("dq_") or column in ("golden_id", "contact_id"):
            return frame[column].head(n).astype(str).tolist()
    return []


def _masked(values: pd.Series, n: int) -> list[str]:
    return mask_values(values.head(n)).astype(str).tolist()
