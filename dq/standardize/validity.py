"""Which values are valid: the one place matching and golden records ask, per flagged column.

Standardisation writes a ``<column>_valid`` flag for every column it checks (check digits for
VAT IDs and IBANs, libphonenumber for phones …). Where a frame carries that flag it is the
answer; where it does not (records that were never standardised), the same standardisation
function decides. Nothing else in dq decides whether an identifier is valid.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt
import pandas as pd

from dq.standardize.addresses import is_valid_postcode
from dq.standardize.emails import is_valid_email
from dq.standardize.identifier_columns import (
    domain_series,
    iban_columns,
    vat_id_columns,
    website_columns,
)
from dq.standardize.identifiers import is_valid_register_number
from dq.standardize.phones import is_valid_phone

__all__ = ["BY_COUNTRY", "VALIDATED", "valid_mask", "validity"]

BoolArray = npt.NDArray[np.bool_]

# One function per kind of value: nullable boolean per value, NA where blank.
_BY_VALUE: dict[str, Callable[[pd.Series], pd.Series]] = {
    "vat_id": lambda v: vat_id_columns(v)["valid"],
    "iban": lambda v: iban_columns(v)["valid"],
    "register_number": is_valid_register_number,
    "email": is_valid_email,
    "website": lambda v: website_columns(v)["website"].notna().astype("boolean"),
    "domain": lambda v: domain_series(v).notna().astype("boolean"),
}
# ... and those that depend on the record's country (default DE).
BY_COUNTRY: dict[str, Callable[[pd.Series, pd.Series], pd.Series]] = {
    "phone": is_valid_phone,
    "mobile": is_valid_phone,
    "fax": is_valid_phone,
    "postcode": is_valid_postcode,
}

VALIDATED: frozenset[str] = frozenset({*_BY_VALUE, *BY_COUNTRY})


def validity(records: pd.DataFrame, column: str) -> pd.Series:
    """Nullable boolean per record: is ``column``'s value valid? NA where it is blank.

    The standardiser's ``<column>_valid`` flag where the frame has it; else the
    standardisation function of that kind of value decides (``vat_id``, ``iban``,
    ``register_number``, ``email``, ``website``, ``domain``, ``phone``, ``mobile``, ``fax``,
    ``postcode``). Raises ``KeyError`` for a column no function checks.
    """
    if column not in records.columns:
        return pd.Series(pd.NA, index=records.index, dtype="boolean")
    values = records[column]
    flag = f"{column}_valid"
    if flag in records.columns:
        return records[flag].astype("boolean").mask(values.isna())
    if column in BY_COUNTRY:
        country = (
            records["country"].astype("string")
            if "country" in records.columns
            else pd.Series("DE", index=records.index, dtype="string")
        )
        return BY_COUNTRY[column](values, country.fillna("DE")).astype("boolean")
    if column not in _BY_VALUE:
        raise KeyError(f"no validity function for column {column!r}")
    return _BY_VALUE[column](values).astype("boolean")


def valid_mask(records: pd.DataFrame, column: str) -> BoolArray:
    """Per record: the value is present and valid (see :func:`validity`); False elsewhere."""
    return np.asarray(validity(records, column).fillna(False).to_numpy(dtype=bool), dtype=bool)
