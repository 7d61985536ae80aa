"""Blocks as runs of equal key codes: the geometry blocking, its budget and its sampling share."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["blocks_of", "ranges", "rank_order"]

IntArray = npt.NDArray[np.int64]


def blocks_of(codes: IntArray) -> tuple[IntArray, IntArray, IntArray]:
    """Records with a key (code >= 0) sorted by key: (order, block starts, block sizes)."""
    valid = np.flatnonzero(codes >= 0)
    order = _stable_order(codes[valid].astype(np.int64), valid.astype(np.int64))
    sorted_codes = codes[order]
    if len(order) == 0:
        empty = np.zeros(0, dtype=np.int64)
        return order.astype(np.int64), empty, empty
    starts = np.flatnonzero(np.r_[True, sorted_codes[1:] != sorted_codes[:-1]])
    sizes = np.diff(np.r_[starts, len(order)])
    return order.astype(np.int64), starts.astype(np.int64), sizes.astype(np.int64)


def rank_order(rank: IntArray) -> IntArray:
    """Records with a rank (>= 0) in rank order (ties in position order).

    Ranks of a sorted-neighbourhood key are distinct: each record is put at its rank, no sort.
    """
    valid = np.flatnonzero(rank >= 0)
    if len(valid) == 0:
        return valid.astype(np.int64)
    place = np.full(int(rank[valid].max()) + 1, -1, dtype=np.int64)
    place[rank[valid]] = valid
    order = place[place >= 0]
    if len(order) == len(valid):
        return order
    return _stable_order(rank[valid].astype(np.int64), valid.astype(np.int64))  # ties


def ranges(starts: IntArray, sizes: IntArray) -> IntArray:
    """Concatenated ``arange(start, start + size)`` for every block, without a Python loop."""
    total = int(sizes.sum())
    block_of = np.repeat(np.arange(len(sizes)), sizes)
    within = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    return starts[block_of] + within


def _stable_order(codes: IntArray, positions: IntArray) -> IntArray:
    """``positions`` sorted by ``codes``, ties in position order (a stable argsort).

    Sorts the values ``code × n + position`` instead: unique keys need no stable sort, and
    numpy sorts int64 values about twice as fast as it argsorts them.
    """
    n = int(positions.max(initial=0)) + 1
    if len(codes) == 0 or (int(codes.max()) + 1) * n >= 2**62:
        return positions[np.argsort(codes, kind="stable")]
    keys = codes * n + positions
    keys.sort()
    return keys % n
