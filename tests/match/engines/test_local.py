"""The local engine is the matcher's own code: its answers are those of the functions it wraps."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from dq.match.blocking import block, load_blocking_keys
from dq.match.columns import ColumnCache
from dq.match.comparisons import compare, load_comparisons
from dq.match.engines.local import LocalEngine, min_labels
from dq.match.engines.train import train_with
from dq.match.model import FSModel, estimate_u, pair_classes, train_model
from dq.match.score import score_pairs
from dq.match.settings import MatchSettings

SETTINGS = MatchSettings(u_sample_pairs=20_000)


def test_local_engine_is_block_and_compare(customers: pd.DataFrame) -> None:
    keys, comps = load_blocking_keys(), load_comparisons()
    engine = LocalEngine()
    pairs = engine.candidate_pairs(customers, keys, SETTINGS)
    want = block(customers, keys, settings=SETTINGS)
    np.testing.assert_array_equal(pairs.left, want.left)
    np.testing.assert_array_equal(pairs.right, want.right)
    levels = engine.comparison_levels(customers, pairs.left, pairs.right, comps)
    direct = compare(customers, pairs.left, pairs.right, comps).levels
    for comp in comps:
        np.testing.assert_array_equal(levels[comp.name], direct[comp.name])


def test_training_through_the_local_engine_is_train_model(
    customers: pd.DataFrame, same_model: Callable[[FSModel, FSModel, float], None]
) -> None:
    comps = load_comparisons()
    pairs = block(customers, settings=SETTINGS)
    cache = ColumnCache(customers)
    vectors = compare(customers, pairs.left, pairs.right, comps, cache=cache)
    classes = pair_classes(cache, pairs.left, pairs.right)
    u_random = estimate_u(customers, comps, settings=SETTINGS)
    want = train_model(vectors, u_random, settings=SETTINGS, classes=classes)
    got = train_with(LocalEngine(), customers, pairs.left, pairs.right, comps, SETTINGS)
    same_model(got, want, 0.0)
    assert want.classes  # the fixture has enough company pairs for a class model


def test_min_labels_names_each_component_by_its_smallest_member() -> None:
    labels = np.array([2, 0, 2, 1, 0], dtype=np.int64)
    assert min_labels(labels).tolist() == [0, 1, 0, 3, 1]


def test_pair_scores_are_score_pairs(customers: pd.DataFrame) -> None:
    settings = MatchSettings(u_sample_pairs=20_000, keep_non_matches=True)
    scored = score_pairs(customers, settings=settings)
    pairs = scored.pairs
    left = pairs["left_pos"].to_numpy(dtype=np.int64)
    right = pairs["right_pos"].to_numpy(dtype=np.int64)
    got = LocalEngine().pair_scores(customers, left, right, scored.model, settings)
    np.testing.assert_array_equal(got["match_weight"], pairs["match_weight"].to_numpy())
    np.testing.assert_array_equal(got["probability"], pairs["probability"].to_numpy())
    np.testing.assert_array_equal(got["band"], pairs["band"].cat.codes.to_numpy())
    np.testing.assert_array_equal(got["hard_rule"], pairs["hard_rule"].cat.codes.to_numpy() + 1)
    assert len(np.unique(got["band"])) == 3 and got["hard_rule"].any()


def test_matching_through_the_local_engine_is_the_local_matcher(customers: pd.DataFrame) -> None:
    # the engine path (engine steps, explanations of kept pairs, the engine's components
    # renumbered) gives the one-pass local matcher's pairs, clusters and review queue exactly
    from dq.match.run import link_records

    settings = MatchSettings(u_sample_pairs=20_000)
    want = link_records(customers, settings=settings)
    got = link_records(customers, settings=settings, engine=LocalEngine())
    pd.testing.assert_frame_equal(got.pairs, want.pairs)
    np.testing.assert_array_equal(got.labels, want.labels)
    pd.testing.assert_frame_equal(got.review, want.review)
    pd.testing.assert_frame_equal(got.clustering.clusters, want.clustering.clusters)
    assert got.clustering.conflicting == want.clustering.conflicting > 0
    assert got.clustering.links_removed == want.clustering.links_removed
    assert {"training", "explanations", "components"} <= set(got.timings)
    assert 1 < len(np.unique(want.labels)) < len(customers)


def test_the_engine_path_where_the_budget_binds_is_the_local_matcher(
    customers: pd.DataFrame, giant_keys: str
) -> None:
    # caps per key by a sample the engine path scores (and whose u it reuses for training)
    # exactly as the one-pass matcher does
    from dq.match.run import link_records

    settings = MatchSettings(blocking=giant_keys, block_cap=1000, u_sample_pairs=20_000)
    want = link_records(customers, settings=settings)
    got = link_records(customers, settings=settings, engine=LocalEngine())
    assert want.blocking.key_caps and want.blocking.pairs_estimated > want.blocking.budget
    assert got.blocking.to_dict() == want.blocking.to_dict()
    pd.testing.assert_frame_equal(got.pairs, want.pairs)
    np.testing.assert_array_equal(got.labels, want.labels)
