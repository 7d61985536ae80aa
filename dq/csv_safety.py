"""Spreadsheet-safe CSV cells: text that Excel or LibreOffice would run as a formula is defused.

OWASP's CSV-injection advice: a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return is prefixed with ``'``, which spreadsheets show as text. Plain numbers stay as
they are, so an E.164 phone (``+4930123456``) or a signed amount (``-12.50``) still reads as one.
Cells that already start with apostrophes before such a character get one more, so
:func:`restore` is the exact inverse of :func:`neutralize` and CSV round trips lose nothing.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

__all__ = ["FORMULA_TRIGGERS", "neutralize", "neutralize_text", "restore", "restore_text"]

FORMULA_TRIGGERS = "=+-@\t\r"
_TRIGGER_CLASS = r"[=+\-@\t\r]"
# a cell that needs (or, on read, carries) the guard: apostrophes, then a trigger character
_NEEDS_GUARD = rf"^'*{_TRIGGER_CLASS}"
_GUARDED = rf"^'+{_TRIGGER_CLASS}"
# a plain number: sign, digits, one decimal point or comma, optional exponent; nothing else
_PLAIN_NUMBER = r"^[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?$"


def _arrow_strings(values: pd.Series) -> Any:
    import pyarrow as pa

    if isinstance(values.dtype, pd.StringDtype) and values.dtype.storage != "python":
        data = pa.array(values.array, type=pa.string())  # Arrow-backed: no copy
    else:
        try:  # str and null objects (read_csv, python-backed strings): converted in C
            data = pa.array(values.to_numpy(dtype=object), type=pa.string(), from_pandas=True)
        except (pa.ArrowInvalid, pa.ArrowTypeError):  # numbers or lists mixed in
            data = pa.array(values.astype("string").array, type=pa.string())
    return data.combine_chunks() if isinstance(data, pa.ChunkedArray) else data


def _starting_with(data: Any, characters: str) -> Any:
    """Arrow mask of the cells whose first character is one of ``characters`` (cheap pre-check)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    first = pc.utf8_slice_codeunits(data, 0, 1)
    return pc.is_in(first, value_set=pa.array(list(characters), type=pa.string()))


def _is_text(values: pd.Series) -> bool:
    dtype = values.dtype
    return (
        pd.api.types.is_object_dtype(dtype)
        or pd.api.types.is_string_dtype(dtype)
        or isinstance(dtype, pd.CategoricalDtype)
    )


def neutralize(values: pd.Series) -> pd.Series:
    """``values`` with every formula-like text cell prefixed by ``'`` (vectorised; nulls kept).

    Non-text columns (numbers, dates, flags) are returned unchanged: they cannot hold a formula.
    """
    if not _is_text(values) or len(values) == 0:
        return values
    import pyarrow.compute as pc

    data = _arrow_strings(values)
    if not pc.any(_starting_with(data, FORMULA_TRIGGERS + "'")).as_py():
        return values
    guard = pc.and_(
        pc.match_substring_regex(data, _NEEDS_GUARD),
        pc.invert(pc.match_substring_regex(data, _PLAIN_NUMBER)),
    )
    if not pc.any(guard).as_py():
        return values
    guarded = pc.if_else(guard, pc.binary_join_element_wise("'", data, ""), data)
    return pd.Series(guarded.to_numpy(zero_copy_only=False), index=values.index, dtype="string")


def restore(values: pd.Series) -> pd.Series:
    """Undo :func:`neutralize`: drop the one guarding ``'`` in front of a formula-like cell."""
    if not _is_text(values) or len(values) == 0:
        return values
    import pyarrow.compute as pc

    data = _arrow_strings(values)
    if not pc.any(_starting_with(data, "'")).as_py():
        return values
    guarded = pc.match_substring_regex(data, _GUARDED)
    if not pc.any(guarded).as_py():
        return values
    plain = pc.if_else(guarded, pc.utf8_slice_codeunits(data, 1), data)
    return pd.Series(plain.to_numpy(zero_copy_only=False), index=values.index, dtype="string")


def neutralize_text(value: str) -> str:
    """:func:`neutralize` for one string (column headers, single cells)."""
    return str(neutralize(pd.Series([value], dtype="string")).iloc[0])


def restore_text(value: str) -> str:
    """:func:`restore` for one string."""
    return str(restore(pd.Series([value], dtype="string")).iloc[0])
