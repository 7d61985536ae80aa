"""A budget of candidate pairs: the block size cap that keeps blocking within it.

A phonetic key over common surnames can make most of all candidate pairs on its own, so the
memory of matching would follow the data's name distribution. Before any pair is built, the
pairs every key would make are counted from its block sizes (and, for blocks above the cap, the
sizes of their ``split_by`` sub-blocks); when the total exceeds ``pairs_per_record`` × records,
the cap is lowered until it fits. Lowering the cap hits the keys with the largest blocks first:
a pair from a block of thousands is far less likely a match than one from a block of three, so
those keys are refined (``split_by``) or capped before the small, useful blocks are touched.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

__all__ = ["KeyBlocks", "budget_cap", "pair_count", "pairs_at_cap", "ranked_steps"]

IntArray = npt.NDArray[np.int64]

# Below this many pairs memory is no concern (a few tens of MB): small data keep their blocks.
MIN_BUDGET = 1_000_000


@dataclass(frozen=True)
class KeyBlocks:
    """Block sizes of one key, and per block above any cap the sizes of its sub-blocks."""

    sizes: IntArray  # per block
    sub_sizes: IntArray  # per sub-block (split_by), all blocks
    sub_parent: IntArray  # the block each sub-block belongs to

    @classmethod
    def of(cls, codes: IntArray, sub: IntArray | None) -> KeyBlocks:
        """From per-record block codes (-1: no key) and split_by codes (-1: none) or None."""
        has = codes >= 0
        sizes = np.bincount(codes[has]).astype(np.int64) if has.any() else np.zeros(0, np.int64)
        if sub is None:
            empty = np.zeros(0, dtype=np.int64)
            return cls(sizes, empty, empty)
        both = has & (sub >= 0)
        combo = codes[both] * (int(sub.max(initial=0)) + 1) + sub[both]
        found, parents = pd.factorize(combo)
        width = int(sub.max(initial=0)) + 1
        sub_sizes = np.bincount(found).astype(np.int64) if len(found) else np.zeros(0, np.int64)
        sub_parent = (np.asarray(parents, dtype=np.int64) // width).astype(np.int64)
        return cls(sizes, sub_sizes, sub_parent)


def pair_count(sizes: IntArray) -> int:
    """Pairs within blocks of these sizes."""
    return int((sizes * (sizes - 1) // 2).sum())


def pairs_at_cap(blocks: KeyBlocks, cap: int) -> int:
    """Pairs the key makes with blocks above ``cap`` split by their sub-blocks (those still
    above ``cap`` skipped), as :func:`dq.match.blocking.block` builds them."""
    small = blocks.sizes[blocks.sizes <= cap]
    total = pair_count(small)
    if len(blocks.sub_sizes):
        big_parent = blocks.sizes[blocks.sub_parent] > cap
        sub = blocks.sub_sizes[big_parent]
        total += pair_count(sub[sub <= cap])
    return total


def budget_cap(
    keys: Sequence[KeyBlocks], fixed_pairs: int, budget: int, cap: int
) -> tuple[int, int]:
    """The largest cap (≤ ``cap``) whose pairs, plus ``fixed_pairs`` (sorted-neighbourhood
    keys), stay within ``budget``; and the pairs estimated at ``cap``. At least 2."""
    estimate = fixed_pairs + sum(pairs_at_cap(k, cap) for k in keys)
    if estimate <= budget:
        return cap, estimate
    low, high = 2, cap  # pairs grow with the cap: the largest one that fits
    while low < high:
        middle = (low + high + 1) // 2
        if fixed_pairs + sum(pairs_at_cap(k, middle) for k in keys) <= budget:
            low = middle
        else:
            high = middle - 1
    return low, estimate


def ranked_steps(
    pairs: npt.NDArray[np.int64], yields: npt.NDArray[np.float64], budget: int
) -> tuple[IntArray, int]:
    """Per key the step of its ladder that spends ``budget`` on the likeliest matches.

    ``pairs[k, i]`` is the pairs key ``k`` makes at step ``i`` of its ladder (caps for block
    keys, windows for sorted-neighbourhood keys; non-decreasing along the row); ``yields[k, i]``
    the expected matches per pair that step ``i`` adds (:mod:`dq.match.key_yield`; NaN: nothing
    sampled). Every key keeps step 0; then, greedily by yield, a key climbs its ladder while
    the pairs fit. A step never counts as better than an earlier one of the same key. Returns
    the step per key and the pairs planned.
    """
    keys, steps = pairs.shape
    added = np.diff(pairs, axis=1, prepend=0)
    density = np.array(yields, dtype=np.float64).reshape(keys, steps)
    density[:, 0] = np.nan_to_num(density[:, 0], nan=np.inf)
    for i in range(1, steps):  # a step without pairs (no sample) adds nothing: carry on
        density[:, i] = np.where(np.isnan(density[:, i]), density[:, i - 1], density[:, i])
    density = np.minimum.accumulate(density, axis=1)
    reached = np.zeros(keys, dtype=np.int64)
    total = int(pairs[:, 0].sum())
    closed = np.zeros(keys, dtype=bool)
    key_of, step_of = np.nonzero(np.ones((keys, steps - 1), dtype=bool))
    step_of += 1
    by_yield = np.lexsort((step_of, -density[key_of, step_of]))
    # a few hundred (key, step) items: the loop is over steps, never over records or pairs
    for k, i in zip(key_of[by_yield].tolist(), step_of[by_yield].tolist(), strict=True):
        if closed[k] or reached[k] != i - 1 or total + int(added[k, i]) > budget:
            closed[k] = True
            continue
        total += int(added[k, i])
        reached[k] = i
    return reached, total
