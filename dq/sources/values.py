"""Parsers for typed values in exports: decimal commas, German and ISO dates, yes/no flags.

Each parser works on a Series of strings, once per distinct value, and returns the parsed Series
plus a boolean mask of values that were present but could not be parsed, so the caller can keep
the raw text instead of losing it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

__all__ = ["DATE_FORMATS", "parse_bool", "parse_date", "parse_decimal"]

# Tried in this order when a profile names no format; the first that parses a value wins.
DATE_FORMATS = (
    "%Y-%m-%d",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M:%S.%fZ",
    "%Y-%m-%dT%H:%M:%SZ",
    "%d.%m.%Y",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%y",
    "%Y%m%d",
    # US forms as HubSpot and Salesforce write them: 2/23/2026, 2/23/26 14:05, 2/23/2026 2:05 PM
    "%m/%d/%Y",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%y",
    "%m/%d/%y %H:%M",
    "%m/%d/%y %I:%M %p",
)

_DECIMAL_COMMA = re.compile(r"^[+-]?\d{1,3}(\.\d{3})*(,\d+)?-?$|^[+-]?\d+,\d+-?$")
_DECIMAL_POINT = re.compile(r"^[+-]?\d{1,3}(,\d{3})*(\.\d+)?-?$|^[+-]?\d+(\.\d+)?-?$")
_NOISE = re.compile(r"[\s€$£]|EUR|CHF|USD", re.IGNORECASE)

_TRUE = {"1", "true", "ja", "yes", "y", "j", "x", "wahr", "opt-in", "opted in"}
_FALSE = {"0", "false", "nein", "no", "n", "falsch", "opt-out", "opted out"}


def _arrow(values: pd.Series) -> pd.Series:
    """Values as Arrow-backed strings, whose ``.str`` methods run in C."""
    if str(values.dtype) == "string" and getattr(values.dtype, "storage", "") == "pyarrow":
        return values
    return values.astype("string").astype("string[pyarrow]")


def parse_decimal(values: pd.Series, decimal: str | None = None) -> tuple[pd.Series, pd.Series]:
    """Parse amounts like ``1190,00``, ``1.234,56-`` (SAP trailing minus) or ``1,234.56``.

    With ``decimal=None`` the column's convention is detected: decimal comma when some value
    only makes sense with one (``"24,95"``), point otherwise. Returns (floats, failed mask).
    """
    if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype):
        numbers = values.astype("float64")
        return numbers, pd.Series(False, index=values.index)
    text = _arrow(values).str.strip()
    present = text.notna() & (text != "")
    cleaned = text.str.replace(_NOISE.pattern, "", regex=True, case=False)
    if decimal is None:
        sample = cleaned[present].drop_duplicates()
        comma = sample.str.match(_DECIMAL_COMMA.pattern).fillna(False)
        point = sample.str.match(_DECIMAL_POINT.pattern).fillna(False)
        decimal = "," if (comma & ~point).any() or (comma.sum() > point.sum()) else "."
    negative = cleaned.str.endswith("-") | cleaned.str.startswith("-")
    digits = cleaned.str.strip("+-")
    if decimal == ",":
        valid = digits.str.fullmatch(r"\d{1,3}(\.\d{3})*(,\d+)?|\d+(,\d+)?")
        normal = digits.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    else:
        valid = digits.str.fullmatch(r"\d{1,3}(,\d{3})*(\.\d+)?|\d+(\.\d+)?")
        normal = digits.str.replace(",", "", regex=False)
    valid = valid.fillna(False).astype(bool)
    parsed = pd.to_numeric(normal.where(valid), errors="coerce").astype("float64")
    parsed = parsed.where(~negative.fillna(False).astype(bool), -parsed)
    failed = present.fillna(False).astype(bool) & parsed.isna()
    return parsed, failed


def parse_date(
    values: pd.Series, formats: Sequence[str] | None = None
) -> tuple[pd.Series, pd.Series]:
    """Parse dates with the given strftime formats (or :data:`DATE_FORMATS`), first match wins.

    Each distinct value is parsed once. Returns (datetime64 Series, failed mask); impossible
    dates such as 31.02. count as failed.
    """
    text = _arrow(values).str.strip()
    codes, uniques = pd.factorize(text, use_na_sentinel=True)
    distinct = pd.Series(uniques, dtype="string")
    result = pd.Series(pd.NaT, index=distinct.index, dtype="datetime64[ns]")
    todo = (distinct != "").fillna(False).astype(bool)
    for fmt in formats or DATE_FORMATS:
        if not todo.any():
            break
        parsed = pd.to_datetime(distinct[todo], format=fmt, errors="coerce")
        if parsed.dt.tz is not None:
            parsed = parsed.dt.tz_convert(None)
        hit = parsed.notna()
        result.loc[hit[hit].index] = parsed[hit].astype("datetime64[ns]")
        todo.loc[hit[hit].index] = False
    missing = codes < 0
    safe = np.where(missing, 0, codes)
    out = result.to_numpy()[safe] if len(result) else np.full(len(codes), np.datetime64("NaT"))
    failed = todo.to_numpy()[safe] if len(todo) else np.zeros(len(codes), dtype=bool)
    out = np.where(missing, np.datetime64("NaT"), out)
    return (
        pd.Series(out, index=values.index, dtype="datetime64[ns]"),
        pd.Series(failed & ~missing, index=values.index),
    )


def parse_bool(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse yes/no flags (ja/nein, true/false, 1/0, x); returns (boolean Series, failed mask).

    Each distinct value is looked up once.
    """
    text = _arrow(values).str.strip().str.lower()
    codes, uniques = pd.factorize(text, use_na_sentinel=True)
    looked_up = [True if v in _TRUE else (False if v in _FALSE else None) for v in uniques]
    table = pd.array([*looked_up, None], dtype="boolean")  # code -1 (missing) takes the last
    parsed = pd.Series(table[codes], index=values.index, dtype="boolean")
    present = pd.Series(codes >= 0, index=values.index) & (text != "").fillna(False).to_numpy()
    return parsed, present & parsed.isna()
