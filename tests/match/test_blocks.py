"""Blocks as runs of equal key codes: the same order as a stable argsort, whatever the codes."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from dq.match.blocks import blocks_of, ranges, rank_order


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=-1, max_value=12), max_size=60))
def test_blocks_are_a_stable_sort_by_code(values: list[int]) -> None:
    codes = np.asarray(values, dtype=np.int64)
    order, starts, sizes = blocks_of(codes)
    valid = np.flatnonzero(codes >= 0)
    assert order.tolist() == valid[np.argsort(codes[valid], kind="stable")].tolist()
    assert int(sizes.sum()) == len(valid)
    for start, size in zip(starts.tolist(), sizes.tolist(), strict=True):
        block = codes[order[start : start + size]]
        assert (block == block[0]).all()
    assert len(set(codes[order[starts]].tolist())) == len(starts)  # one run per code


def test_huge_codes_fall_back_to_an_argsort() -> None:
    codes = np.array([2**61, 5, 2**61, -1, 5], dtype=np.int64)
    order, starts, sizes = blocks_of(codes)
    assert order.tolist() == [1, 4, 0, 2]
    assert sizes.tolist() == [2, 2]
    assert ranges(starts, sizes).tolist() == [0, 1, 2, 3]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=-1, max_value=30), max_size=40))
def test_rank_order_is_a_stable_sort_by_rank(values: list[int]) -> None:
    rank = np.asarray(values, dtype=np.int64)
    valid = np.flatnonzero(rank >= 0)
    expected = valid[np.argsort(rank[valid], kind="stable")]
    assert rank_order(rank).tolist() == expected.tolist()


def test_distinct_ranks_are_placed_without_sorting() -> None:
    rank = np.array([3, -1, 0, 7, 1], dtype=np.int64)
    assert rank_order(rank).tolist() == [2, 4, 0, 3]
