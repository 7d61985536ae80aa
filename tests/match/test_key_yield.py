"""Per-key caps by yield: when the pair budget binds, the likeliest matches are kept."""

from __future__ import annotations

import numpy as np
import pandas as pd

from dq.golden.survivorship import positional
from dq.match.blocking import block, key_codes, parse_blocking_keys
from dq.match.budget import ranked_steps
from dq.match.columns import ColumnCache
from dq.match.comparisons import load_comparisons
from dq.match.key_yield import band_pairs, cap_ladder, window_pairs
from dq.match.run import arrow_strings
from dq.match.score import SampleScorer
from dq.match.settings import MatchSettings


def test_the_budget_goes_to_the_steps_of_highest_yield() -> None:
    pairs = np.array([[10, 30, 60], [10, 110, 310]], dtype=np.int64)
    yields = np.array([[1.0, 0.9, 0.8], [1.0, 0.1, 0.05]])
    reached, total = ranked_steps(pairs, yields, budget=70)
    assert reached.tolist() == [2, 0]
    assert total == 70


def test_a_step_never_ranks_above_an_earlier_one_of_its_key() -> None:
    # key 1's third step looks rich, but it cannot be had without the poor second one
    pairs = np.array([[0, 50, 100], [0, 40, 80]], dtype=np.int64)
    yields = np.array([[np.nan, 0.5, 0.4], [np.nan, 0.01, 0.9]])
    reached, total = ranked_steps(pairs, yields, budget=110)
    assert reached.tolist() == [2, 0]
    assert total == 100


def test_a_step_without_pairs_does_not_stop_its_key() -> None:
    pairs = np.array([[0, 0, 20]], dtype=np.int64)  # no blocks of the middle sizes
    yields = np.array([[np.nan, np.nan, 0.7]])
    reached, _ = ranked_steps(pairs, yields, budget=20)
    assert reached.tolist() == [2]


def test_sampled_pairs_come_from_the_blocks_of_their_band() -> None:
    sizes = [2, 2, 5, 5, 50]
    codes = np.repeat(np.arange(len(sizes)), sizes).astype(np.int64)
    ladder = (2, 4, 9, 60)
    left, right, band = band_pairs(codes, None, ladder, 200, np.random.default_rng(1))
    assert (left < right).all()
    assert (codes[left] == codes[right]).all()
    block_size = np.asarray(sizes)[codes[left]]
    low = np.r_[1, ladder[:-1]][band]
    high = np.asarray(ladder)[band]
    assert ((block_size > low) & (block_size <= high)).all()
    assert set(band.tolist()) == {0, 2, 3}  # nothing of sizes 3-4


def test_sub_blocks_of_big_blocks_are_sampled_in_their_own_band() -> None:
    codes = np.zeros(100, dtype=np.int64)  # one block of 100 ...
    split = np.arange(100, dtype=np.int64) // 4  # ... of 25 sub-blocks of 4
    left, right, band = band_pairs(codes, split, (2, 4, 60), 100, np.random.default_rng(2))
    assert set(band.tolist()) == {1}  # the block itself is above the largest cap
    assert (split[left] == split[right]).all()


def test_window_pairs_are_the_given_distance_apart_in_key_order() -> None:
    rank = np.array([3, 0, 2, -1, 1, 4], dtype=np.int64)
    left, right, step = window_pairs(rank, 3, 50, np.random.default_rng(3))
    order = np.argsort(np.where(rank < 0, 99, rank))
    place = np.empty(len(rank), dtype=np.int64)
    place[order] = np.arange(len(rank))
    assert (np.abs(place[left] - place[right]) == step + 1).all()
    assert (rank[left] >= 0).all() and (rank[right] >= 0).all()


def test_the_ladder_ends_at_the_configured_cap() -> None:
    assert cap_ladder(300)[-1] == 300
    assert cap_ladder(50) == (2, 3, 4, 6, 9, 13, 19, 28, 42, 50)


def _valuable_big_blocks() -> pd.DataFrame:
    """A key whose blocks of 60 records are all one customer each, and a noisy key whose
    blocks of 30 hold no match: together more pairs than the budget of a million."""
    i = np.arange(30_000)
    truth = i // 60
    rng = np.random.default_rng(7)
    return pd.DataFrame(
        {
            "good": (i // 60).astype(str),
            "noise": rng.permutation(i // 30).astype(str),
            "truth": truth.astype(str),
        },
        dtype="string",
    )


def test_when_the_budget_binds_the_key_that_finds_matches_keeps_its_blocks() -> None:
    frame = _valuable_big_blocks()
    keys = parse_blocking_keys(
        {"keys": [{"name": "good", "parts": ["good"]}, {"name": "noise", "parts": ["noise"]}]}
    )
    truth = key_codes(frame, ["truth"])

    def oracle(left: np.ndarray, right: np.ndarray) -> np.ndarray:
        # stands in for the model: the allocator is what is under test
        return (truth[left] == truth[right]).astype(np.float64)

    settings = MatchSettings(pairs_per_record=10)
    one_cap = block(frame, keys, settings=settings)
    ranked = block(frame, keys, settings=settings, pair_yield=oracle)

    def found(pairs: object) -> int:
        return int((truth[pairs.left] == truth[pairs.right]).sum())  # type: ignore[attr-defined]

    # one cap for all: the big valuable blocks go first (the noise meets a customer by chance)
    assert found(one_cap) < 2_000
    assert found(ranked) == 500 * 1770  # every pair of every customer
    assert ranked.report.key_caps == {"good": 300, "noise": 28}
    assert ranked.report.key_yield["good"] == 1.0
    assert ranked.report.pairs <= ranked.report.budget
    assert any("per key" in w for w in ranked.report.warnings)


def test_the_sample_scorer_ranks_duplicates_above_random_pairs(customers: pd.DataFrame) -> None:
    records = arrow_strings(positional(customers.drop(columns=["entity"])))
    entity = customers["entity"].to_numpy()
    scorer = SampleScorer(records, load_comparisons(), MatchSettings(), ColumnCache(records), None)
    pairs = block(records)
    same = entity[pairs.left] == entity[pairs.right]
    probability = scorer.probability(pairs.left, pairs.right)
    assert probability.shape == (len(pairs),)
    assert probability[same].mean() > 0.8
    assert probability[~same].mean() < 0.2
