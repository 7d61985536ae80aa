"""What a blocking key's pairs are worth: sampled pairs per band of block sizes, scored.

When the pair budget binds, lowering one cap for every key treats a pair from a block of 20
e-mail twins like a pair from a block of 20 people in one city with one surname initial. Instead,
each key's pairs are sampled per band of block sizes (the pairs a step up the cap ladder would
add), a model without labels (u from random pairs, m by EM on the sample) gives every sampled
pair a match probability, and the band's mean is its yield: expected matches per pair it costs.
:func:`dq.match.budget.ranked_caps` spends the budget on the bands of highest yield first.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt
import pandas as pd

from dq.match.blocks import blocks_of, rank_order
from dq.match.budget import pair_count

__all__ = ["LADDER", "PairYield", "band_pairs", "cap_ladder", "step_yields", "window_pairs"]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

# Caps a key can get, about 1.5× apart: fine steps where most pairs and most matches are.
LADDER = (2, 3, 4, 6, 9, 13, 19, 28, 42, 63, 95, 142, 213, 300)

# Match probability per pair (row positions), from a model trained without labels.
PairYield = Callable[[IntArray, IntArray], FloatArray]


def cap_ladder(block_cap: int) -> tuple[int, ...]:
    """The caps from 2 up to ``block_cap``."""
    return (*(c for c in LADDER if c < block_cap), block_cap)


def band_pairs(
    own: IntArray,
    split: IntArray | None,
    ladder: tuple[int, ...],
    per_band: int,
    rng: np.random.Generator,
    blocks: tuple[IntArray, IntArray, IntArray] | None = None,
) -> tuple[IntArray, IntArray, IntArray]:
    """Random pairs (left, right, band) from the blocks each step of ``ladder`` adds.

    Step ``i`` adds the blocks of ``own`` with ``ladder[i-1] < size <= ladder[i]`` and, of bigger
    blocks, the ``split`` sub-blocks of that size (:func:`dq.match.budget.pairs_at_cap`). Up to
    ``per_band`` pairs per step, drawn uniformly over the step's pairs. ``blocks`` is
    ``blocks_of(own)`` where the caller has it already.
    """
    order, starts, sizes = blocks if blocks is not None else blocks_of(own)
    sub: tuple[IntArray, IntArray, IntArray, IntArray] | None = None
    if split is not None:
        both = (own >= 0) & (split >= 0)
        combo = np.where(both, own * (int(split.max(initial=0)) + 1) + split, -1)
        combo[both] = pd.factorize(combo[both])[0]
        s_order, s_starts, s_sizes = blocks_of(combo)
        block_size = np.zeros(len(own), dtype=np.int64)
        block_size[order] = np.repeat(sizes, sizes)
        sub = (s_order, s_starts, s_sizes, block_size[s_order[s_starts]])
    lefts: list[IntArray] = []
    rights: list[IntArray] = []
    bands: list[IntArray] = []
    low = 1
    for band, high in enumerate(ladder):
        pick = (sizes > low) & (sizes <= high)
        chosen = [(order, starts[pick], sizes[pick])]
        if sub is not None:
            s_order, s_starts, s_sizes, parent = sub
            pick = (s_sizes > low) & (s_sizes <= high) & (parent > high)
            chosen.append((s_order, s_starts[pick], s_sizes[pick]))
        weights = np.array([pair_count(c[2]) for c in chosen], dtype=np.float64)
        low = high
        if weights.sum() == 0:
            continue
        draws = rng.multinomial(min(per_band, int(weights.sum())), weights / weights.sum())
        for (where, block_starts, block_sizes), m in zip(chosen, draws, strict=True):
            if m:
                left, right = _sample(where, block_starts, block_sizes, int(m), rng)
                lefts.append(left)
                rights.append(right)
                bands.append(np.full(len(left), band, dtype=np.int64))
    if not lefts:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    return np.concatenate(lefts), np.concatenate(rights), np.concatenate(bands)


def window_pairs(
    rank: IntArray, window: int, per_step: int, rng: np.random.Generator
) -> tuple[IntArray, IntArray, IntArray]:
    """Random pairs (left, right, step) of a sorted-neighbourhood key: step ``d - 1`` holds
    records ``d`` places apart in key order (``d`` < ``window``), up to ``per_step`` each."""
    order = rank_order(rank)
    lefts: list[IntArray] = []
    rights: list[IntArray] = []
    steps: list[IntArray] = []
    for distance in range(1, max(window, 2)):
        if len(order) <= distance:
            break
        at = rng.integers(0, len(order) - distance, size=per_step)
        a, b = order[at], order[at + distance]
        lefts.append(np.minimum(a, b))
        rights.append(np.maximum(a, b))
        steps.append(np.full(per_step, distance - 1, dtype=np.int64))
    if not lefts:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    return np.concatenate(lefts), np.concatenate(rights), np.concatenate(steps)


def _sample(
    order: IntArray, starts: IntArray, sizes: IntArray, m: int, rng: np.random.Generator
) -> tuple[IntArray, IntArray]:
    """``m`` pairs drawn uniformly from all pairs within the given blocks (with replacement)."""
    cumulative = np.cumsum((sizes * (sizes - 1) // 2).astype(np.float64))
    block = np.searchsorted(cumulative, rng.random(m) * cumulative[-1], side="right")
    block = np.minimum(block, len(sizes) - 1)
    size = sizes[block]
    i = rng.integers(0, size)
    j = rng.integers(0, size - 1)
    j = j + (j >= i)
    a, b = order[starts[block] + i], order[starts[block] + j]
    return np.minimum(a, b), np.maximum(a, b)


def step_yields(
    steps: list[IntArray], probability: FloatArray, width: int
) -> npt.NDArray[np.float64]:
    """Mean match probability per key (row) and ladder step (column) of sampled pairs: the
    pairs of key ``k`` come ``len(steps[k])``-wise in order in ``probability``; NaN where a
    step drew no pair."""
    yields = np.full((len(steps), width), np.nan)
    start = 0
    for k, step in enumerate(steps):  # one row per key, not per pair
        drawn = np.bincount(step, minlength=width)
        found = np.bincount(step, weights=probability[start : start + len(step)], minlength=width)
        yields[k, drawn > 0] = found[drawn > 0] / drawn[drawn > 0]
        start += len(step)
    return yields
