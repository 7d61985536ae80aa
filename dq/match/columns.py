"""Record columns factorised once and shared by blocking, comparisons and hard rules.

Each text column becomes integer codes per record plus its distinct values; every transform
(phonetic code, prefix, fingerprint …) then runs on the distinct values only and is mapped back
by integer indexing. A million records with 50,000 distinct surnames cost 50,000 string
operations, not a million.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from pandas.api.types import is_datetime64_any_dtype

from dq.schema import RECORD_COLUMNS

__all__ = [
    "ColumnCache",
    "compact_identifiers",
    "factorize_text",
    "identifier_codes",
]

IntArray = npt.NDArray[np.int64]
ObjArray = npt.NDArray[np.object_]


def factorize_text(
    values: pd.Series, clean: Callable[[pd.Series], pd.Series] | None = None
) -> tuple[IntArray, ObjArray]:
    """Codes per record (-1 for null/blank) and the distinct stripped values.

    ``clean`` runs once per distinct value and returns null for values to drop.
    """
    if clean is None and _is_arrow_text(values):
        return _factorize_arrow_text(values)
    raw_codes, raw_uniques = _raw_factorize(values)
    distinct = pd.Series(raw_uniques, dtype=object).astype("string")
    distinct = distinct.str.strip()
    if clean is not None:
        distinct = clean(distinct)
    distinct = distinct.mask(distinct.str.len() == 0)
    merged, uniques = pd.factorize(distinct, use_na_sentinel=True)
    lookup = np.append(merged.astype(np.int64), -1)  # raw code -1 (null) maps to -1
    codes = lookup[np.where(raw_codes < 0, len(merged), raw_codes)]
    return codes.astype(np.int64), np.asarray(uniques, dtype=object)


# What Python's str.strip() strips (str.isspace), for Arrow's trim kernel to strip the same.
_SPACES = "".join(chr(c) for c in range(0x3001) if chr(c).isspace())


def _is_arrow_text(values: pd.Series) -> bool:
    dtype = values.dtype
    return isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow"


def _factorize_arrow_text(values: pd.Series) -> tuple[IntArray, ObjArray]:
    """:func:`factorize_text` of Arrow-backed text, stripping and re-encoding the distinct
    values in Arrow: Python strings only for the result's distinct values."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arrow = pa.array(values.array)
    if isinstance(arrow, pa.ChunkedArray):
        arrow = arrow.combine_chunks()
    encoded = pc.dictionary_encode(arrow)
    stripped = pc.utf8_trim(encoded.dictionary, characters=_SPACES)
    stripped = pc.if_else(pc.equal(pc.utf8_length(stripped), 0), None, stripped)
    merged = pc.dictionary_encode(stripped)
    lookup = np.append(merged.indices.fill_null(-1).to_numpy(zero_copy_only=False), -1)
    raw = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
    codes = lookup.astype(np.int64)[np.where(raw < 0, len(lookup) - 1, raw)]
    return codes, np.asarray(merged.dictionary.to_pylist(), dtype=object)


def _raw_factorize(values: pd.Series) -> tuple[IntArray, ObjArray]:
    """Codes per record (-1 for null) and the distinct values as Python strings.

    Arrow-backed text is dictionary-encoded by Arrow itself: no Python object per record,
    only per distinct value (a million temporary strings per column would stay behind as
    fragmented heap long after they are freed). Other columns hash their non-null objects.
    """
    dtype = values.dtype
    if isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow":
        import pyarrow as pa
        import pyarrow.compute as pc

        arrow = pa.array(values.array)
        if isinstance(arrow, pa.ChunkedArray):
            arrow = arrow.combine_chunks()
        encoded = pc.dictionary_encode(arrow)
        codes = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False)
        return codes.astype(np.int64), np.asarray(encoded.dictionary.to_pylist(), dtype=object)
    present = values.notna().to_numpy(dtype=bool)
    raw_codes = np.full(len(values), -1, dtype=np.int64)
    present_codes, raw_uniques = pd.factorize(values.to_numpy(dtype=object)[present])
    raw_codes[present] = present_codes
    return raw_codes, np.asarray(raw_uniques, dtype=object)


def date_digits(values: pd.Series) -> pd.Series:
    """Dates (typed or ISO text) as ``YYYYMMDD`` text, formatted once per distinct date."""
    if not is_datetime64_any_dtype(values.dtype):
        values = pd.to_datetime(values, errors="coerce", format="ISO8601")
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    digits = np.empty(len(uniques) + 1, dtype=object)  # the last one, None, for code -1
    digits[:-1] = pd.DatetimeIndex(uniques).strftime("%Y%m%d").to_numpy(object)
    return pd.Series(digits[codes], index=values.index, dtype="string")


class ColumnCache:
    """Lazily factorised columns of one records frame (row positions as in the frame)."""

    def __init__(self, records: pd.DataFrame) -> None:
        self.records = records
        self.n = len(records)
        self._text: dict[str, tuple[IntArray, ObjArray]] = {}
        self._derived: dict[tuple[str, str], tuple[IntArray, ObjArray]] = {}
        self._memo: dict[tuple[str, str], Any] = {}

    def memo(self, column: str, name: str, func: Callable[[], Any]) -> Any:
        """``func()`` computed once per (column, name) for this frame (validity, phone keys)."""
        key = (self.resolve(column), name)
        if key not in self._memo:
            self._memo[key] = func()
        return self._memo[key]

    def resolve(self, column: str) -> str:
        """The first column of ``"a,b"`` the frame has (``last_name_fold,last_name``).

        Lets one spec use the matching keys the standardiser adds and fall back to the plain
        column in frames without them.
        """
        names = [name.strip() for name in column.split(",")]
        for name in names:
            if name in self.records.columns:
                return name
        return names[-1]

    def has(self, column: str) -> bool:
        return self.resolve(column) in self.records.columns

    def values(self, column: str) -> pd.Series:
        """The raw column, or an all-null one when the frame lacks it.

        Dates (typed, or a canonical date column as ISO text) come as their digits
        ``YYYYMMDD``: a typed digit or two swapped digits in a date of birth are then one edit,
        like in any other number.
        """
        column = self.resolve(column)
        if column in self.records.columns:
            values = self.records[column]
            if RECORD_COLUMNS.get(column) == "date" or is_datetime64_any_dtype(values.dtype):
                return date_digits(values)
            return values
        return pd.Series(pd.NA, index=self.records.index, dtype="string")

    def text(self, column: str) -> tuple[IntArray, ObjArray]:
        """(codes per record, distinct values) of a column, stripped, blanks as null."""
        column = self.resolve(column)
        if column not in self._text:
            self._text[column] = factorize_text(self.values(column))
        return self._text[column]

    def drop_derived(self) -> None:
        """Forget transformed columns (blocking keys) once blocking is done, to free memory."""
        self._derived.clear()

    def derived(
        self, column: str, name: str, func: Callable[[pd.Series], pd.Series]
    ) -> tuple[IntArray, ObjArray]:
        """Codes per record of ``func`` applied to the distinct values of ``column``.

        ``func`` gets the distinct values as a string Series and returns an aligned Series of
        hashable results (null where there is none); equal results share a code.
        """
        column = self.resolve(column)
        key = (column, name)
        if key not in self._derived:
            codes, uniques = self.text(column)
            done = func(pd.Series(uniques, dtype="string"))
            if done.dtype == object or str(done.dtype).startswith("string"):
                done = done.astype("string").mask(done.astype("string").str.len() == 0)
            tcodes, tuniques = pd.factorize(done, use_na_sentinel=True)
            lookup = np.append(tcodes.astype(np.int64), -1)
            self._derived[key] = (
                lookup[np.where(codes < 0, len(tcodes), codes)],
                np.asarray(tuniques, dtype=object),
            )
        return self._derived[key]


def compact_identifiers(values: ObjArray) -> ObjArray:
    """Upper case without spaces, dots, hyphens and slashes (``"de 136.695.976"`` →
    ``"DE136695976"``), with Arrow's kernels over the (distinct) values."""
    import pyarrow as pa
    import pyarrow.compute as pc

    text = pc.utf8_upper(pa.array(values, type=pa.string()))
    out = pc.replace_substring_regex(text, r"[\s.\-/]+", "").to_numpy(zero_copy_only=False)
    return np.asarray(out, dtype=object)


def identifier_codes(cache: ColumnCache, column: str) -> IntArray:
    """Per record an integer code of the compact identifier where it is valid; -1 elsewhere.

    Validity is standardisation's (:func:`dq.standardize.validity.valid_mask`): only two valid
    identifiers can agree or conflict for certain; an invalid one (a VAT ID with an OCR error or
    a transposition) is weak evidence that the comparisons weigh, never a hard rule.
    """
    from dq.standardize.validity import valid_mask

    if not cache.has(column):
        return np.full(cache.n, -1, dtype=np.int64)

    def compact(distinct: pd.Series) -> pd.Series:
        return pd.Series(compact_identifiers(distinct.to_numpy(dtype=object)), dtype="string")

    codes, _ = cache.derived(column, "identifier", compact)
    valid = cache.memo(column, "valid", lambda: valid_mask(cache.records, cache.resolve(column)))
    return np.where(valid, codes, -1).astype(np.int64)
