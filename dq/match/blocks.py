"""Blocks as runs of equal key codes: the geometry blocking, its budget and its sampling share."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["blocks_of", "ranges"]

IntArray = npt.NDArray[np.int64]


def blocks_of(codes: IntArray) -> tuple[IntArray, IntArray, IntArray]:
    """Records with a key (code >= 0) sorted by key: (order, block starts, block sizes)."""
    valid = np.flatnonzero(codes >= 0)
    order = valid[np.argsort(codes[valid], kind="stable")]
    sorted_codes = codes[order]
    if len(order) == 0:
        empty = np.zeros(0, dtype=np.int64)
        return order.astype(np.int64), empty, empty
    starts = np.flatnonzero(np.r_[True, sorted_codes[1:] != sorted_codes[:-1]])
    sizes = np.diff(np.r_[starts, len(order)])
    return order.astype(np.int64), starts.astype(np.int64), sizes.astype(np.int64)


def ranges(starts: IntArray, sizes: IntArray) -> IntArray:
    """Concatenated ``arange(start, start + size)`` for every block, without a Python loop."""
    total = int(sizes.sum())
    block_of = np.repeat(np.arange(len(sizes)), sizes)
    within = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    return starts[block_of] + within
