"""Extracted values through ``dq.standardize``: the sites table holds standardised values.

Raw values as found on the page are kept in ``<column>_raw`` where standardisation changed them;
a few validity flags from the standardiser are carried along so a user sees at a glance which
VAT IDs, phone numbers or register numbers did not check out.
"""

from __future__ import annotations

import pandas as pd

from dq.sources.web.extracted import FIELDS
from dq.standardize.emails import is_freemail_domain
from dq.standardize.identifiers import registrable_domain
from dq.standardize.records import standardize_records

__all__ = ["SITE_FLAG_COLUMNS", "is_free_mail_domain", "site_domain", "standardize_sites"]

#: Standardiser flags copied into the sites table.
SITE_FLAG_COLUMNS: tuple[str, ...] = (
    "name_core",
    "legal_form_known",
    "postcode_valid",
    "phone_valid",
    "fax_valid",
    "email_valid",
    "vat_id_valid",
    "register_number_valid",
)


def is_free_mail_domain(domain: str) -> bool:
    """Whether ``domain`` belongs to a free-mail provider rather than to a company."""
    return is_freemail_domain(domain)


def site_domain(value: str) -> str | None:
    """The registrable domain of a URL, host or e-mail address (``None`` for unknown suffixes)."""
    return registrable_domain(value)


def standardize_sites(frame: pd.DataFrame, default_country: str = "DE") -> pd.DataFrame:
    """Standardise the canonical columns of the sites table; raw values go to ``<column>_raw``.

    A site whose address was found but gave no country gets ``default_country``.
    """
    out = frame.copy()
    if out.empty:
        for name in SITE_FLAG_COLUMNS:
            out[name] = pd.Series(dtype="string" if name == "name_core" else "boolean")
        return out
    has_address = out["postcode"].notna() | out["street"].notna()
    country = out["country"].mask(out["country"].isna() & has_address, default_country)
    records = pd.DataFrame({name: out[name] for name in FIELDS}, index=out.index)
    records["country"] = country
    result = standardize_records(records, default_country=default_country)
    std = result.records
    for name in FIELDS:
        out[name] = std[name]
        raw = f"{name}_raw"
        if raw in std.columns:
            out[raw] = std[raw]
    for name in SITE_FLAG_COLUMNS:
        out[name] = std[name]
    return out
