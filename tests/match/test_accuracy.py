"""Evaluation metrics from contingency counts (no pair sets)."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dq.match.accuracy import evaluate


def _series(labels: list[object]) -> pd.Series:
    return pd.Series(labels, index=[f"s:{i}" for i in range(len(labels))])


def test_known_example() -> None:
    truth = _series(["A", "A", "A", "B", "B", "C"])
    pred = _series([1, 1, 2, 3, 3, 4])
    m = evaluate(pred, truth)
    # true pairs: AA x3 + BB x1 = 4; predicted pairs: (0,1), (3,4) = 2, both correct
    assert (m.true_pairs, m.predicted_pairs, m.correct_pairs) == (4, 2, 2)
    assert m.pairwise_precision == 1.0 and m.pairwise_recall == 0.5
    assert m.pairwise_f1 == pytest.approx(2 / 3)
    # exact clusters: {3,4} = B and {5} = C; 4 predicted, 3 true
    assert m.exact_clusters == 2
    assert m.cluster_precision == pytest.approx(2 / 4) and m.cluster_recall == pytest.approx(2 / 3)


def test_crosswalk_frames_and_missing_truth() -> None:
    crosswalk = pd.DataFrame({"record_id": ["s:0", "s:1", "s:2"], "golden_id": ["G", "G", "H"]})
    truth = pd.Series(["A", "A", None], index=["s:0", "s:1", "s:2"])
    m = evaluate(crosswalk, truth)
    assert m.records == 2 and m.pairwise_f1 == 1.0 and m.cluster_f1 == 1.0


def test_a_big_cluster_is_counted_not_listed() -> None:
    n = 200_000
    truth = pd.Series(["A"] * n, index=[f"r:{i}" for i in range(n)])
    m = evaluate(truth, truth)
    assert m.true_pairs == n * (n - 1) // 2 and m.pairwise_f1 == 1.0


@given(st.lists(st.integers(0, 5), min_size=1, max_size=40))
def test_perfect_prediction_scores_one(labels: list[int]) -> None:
    truth = _series(labels)
    m = evaluate(truth.map(lambda x: f"g{x}"), truth)
    assert m.pairwise_f1 == 1.0 and m.cluster_f1 == 1.0 and m.bcubed_f1 == 1.0
