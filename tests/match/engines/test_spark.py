"""The Spark engine gives the local engine's answers on the 1,000 fixture customers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest

from dq.match.blocking import load_blocking_keys
from dq.match.comparisons import load_comparisons
from dq.match.engines.local import LocalEngine
from dq.match.engines.train import train_with
from dq.match.model import FSModel
from dq.match.settings import MatchSettings


@pytest.fixture(scope="module")
def engine(spark: Any) -> Any:
    from dq.match.engines.spark import SparkEngine

    return SparkEngine(spark)


@pytest.mark.parametrize(
    "settings",
    [
        MatchSettings(),
        # a tiny cap: blocks are split by their secondary key and skipped, within a budget
        MatchSettings(block_cap=4, pairs_per_record=None, mode="link_only"),
        # with a budget (which at 1,000 records stays at its floor of a million pairs)
        MatchSettings(block_cap=6, pairs_per_record=0.5, mode="dedupe_only"),
    ],
    ids=["shipped", "cap4_link_only", "cap6_budget_dedupe_only"],
)
def test_candidate_pairs_equal_the_local_engine(
    engine: Any, customers: pd.DataFrame, settings: MatchSettings
) -> None:
    keys = load_blocking_keys()
    local = LocalEngine().candidate_pairs(customers, keys, settings)
    spark = engine.candidate_pairs(customers, keys, settings)
    assert len(local) > 0
    np.testing.assert_array_equal(spark.left, local.left)
    np.testing.assert_array_equal(spark.right, local.right)
    assert spark.report.to_dict() == local.report.to_dict()


def test_cap4_splits_and_skips_blocks(engine: Any, customers: pd.DataFrame) -> None:
    settings = MatchSettings(block_cap=4, pairs_per_record=None)
    report = engine.candidate_pairs(customers, load_blocking_keys(), settings).report
    assert report.blocks_split and report.blocks_skipped and report.warnings


def test_comparison_levels_equal_the_local_engine(engine: Any, customers: pd.DataFrame) -> None:
    settings = MatchSettings()
    pairs = LocalEngine().candidate_pairs(customers, load_blocking_keys(), settings)
    comps = load_comparisons()
    local = LocalEngine().comparison_levels(customers, pairs.left, pairs.right, comps)
    spark = engine.comparison_levels(customers, pairs.left, pairs.right, comps)
    assert set(spark) == {c.name for c in comps}
    for comp in comps:
        np.testing.assert_array_equal(spark[comp.name], local[comp.name], err_msg=comp.name)
    # not a comparison of missing values: nearly every comparison tells pairs apart here (a
    # comparison on a column the fixture lacks, such as a tax number, is all missing)
    varied = [c.name for c in comps if len(np.unique(local[c.name])) > 1]
    assert len(varied) >= min(10, len(comps))


def test_components_equal_the_local_engine(engine: Any, customers: pd.DataFrame) -> None:
    pairs = LocalEngine().candidate_pairs(customers, load_blocking_keys(), MatchSettings())
    n = len(customers)
    local = LocalEngine().components(n, pairs.left, pairs.right)
    spark = engine.components(n, pairs.left, pairs.right)
    np.testing.assert_array_equal(spark, local)
    assert 1 < len(np.unique(local)) < n


def test_components_of_a_long_chain_and_isolated_records(engine: Any) -> None:
    # a path 0-1-…-39 listed in shuffled order needs several star rounds; 40..44 stay alone
    rng = np.random.default_rng(7)
    order = rng.permutation(39)
    left = order.astype(np.int64)
    right = (order + 1).astype(np.int64)
    labels = engine.components(45, left, right)
    assert labels.tolist() == [0] * 40 + [40, 41, 42, 43, 44]


def test_model_trained_on_spark_counts_equals_the_local_model(
    engine: Any, customers: pd.DataFrame, same_model: Callable[[FSModel, FSModel, float], None]
) -> None:
    settings = MatchSettings(u_sample_pairs=20_000)
    comps = load_comparisons()
    pairs = LocalEngine().candidate_pairs(customers, load_blocking_keys(), settings)
    local = train_with(LocalEngine(), customers, pairs.left, pairs.right, comps, settings)
    spark = train_with(engine, customers, pairs.left, pairs.right, comps, settings)
    # the same counts in another pattern order: EM sums in another order, equal within rounding
    same_model(spark, local, 1e-9)


@pytest.mark.parametrize("tf", [True, False], ids=["tf", "no_tf"])
def test_pair_scores_equal_the_local_engine(engine: Any, customers: pd.DataFrame, tf: bool) -> None:
    settings = MatchSettings(u_sample_pairs=20_000, tf_adjustment=tf)
    comps = load_comparisons()
    assert any(c.tf for c in comps)
    local_engine = LocalEngine()
    pairs = local_engine.candidate_pairs(customers, load_blocking_keys(), settings)
    model = train_with(local_engine, customers, pairs.left, pairs.right, comps, settings)
    local = local_engine.pair_scores(customers, pairs.left, pairs.right, model, settings)
    spark = engine.pair_scores(customers, pairs.left, pairs.right, model, settings)
    assert set(spark) == set(local)
    for name in ("band", "hard_rule"):
        np.testing.assert_array_equal(spark[name], local[name], err_msg=name)
    # column frequencies summed in another order: weights equal up to rounding
    for name in ("match_weight", "probability"):
        np.testing.assert_allclose(spark[name], local[name], rtol=1e-12, atol=1e-12, err_msg=name)
    assert (local["band"] == 0).any() and local["hard_rule"].any()
    if tf:  # the adjustments change weights: the frequencies are really compared
        plain = settings.model_copy(update={"tf_adjustment": False})
        other = local_engine.pair_scores(customers, pairs.left, pairs.right, model, plain)
        assert not np.allclose(other["match_weight"], local["match_weight"])


def test_block_sizes_counted_in_spark_give_the_local_budget(
    spark: Any, customers: pd.DataFrame
) -> None:
    # at 1,000 records the budget's floor (a million pairs) never lowers the cap, so the
    # block-size histograms the budget reads are compared at every cap directly
    from dq.match.blocking import _key_codes
    from dq.match.budget import KeyBlocks, pairs_at_cap
    from dq.match.columns import ColumnCache
    from dq.match.engines.spark_blocking import (
        _columns,
        _histograms,
        _key_blocks,
        _keyed,
        _stacked_blocks,
    )

    keys, settings = load_blocking_keys(), MatchSettings()
    keyed = _keyed(spark, customers, _columns(keys, settings)).localCheckpoint()
    hist = _histograms(_stacked_blocks(keyed, keys))
    local_codes = _key_codes(ColumnCache(customers), keys)
    split_keys = 0
    for i, key in enumerate(keys):
        if key.kind == "sorted_neighbourhood":
            continue
        own, split = local_codes[key.name]
        local = KeyBlocks.of(
            own.astype(np.int64), None if split is None else split.astype(np.int64)
        )
        counted = _key_blocks(hist, i, bool(key.split_by))
        split_keys += bool(key.split_by)
        for cap in (2, 3, 5, 8, 300):
            assert pairs_at_cap(counted, cap) == pairs_at_cap(local, cap), (key.name, cap)
    assert split_keys >= 3


def test_per_key_caps_where_the_budget_binds_equal_the_local_engine(
    engine: Any, customers: pd.DataFrame, giant_keys: str
) -> None:
    # the yield sample depends on every key's codes and ranks: equal caps, pairs and report
    # only if the codes and ranks collected from Spark are the local ones
    from dq.match.columns import ColumnCache
    from dq.match.score import SampleScorer

    settings = MatchSettings(blocking=giant_keys, block_cap=1000, u_sample_pairs=20_000)
    keys = load_blocking_keys(giant_keys)
    scorer = SampleScorer(customers, load_comparisons(), settings, ColumnCache(customers), None)
    local = LocalEngine().candidate_pairs(customers, keys, settings, scorer.probability)
    spark = engine.candidate_pairs(customers, keys, settings, scorer.probability)
    report = local.report
    assert report.budget is not None and report.pairs_estimated > report.budget
    # caps set key by key: the giant keys lowered, the identifiers kept whole
    assert report.key_caps["email"] == 1000
    assert any(cap < 1000 for key, cap in report.key_caps.items() if key.startswith("giant"))
    assert report.key_yield and any("per key" in w for w in report.warnings)
    np.testing.assert_array_equal(spark.left, local.left)
    np.testing.assert_array_equal(spark.right, local.right)
    assert spark.report.to_dict() == report.to_dict()


def test_pair_details_equal_the_local_engine(engine: Any, customers: pd.DataFrame) -> None:
    settings = MatchSettings(u_sample_pairs=20_000)
    local_engine = LocalEngine()
    pairs = local_engine.candidate_pairs(customers, load_blocking_keys(), settings)
    model = train_with(
        local_engine, customers, pairs.left, pairs.right, load_comparisons(), settings
    )
    local = local_engine.pair_details(customers, pairs.left, pairs.right, model, settings)
    spark = engine.pair_details(customers, pairs.left, pairs.right, model, settings)
    np.testing.assert_array_equal(spark.classes, local.classes)
    assert len(np.unique(local.classes)) > 1
    for comp in model.comparisons:
        np.testing.assert_array_equal(spark.levels[comp.name], local.levels[comp.name])
        # term frequencies summed in another order: equal up to rounding
        np.testing.assert_allclose(
            spark.weights[comp.name], local.weights[comp.name], rtol=1e-12, atol=1e-12
        )


def test_attribute_pairs_trained_and_scored_as_the_local_engine(
    engine: Any,
    same_model: Callable[[FSModel, FSModel, float], None],
    birth_population: Callable[..., pd.DataFrame],
) -> None:
    """Pairs a date of birth alone brought: the date is blocked on and compared in Spark as
    locally, their class is found per pair partition, so the class's EM and every score agree."""
    from dq.match.attribute_pairs import attribute_keys
    from dq.match.model import PAIR_CLASSES
    from dq.memory import arrow_strings
    from dq.standardize import standardize_records

    raw = birth_population().drop(columns=["entity"])
    # as the matcher gets them (the customers fixture too): standardised, text as Arrow
    records = arrow_strings(standardize_records(raw).records.reset_index(drop=True))
    settings = MatchSettings(u_sample_pairs=20_000)
    comps, keys = load_comparisons(), load_blocking_keys()
    attribute = attribute_keys(keys, comps)
    local_engine = LocalEngine()
    pairs = local_engine.candidate_pairs(records, keys, settings)
    # the date of birth is a blocking key in Spark too (dates travel as their digits)
    spark_pairs = engine.candidate_pairs(records, keys, settings)
    np.testing.assert_array_equal(spark_pairs.left, pairs.left)
    np.testing.assert_array_equal(spark_pairs.right, pairs.right)
    assert pairs.report.pairs_per_key["person_birth"] > 0
    left, right = pairs.left, pairs.right
    local = train_with(local_engine, records, left, right, comps, settings, attribute=attribute)
    spark = train_with(engine, records, left, right, comps, settings, attribute=attribute)
    assert local.classes["attribute"].source == "own"
    same_model(spark, local, 1e-9)
    local_scores = local_engine.pair_scores(records, left, right, local, settings)
    spark_scores = engine.pair_scores(records, left, right, local, settings)
    np.testing.assert_array_equal(spark_scores["band"], local_scores["band"])
    np.testing.assert_allclose(spark_scores["match_weight"], local_scores["match_weight"])
    details = engine.pair_details(records, left, right, local, settings)
    assert (details.classes == PAIR_CLASSES.index("attribute")).sum() >= 1000
