"""Robust evidence for comparisons: validity per record and phone numbers as comparable digits.

Two records of one customer often differ in how a value was written, not in the value: a phone
number that libphonenumber rejects ("0049 2078 288354", "+49 (0)2078 288354", "(02078) 288354")
is the same number in three spellings, and a VAT ID with an OCR error is no other company's.
These helpers give the comparisons keys to compare and the standardiser's validity to tell a
certain difference from an uncertain one.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import numpy.typing as npt
import pandas as pd

from dq.match.columns import ColumnCache

__all__ = ["freemail", "personal_email", "phone_digits", "phone_keys", "record_validity"]

IntArray = npt.NDArray[np.int64]
ObjArray = npt.NDArray[np.object_]
BoolArray = npt.NDArray[np.bool_]

_E164 = r"^\+[1-9][0-9]{5,15}$"
_NON_DIGIT = re.compile(r"\D")


def record_validity(cache: ColumnCache, column: str) -> BoolArray:
    """Per record: the value of ``column`` is present and valid (standardisation decides).

    A column standardisation does not check (an identifier of another data set, such as a
    social security number) without a ``<column>_valid`` flag counts as valid where present.
    """
    from dq.standardize.validity import VALIDATED, valid_mask

    def compute() -> BoolArray:
        name = cache.resolve(column)
        if name in VALIDATED or f"{name}_valid" in cache.records.columns:
            return valid_mask(cache.records, name)
        codes, _ = cache.text(name)
        present: BoolArray = codes >= 0
        return present

    mask: BoolArray = cache.memo(column, "valid", compute)
    return mask


def personal_email(cache: ColumnCache, column: str = "email") -> BoolArray:
    """Per record: ``column`` holds an e-mail address of one person, not a role mailbox
    (info@, buchhaltung@, which a company's branches and sister companies share).

    The standardiser's ``<column>_role`` flag where present, else its rule per distinct address.
    """
    from dq.standardize.emails import is_role_local_part

    def personal(address: str) -> bool:
        return not is_role_local_part(address.split("@")[0])

    return _email_flag(cache, column, "role", personal, negate=True)


def freemail(cache: ColumnCache, column: str = "email") -> BoolArray:
    """Per record: ``column`` holds a private address at a free-mail provider (gmx.de,
    gmail.com …). The standardiser's ``<column>_freemail`` flag where present, else its rule
    per distinct address."""
    from dq.standardize.emails import is_freemail_domain

    def free(address: str) -> bool:
        return is_freemail_domain(address.split("@")[-1])

    return _email_flag(cache, column, "freemail", free, negate=False)


def _email_flag(
    cache: ColumnCache, column: str, flag: str, rule: Callable[[str], bool], *, negate: bool
) -> BoolArray:
    """Per record with an address: the standardiser's ``<column>_<flag>`` (``negate``: its
    opposite), or ``rule`` once per distinct address where the frame has no such flag."""

    def compute() -> BoolArray:
        name = cache.resolve(column)
        codes, uniques = cache.text(name)
        if f"{name}_{flag}" in cache.records.columns:
            flags = cache.records[f"{name}_{flag}"].fillna(negate).to_numpy(dtype=bool)
            found = ~flags if negate else flags
        else:  # the frame was not standardised: the rule once per distinct address
            per_value = np.array([rule(str(v)) for v in uniques], dtype=bool)
            found = np.append(per_value, False)[np.where(codes < 0, len(uniques), codes)]
        out: BoolArray = (codes >= 0) & found
        return out

    mask: BoolArray = cache.memo(column, flag, compute)
    return mask


def phone_digits(value: str, country: str | None) -> str | None:
    """The number's digits in international form, also where it is not a valid number.

    ``"(02078) 288354"`` (DE) → ``"492078288354"``; national prefix, ``0049``/``+49`` and
    ``(0)`` are handled by :func:`dq.standardize.phones.normalize_phone`; what it cannot parse
    keeps its plain digits.
    """
    from dq.standardize.phones import normalize_phone

    info = normalize_phone(value, country or "DE")
    if info.e164:
        return info.e164.lstrip("+")
    return _NON_DIGIT.sub("", value) or None


def phone_keys(cache: ColumnCache, column: str) -> tuple[IntArray, ObjArray]:
    """Codes per record of the phone number's digits (:func:`phone_digits`) and the keys.

    E.164 values (what standardisation writes for valid numbers) are read as they are; the
    others once per distinct value and country, with the record's country as the region.
    """
    keys: tuple[IntArray, ObjArray] = cache.memo(
        column, "phone", lambda: _phone_keys(cache, column)
    )
    return keys


def _phone_keys(cache: ColumnCache, column: str) -> tuple[IntArray, ObjArray]:
    import pyarrow as pa
    import pyarrow.compute as pc

    from dq.standardize._vector import map_distinct

    codes, uniques = cache.text(column)
    text = pa.array(uniques, type=pa.string())  # RE2 kernels over the distinct values
    plain = np.asarray(pc.match_substring_regex(text, _E164).to_numpy(zero_copy_only=False))
    base = np.asarray(
        pc.replace_substring_regex(text, r"\D", "").to_numpy(zero_copy_only=False), dtype=object
    )
    rows = np.flatnonzero((codes >= 0) & ~np.append(plain, True)[codes])
    extra = np.zeros(0, dtype=object)
    if len(rows):
        country = cache.values("country").iloc[rows]  # taken first: rows are few
        values = pd.Series(uniques[codes[rows]], dtype="string")
        regions = pd.Series(country.to_numpy(dtype=object), dtype="string").fillna("DE")
        done = map_distinct(values, phone_digits, other=regions)
        extra = np.asarray(done.astype(object).to_numpy(dtype=object), dtype=object)
        extra[done.isna().to_numpy(dtype=bool)] = None
    merged, keys = pd.factorize(np.concatenate([base, extra]), use_na_sentinel=True)
    merged = merged.astype(np.int64)
    out = np.append(merged[: len(base)], -1)[codes]
    out[rows] = merged[len(base) :]
    return out, np.asarray(keys, dtype=object)
