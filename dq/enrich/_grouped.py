"""Per-customer reductions in numpy: the building blocks that keep customer value loop-free.

Customers are integer codes ``0 .. n-1``; every helper takes a code array and a value array of
the same length and returns one value per customer (``n`` long).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

__all__ = [
    "factorize",
    "first_label",
    "group_count",
    "group_max",
    "group_min",
    "group_quantile",
    "group_sum",
    "positions",
]

IntArray = npt.NDArray[np.int64]
CodeArray = npt.NDArray[np.int32]
"""Customer codes and other codes per row: int32 halves the memory of ten-million-row arrays."""
Codes = npt.NDArray[np.signedinteger[Any]]
FloatArray = npt.NDArray[np.float64]
DateArray = npt.NDArray[np.datetime64]


def group_sum(codes: Codes, values: npt.NDArray[np.int64], n: int) -> IntArray:
    """Exact integer sum per customer (0 where it has no value)."""
    out = np.zeros(n, dtype=np.int64)
    np.add.at(out, codes, values)
    return out


def group_count(codes: Codes, n: int) -> IntArray:
    """Number of values per customer."""
    return np.bincount(codes, minlength=n).astype(np.int64)


def group_max(codes: Codes, dates: DateArray, n: int) -> DateArray:
    """Latest date per customer (NaT where it has none)."""
    out = np.full(n, np.iinfo(np.int64).min, dtype=np.int64)
    np.maximum.at(out, codes, dates.astype("datetime64[ns]").astype(np.int64))
    return out.astype("datetime64[ns]")


def group_min(codes: Codes, dates: DateArray, n: int) -> DateArray:
    """Earliest date per customer (NaT where it has none)."""
    nat = np.iinfo(np.int64).min
    ints = dates.astype("datetime64[ns]").astype(np.int64)
    out = np.full(n, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(out, codes, np.where(ints == nat, np.iinfo(np.int64).max, ints))
    out[out == np.iinfo(np.int64).max] = nat
    return out.astype("datetime64[ns]")


def group_quantile(codes: Codes, values: FloatArray, q: float, n: int) -> FloatArray:
    """The ``q`` quantile (0..1, linear interpolation like numpy's default) per customer; NaN
    where a customer has no value. NaN values are ignored."""
    keep = ~np.isnan(values)
    codes, values = codes[keep], values[keep]
    out = np.full(n, np.nan)
    if len(values) == 0:
        return out
    low = values.min()
    if np.array_equal(values, np.round(values)) and values.max() - low < 2**31:
        # Whole days: one int64 sort on (customer, value) is much faster than a lexsort.
        key = np.sort((codes.astype(np.int64) << 32) | (values - low).astype(np.int64))
        codes, values = key >> 32, (key & 0xFFFFFFFF).astype(np.float64) + low
    else:
        order = np.lexsort((values, codes))
        codes, values = codes[order], values[order]
    counts = np.bincount(codes, minlength=n)
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    has = counts > 0
    h = (counts[has] - 1) * q
    lo = np.floor(h).astype(np.int64)
    hi = np.minimum(lo + 1, counts[has] - 1)
    base = starts[has]
    v_lo, v_hi = values[base + lo], values[base + hi]
    out[has] = v_lo + (h - lo) * (v_hi - v_lo)
    return out


def first_label(
    conditions: list[npt.NDArray[np.bool_]], labels: list[str], n: int
) -> npt.NDArray[np.object_]:
    """Per row the label of the first condition that holds; None where none does."""
    out = np.full(n, None, dtype=object)
    for cond, label in zip(reversed(conditions), reversed(labels), strict=True):
        out[cond] = label
    return out


def positions(values: pd.Series, index: pd.Index) -> CodeArray:
    """Position of each of ``values`` in ``index`` (-1 where absent), looked up in Arrow: ten
    million IDs never become ten million Python strings."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from dq.memory import release_unused

    looked_up = pa.array(values.astype("string[pyarrow]").array)  # the Arrow buffers, no copy
    keys = pa.array(index.astype("string[pyarrow]").array)
    if isinstance(keys, pa.ChunkedArray):
        keys = keys.combine_chunks()
    found = pc.fill_null(pc.index_in(looked_up, value_set=keys), -1)
    out = np.array(found.to_numpy(), dtype=np.int32)  # a copy numpy owns, not Arrow's pool
    del found
    release_unused()
    return out


def factorize(values: pd.Series) -> tuple[CodeArray, pd.Index]:
    """Integer codes in order of first appearance (-1 for null) and the distinct values, as
    ``pd.factorize`` gives them. Arrow-backed text is dictionary-encoded in Arrow and the hash
    table handed back to the OS at once: Arrow's pool would keep it (0.8 GB for ten million
    document numbers) for the rest of the run."""
    if isinstance(values.dtype, pd.StringDtype) and values.dtype.storage == "pyarrow":
        import pyarrow as pa
        import pyarrow.compute as pc

        from dq.memory import release_unused

        encoded = pa.array(values.array).dictionary_encode()  # what pd.factorize does
        if isinstance(encoded, pa.ChunkedArray):
            encoded = encoded.combine_chunks()
        codes = np.array(pc.fill_null(encoded.indices, -1).to_numpy(), dtype=np.int32)
        uniques = pd.Index(pd.arrays.ArrowStringArray(encoded.dictionary))
        del encoded
        release_unused()
        return codes, uniques
    codes64, found = pd.factorize(values, use_na_sentinel=True)
    return codes64.astype(np.int32), pd.Index(found)
