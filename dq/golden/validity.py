"""Cheap validity checks for survivorship's ``valid_first`` rule, vectorised over a column.

A standardiser or validator may already have flagged values (a boolean ``<field>_valid``
column); where it has, that flag wins. Otherwise these checks decide: check digits for VAT IDs
and IBANs, E.164 for phone numbers, a plausible shape for e-mail, postcode, domain, register.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

__all__ = ["VALIDATED", "is_valid"]

BoolArray = npt.NDArray[np.bool_]

_PATTERNS: dict[str, str] = {
    "email": r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$",
    "phone": r"^\+[1-9][0-9]{6,14}$",
    "mobile": r"^\+[1-9][0-9]{6,14}$",
    "fax": r"^\+[1-9][0-9]{6,14}$",
    "domain": r"^(?:[a-z0-9-]+\.)+[a-z]{2,}$",
    "website": r"^(?:https?://)?(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,}(?:[/?#].*)?$",
    "register_number": r"^(?:HRA|HRB|GnR|PR|VR|GsR)\s?[0-9]{1,6}(?:\s?[A-Z]{1,2})?$",
    "postcode": r"^[0-9]{5}$",
}

VALIDATED: frozenset[str] = frozenset({*_PATTERNS, "vat_id", "iban"})


def is_valid(records: pd.DataFrame, field: str) -> BoolArray:
    """Per record: is the value of ``field`` valid? Missing values are not valid."""
    if field not in records.columns:
        return np.zeros(len(records), dtype=bool)
    values = records[field]
    present = values.notna().to_numpy()
    flag = f"{field}_valid"
    if flag in records.columns:
        return present & records[flag].fillna(False).astype(bool).to_numpy()
    text = values.astype("string")
    if field == "vat_id":
        return present & _vat_valid(text)
    if field == "iban":
        return present & _iban_valid(text)
    if field == "postcode" and "country" in records.columns:
        country = records["country"].astype("string").str.upper()
        german = (country.isna() | (country == "DE")).to_numpy()
        shape = _matches(text, _PATTERNS["postcode"])
        return present & (shape | ~german)
    pattern = _PATTERNS.get(field)
    if pattern is None:
        return present
    return present & _matches(text, pattern)


def _matches(text: pd.Series, pattern: str) -> BoolArray:
    """Regex match in C++ (pyarrow's RE2 kernels) instead of one Python call per value."""
    import pyarrow as pa
    import pyarrow.compute as pc

    values = text.to_numpy(dtype=object)
    values[text.isna().to_numpy()] = None
    arr = pa.array(values, type=pa.string())
    hit = pc.fill_null(pc.match_substring_regex(arr, pattern), False)
    return np.asarray(hit.to_numpy(zero_copy_only=False), dtype=bool)


def _normalised(text: pd.Series) -> pd.Series:
    return text.str.upper().str.replace(r"[\s.\-/]+", "", regex=True).fillna("")


def _vat_valid(text: pd.Series) -> BoolArray:
    """German VAT IDs by their ISO 7064 MOD 11,10 check digit; other EU IDs by shape."""
    norm = _normalised(text)
    out = norm.str.match(r"^[A-Z]{2}[0-9A-Z+*]{2,12}$").to_numpy(dtype=bool)
    german = norm.str.match(r"^DE[0-9]{9}$").to_numpy(dtype=bool)
    if german.any():
        digits = np.frombuffer(
            "".join(norm[german].str.slice(2, 11).tolist()).encode("ascii"), dtype=np.uint8
        ).reshape(-1, 9).astype(np.int64) - ord("0")
        product = np.full(len(digits), 10, dtype=np.int64)
        for i in range(8):
            s = (digits[:, i] + product) % 10
            s[s == 0] = 10
            product = (2 * s) % 11
        check = (11 - product) % 10
        out[german] = check == digits[:, 8]
    return out


def _iban_valid(text: pd.Series) -> BoolArray:
    """IBAN mod-97 check, vectorised over character positions."""
    norm = _normalised(text)
    shape = norm.str.match(r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$").to_numpy(dtype=bool)
    out = np.zeros(len(norm), dtype=bool)
    if not shape.any():
        return out
    ok = norm[shape]
    moved = (ok.str.slice(4) + ok.str.slice(0, 4)).str.pad(34, side="right", fillchar=" ")
    chars = np.frombuffer("".join(moved.tolist()).encode("ascii"), dtype=np.uint8).reshape(-1, 34)
    r = np.zeros(len(chars), dtype=np.int64)
    for col in chars.T.astype(np.int64):
        digit = (col >= 48) & (col <= 57)
        letter = (col >= 65) & (col <= 90)
        r = np.where(digit, (r * 10 + (col - 48)) % 97, r)
        r = np.where(letter, (r * 100 + (col - 55)) % 97, r)
    out[shape] = r == 1
    return out
