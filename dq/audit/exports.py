"""Import files in a CRM's layout, from golden customers and their contacts.

Rows come from the golden tables; columns follow the target's layout (``targets.yaml``).
Values are already standardised (phones E.164, countries ISO 3166 alpha-2, dates ISO 8601); a
file is split where the target's row or size limit would be crossed, and every cell that a
spreadsheet would run as a formula is neutralised.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from dq.audit.targets import FileLayout, Target
from dq.tables import spreadsheet_safe

__all__ = ["blank_duplicates", "import_frame", "import_rows", "write_split"]


def import_rows(
    golden: pd.DataFrame, contacts: pd.DataFrame, kind: str, excluded: pd.Index
) -> pd.DataFrame:
    """The rows of one import file with dq's field names (plus the derived ones a layout uses).

    ``companies``: company customers; ``persons``: contacts and private customers (a private
    customer's ``contact_id`` is its ``golden_id``); ``customers``/``contacts``: the golden
    tables as they are. Customers in ``excluded`` (GDPR delete/restrict) and their contacts are
    left out.
    """
    kept = golden[~golden["golden_id"].isin(excluded)]
    kept = kept[[c for c in kept.columns if not c.endswith("__from")]]
    people = contacts[~contacts["golden_id"].isin(excluded)] if len(contacts) else contacts
    if kind == "customers":
        return kept.reset_index(drop=True)
    if kind == "contacts":
        return people.reset_index(drop=True)
    party = kept["party_type"].astype("string")
    if kind == "companies":
        return _derive(kept[party.ne("person").fillna(True).to_numpy(dtype=bool)])
    domains = kept.set_index("golden_id")["domain"] if "domain" in kept else pd.Series()
    at_company = people.rename(columns={"golden_id": "company_golden_id"}).copy()
    at_company["company_domain"] = at_company["company_golden_id"].map(domains)
    private = kept[party.eq("person").fillna(False).to_numpy(dtype=bool)].copy()
    private["contact_id"] = private["golden_id"]
    both = pd.concat(
        [at_company, private[[c for c in private.columns if c != "golden_id"]]],
        ignore_index=True,
    )
    return _derive(both)


def _derive(rows: pd.DataFrame) -> pd.DataFrame:
    """Fields the layouts use that dq stores in parts: one street line, an opt-out flag."""
    out = rows.reset_index(drop=True).copy()
    street = out.get("street", pd.Series(pd.NA, index=out.index)).astype("string")
    number = out.get("house_number", pd.Series(pd.NA, index=out.index)).astype("string")
    out["street_line"] = (street + " " + number).fillna(street)
    consent = out.get("marketing_consent", pd.Series(pd.NA, index=out.index)).astype("boolean")
    withdrawn = out.get("consent_withdrawn_at", pd.Series(pd.NaT, index=out.index)).notna()
    out["opted_out"] = (consent.eq(False).fillna(False) | withdrawn).astype(bool)
    return out


def import_frame(layout: FileLayout, rows: pd.DataFrame) -> pd.DataFrame:
    """``rows`` in the layout's columns and order; a layout without columns keeps dq's own."""
    if not layout.columns:
        return rows.copy()
    data = {
        header: rows[field] if field in rows.columns else pd.Series(pd.NA, index=rows.index)
        for header, field in layout.columns.items()
    }
    return pd.DataFrame(data, index=rows.index).reset_index(drop=True)


def blank_duplicates(frame: pd.DataFrame, layout: FileLayout) -> pd.DataFrame:
    """The target's de-duplication keys (a HubSpot company's domain, a contact's e-mail) kept on
    the first row that has a value and emptied on the others: the target would otherwise merge
    two different customers or people into one record. dq's own ID columns are never touched."""
    out = frame.copy()
    for column in layout.unique:
        if column.startswith("dq_") or column not in out.columns:
            continue
        values = out[column].astype("string").str.strip().str.lower()
        repeated = (values.duplicated(keep="first") & values.notna() & (values != "")).fillna(False)
        out[column] = out[column].mask(repeated.to_numpy(dtype=bool))
    return out


def _formatted(frame: pd.DataFrame) -> pd.DataFrame:
    """Dates as ISO 8601 days, booleans as true/false, integers without a decimal point."""
    out = frame.copy()
    for name in out.columns:
        col = out[name]
        if pd.api.types.is_datetime64_any_dtype(col):
            out[name] = col.dt.strftime("%Y-%m-%d")
        elif pd.api.types.is_bool_dtype(col) or str(col.dtype) == "boolean":
            out[name] = col.astype("boolean").map({True: "true", False: "false"})
        elif pd.api.types.is_float_dtype(col) and np.all(np.isnan(col) | (col == np.round(col))):
            out[name] = col.astype("Int64")
    return out


def write_split(frame: pd.DataFrame, out_dir: Path, name: str, target: Target) -> list[Path]:
    """Write ``frame`` as UTF-8 CSV with a header, split at the target's row and size limits.

    One file ``<name>.csv`` when it fits, else ``<name>_001.csv``, ``<name>_002.csv`` …, each
    with the header, at most ``max_rows`` rows and at most ``max_bytes`` bytes.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    text = spreadsheet_safe(_formatted(frame))
    parts = [
        part
        for start in range(0, max(len(text), 1), target.max_rows)
        for part in _fit(text.iloc[start : start + target.max_rows], target.max_bytes)
    ]
    paths: list[Path] = []
    for i, data in enumerate(parts, start=1):
        path = out_dir / (f"{name}.csv" if len(parts) == 1 else f"{name}_{i:03d}.csv")
        path.write_bytes(data)
        paths.append(path)
    return paths


def _fit(chunk: pd.DataFrame, max_bytes: int) -> list[bytes]:
    """``chunk`` as CSV bytes, halved until every piece fits ``max_bytes``."""
    data = chunk.to_csv(index=False, lineterminator="\r\n").encode("utf-8")
    if len(data) <= max_bytes or len(chunk) <= 1:
        return [data]
    half = len(chunk) // 2
    return _fit(chunk.iloc[:half], max_bytes) + _fit(chunk.iloc[half:], max_bytes)
