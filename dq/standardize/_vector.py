"""Run a per-value function once per distinct value of a Series and map the results back.

Customer columns repeat heavily (cities, legal forms, first names); factorising first turns a
million calls into a few thousand. Null inputs never reach the function and map to null.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import numpy as np
import pandas as pd

__all__ = [
    "PARALLEL_MIN_ROWS",
    "arrow_mask",
    "arrow_text",
    "arrow_to_pandas",
    "as_text",
    "broadcast",
    "distinct_codes",
    "factorize_text",
    "map_distinct",
    "map_distinct_frame",
    "map_distinct_rows",
    "map_row_chunks",
    "patch_rows",
    "worker_count",
]

T = TypeVar("T")


def as_text(values: pd.Series) -> pd.Series:
    """``values`` as a nullable string Series (numbers from spreadsheets become text)."""
    if str(values.dtype) == "string":
        return values
    return values.astype("string")


def arrow_text(values: pd.Series) -> Any:
    """``values`` as one contiguous Arrow string array (zero-copy when already Arrow-backed)."""
    import pyarrow as pa

    data = pa.array(as_text(values).array, type=pa.string())
    return data.combine_chunks() if isinstance(data, pa.ChunkedArray) else data


def arrow_mask(condition: Any) -> np.ndarray:
    """A numpy boolean mask from an Arrow boolean (chunked) array; null counts as false."""
    import pyarrow.compute as pc

    return np.asarray(pc.fill_null(condition, False).to_numpy(zero_copy_only=False), dtype=bool)


def arrow_to_pandas(array: Any, dtype: Any = "string") -> pd.Series:
    """An Arrow array as a pandas Series of ``dtype`` (default index)."""
    return pd.Series(array.to_numpy(zero_copy_only=False), dtype=dtype)


def patch_rows(frame: pd.DataFrame, rows: Any, computed: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with the rows where the boolean mask ``rows`` holds taken from ``computed``.

    ``computed`` has one row per selected row, in order, and ``frame``'s columns: the
    column-wide fast paths use it to put in what the per-value path decided.
    """
    where = np.flatnonzero(np.asarray(rows, dtype=bool))
    if len(where):
        for name in frame.columns:
            column = frame[name].array.copy()
            column[where] = computed[name].array
            frame[name] = column
    return frame


def broadcast(value: pd.Series | str | None, index: pd.Index) -> pd.Series:
    """A per-row Series from a Series (aligned to ``index``) or one scalar for every row."""
    if isinstance(value, pd.Series):
        return as_text(value).reindex(index)
    return pd.Series(value, index=index, dtype="string")


def factorize_text(values: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """``pd.factorize`` of ``values`` as text (null code -1), on Arrow strings.

    pandas' hash table for Python strings stops at an embedded NUL (pandas 2.3: ``"a\\x00b"``
    and ``"a"`` get one code); Arrow compares the whole string, and is faster too.
    """
    return pd.factorize(as_text(values).astype("string[pyarrow]"), use_na_sentinel=True)


def distinct_codes(columns: Sequence[pd.Series]) -> tuple[np.ndarray, np.ndarray]:
    """Codes numbering the distinct row combinations, and the first row position of each.

    Nulls take part as a value of their own. Codes are combined pairwise and re-factorised, so
    the intermediate key never exceeds rows × distinct values (no overflow, no separators).
    """
    key = np.zeros(len(columns[0]), dtype=np.int64)
    for column in columns:
        codes, uniques = factorize_text(column)
        key = key * (len(uniques) + 1) + (codes.astype(np.int64) + 1)  # code 0 = null
        key, _ = pd.factorize(key)
    _, first = np.unique(key, return_index=True)
    return key, first


# Rows above which standardisation is split into row chunks for worker processes (fork only),
# and the most rows one chunk holds.
PARALLEL_MIN_ROWS = 100_000
CHUNK_ROWS = 125_000
_CHUNK_JOB: tuple[Callable[[pd.DataFrame], Any], pd.DataFrame] | None = None


def worker_count() -> int:
    """Worker processes for row-chunked work: ``DQ_WORKERS`` or the CPU count (at most 4)."""
    wanted = os.environ.get("DQ_WORKERS")
    if wanted is not None and wanted.isdigit():
        return max(1, int(wanted))
    return min(4, os.cpu_count() or 1)


def chunk_rows() -> int:
    """Rows per chunk: ``DQ_CHUNK_ROWS`` or :data:`CHUNK_ROWS` (larger is a little faster,
    smaller holds less in memory at once)."""
    wanted = os.environ.get("DQ_CHUNK_ROWS", "").replace("_", "")
    return max(1_000, int(wanted)) if wanted.isdigit() else CHUNK_ROWS


def _run_chunk(bounds: tuple[int, int]) -> Any:
    if _CHUNK_JOB is None:  # pragma: no cover - set before the pool forks
        raise RuntimeError("no job")
    func, frame = _CHUNK_JOB
    return func(frame.iloc[bounds[0] : bounds[1]])


def map_row_chunks(
    frame: pd.DataFrame, func: Callable[[pd.DataFrame], T], *, min_rows: int | None = None
) -> list[T]:
    """``func`` on contiguous row chunks of ``frame``; results in row order.

    Below ``min_rows`` rows (default :data:`PARALLEL_MIN_ROWS`), with one worker or where
    processes cannot be forked, ``func(frame)`` runs once in this process. Otherwise the rows
    are cut into chunks of at most :func:`chunk_rows`; this process takes every n-th chunk
    itself and forked workers (which inherit ``frame`` and ``func``: no pickling of the input)
    the others, so that what each process adds to the peak is one chunk's working set, not
    its share of all rows. Only the results travel back.
    """
    global _CHUNK_JOB
    workers = worker_count()
    threshold = PARALLEL_MIN_ROWS if min_rows is None else min_rows
    forkable = "fork" in multiprocessing.get_all_start_methods()
    if len(frame) < max(threshold, 2) or workers < 2 or not forkable:
        return [func(frame)]
    step = min(-(-len(frame) // workers), chunk_rows())
    bounds = [(i, min(i + step, len(frame))) for i in range(0, len(frame), step)]
    mine = set(range(0, len(bounds), workers))
    theirs = [b for k, b in enumerate(bounds) if k not in mine]
    _CHUNK_JOB = (func, frame)
    try:
        with multiprocessing.get_context("fork").Pool(min(workers - 1, len(theirs))) as pool:
            pending = pool.map_async(_run_chunk, theirs, chunksize=1)
            own = {k: func(frame.iloc[bounds[k][0] : bounds[k][1]]) for k in sorted(mine)}
            rest = iter(pending.get())
    finally:
        _CHUNK_JOB = None
    return [own[k] if k in mine else next(rest) for k in range(len(bounds))]


def _apply(
    columns: Sequence[pd.Series], func: Callable[..., Any], skip_null_first: bool
) -> tuple[np.ndarray, list[Any], np.ndarray]:
    key, first = distinct_codes(columns)
    # one Python object per distinct value only (Arrow-backed columns would make all of them)
    values = [
        [None if v is pd.NA else v for v in as_text(c).take(first).to_numpy(dtype=object)]
        for c in columns
    ]
    null_first = np.array([v is None for v in values[0]], dtype=bool)
    results: list[Any] = []
    for args in zip(*values, strict=True):
        results.append(None if skip_null_first and args[0] is None else func(*args))
    if not skip_null_first:
        null_first[:] = False
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
