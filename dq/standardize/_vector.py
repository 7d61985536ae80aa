"""Run a per-value function once per distinct value of a Series and map the results back.

Customer columns repeat heavily (cities, legal forms, first names); factorising first turns a
million calls into a few thousand. Null inputs never reach the function and map to null.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "as_text",
    "blank_mask",
    "broadcast",
    "distinct_codes",
    "map_distinct",
    "map_distinct_frame",
    "map_distinct_rows",
]


def as_text(values: pd.Series) -> pd.Series:
    """``values`` as a nullable string Series (numbers from spreadsheets become text)."""
    if str(values.dtype) == "string":
        return values
    return values.astype("string")


def blank_mask(values: pd.Series) -> pd.Series:
    """True where a value is null or only whitespace."""
    text = as_text(values)
    return (text.isna() | (text.str.strip() == "")).fillna(True).astype(bool)


def broadcast(value: pd.Series | str | None, index: pd.Index) -> pd.Series:
    """A per-row Series from a Series (aligned to ``index``) or one scalar for every row."""
    if isinstance(value, pd.Series):
        return as_text(value).reindex(index)
    return pd.Series(value, index=index, dtype="string")


def distinct_codes(columns: Sequence[pd.Series]) -> tuple[np.ndarray, np.ndarray]:
    """Codes numbering the distinct row combinations, and the first row position of each.

    Nulls take part as a value of their own. Codes are combined pairwise and re-factorised, so
    the intermediate key never exceeds rows × distinct values (no overflow, no separators).
    """
    key = np.zeros(len(columns[0]), dtype=np.int64)
    for column in columns:
        codes, uniques = pd.factorize(as_text(column), use_na_sentinel=True)
        key = key * (len(uniques) + 1) + (codes.astype(np.int64) + 1)  # code 0 = null
        key, _ = pd.factorize(key)
    _, first = np.unique(key, return_index=True)
    return key, first


# Distinct values above which the per-value work is shared among worker processes (fork only).
PARALLEL_MIN_DISTINCT = 150_000
_JOB: tuple[Callable[..., Any], list[np.ndarray], np.ndarray, bool] | None = None


def _worker_count() -> int:
    wanted = os.environ.get("DQ_WORKERS")
    if wanted is not None and wanted.isdigit():
        return max(1, int(wanted))
    return min(4, os.cpu_count() or 1)


def _run(bounds: tuple[int, int]) -> list[Any]:
    """Apply the job's function to distinct values ``start:stop`` (in a worker or the parent)."""
    if _JOB is None:  # pragma: no cover - set before the pool forks
        raise RuntimeError("no job")
    func, values, first, skip_null_first = _JOB
    start, stop = bounds
    results: list[Any] = []
    for pos in first[start:stop]:
        args = [None if v[pos] is pd.NA else v[pos] for v in values]
        results.append(None if skip_null_first and args[0] is None else func(*args))
    return results


def _apply(
    columns: Sequence[pd.Series], func: Callable[..., Any], skip_null_first: bool
) -> tuple[np.ndarray, list[Any], np.ndarray]:
    global _JOB
    key, first = distinct_codes(columns)
    values = [as_text(c).to_numpy(dtype=object) for c in columns]
    null_first = np.array([values[0][p] is pd.NA for p in first], dtype=bool)
    if not skip_null_first:
        null_first[:] = False
    _JOB = (func, values, first, skip_null_first)
    try:
        workers = _worker_count()
        if len(first) < PARALLEL_MIN_DISTINCT or workers < 2:
            results = _run((0, len(first)))
        else:
            # fork: workers inherit the function (often a closure) and the loaded vocabularies
            step = -(-len(first) // workers)
            bounds = [(i, min(i + step, len(first))) for i in range(0, len(first), step)]
            with multiprocessing.get_context("fork").Pool(len(bounds)) as pool:
                results = [r for chunk in pool.map(_run, bounds) for r in chunk]
    finally:
        _JOB = None
    return key, results, null_first


def map_distinct(
    values: pd.Series,
    func: Callable[..., Any],
    *,
    dtype: Any = "string",
    other: pd.Series | None = None,
) -> pd.Series:
    """``func(value)`` (or ``func(value, other)``) once per distinct non-null value, mapped back.

    The result is aligned to ``values`` with the given pandas ``dtype``; null values give null.
    """
    columns = [values] if other is None else [values, other]
    if len(values) == 0:
        return pd.Series(pd.array([], dtype=dtype), index=values.index, name=values.name)
    key, results, _ = _apply(columns, func, skip_null_first=True)
    mapped = np.empty(len(results), dtype=object)
    mapped[:] = results
    out: Any = mapped[key]
    return pd.Series(pd.array(out, dtype=dtype), index=values.index, name=values.name)


def map_distinct_frame(
    values: pd.Series,
    func: Callable[..., Sequence[Any]],
    columns: Sequence[str],
    *,
    dtypes: Sequence[Any] | None = None,
    other: pd.Series | None = None,
) -> pd.DataFrame:
    """Like :func:`map_distinct` for a function returning one tuple of ``columns`` per value."""
    inputs = [values] if other is None else [values, other]
    return _rows_to_frame(inputs, func, columns, dtypes, values.index, skip_null_first=True)


def map_distinct_rows(
    frame: pd.DataFrame,
    func: Callable[..., Sequence[Any]],
    columns: Sequence[str],
    *,
    dtypes: Sequence[Any] | None = None,
) -> pd.DataFrame:
    """``func(*row)`` once per distinct combination of ``frame``'s columns (nulls passed as None).

    Returns one column per name in ``columns``, aligned to ``frame``.
    """
    inputs = [frame[c] for c in frame.columns]
    return _rows_to_frame(inputs, func, columns, dtypes, frame.index, skip_null_first=False)


def _rows_to_frame(
    inputs: Sequence[pd.Series],
    func: Callable[..., Sequence[Any]],
    columns: Sequence[str],
    dtypes: Sequence[Any] | None,
    index: pd.Index,
    *,
    skip_null_first: bool,
) -> pd.DataFrame:
    kinds: Sequence[Any] = dtypes or ["string"] * len(columns)
    if len(index) == 0:
        return pd.DataFrame(
            {c: pd.Series(dtype=k, index=index) for c, k in zip(columns, kinds, strict=True)}
        )
    key, results, null_first = _apply(inputs, func, skip_null_first)
    empty = (None,) * len(columns)
    rows = [empty if skipped else tuple(r) for r, skipped in zip(results, null_first, strict=True)]
    table = pd.DataFrame.from_records(rows, columns=list(columns))
    picked = table.iloc[key]
    picked.index = index
    return pd.DataFrame(
        {col: picked[col].astype(kind) for col, kind in zip(columns, kinds, strict=True)}
    )
