"""The suite's metrics on small examples computed by hand, and their invariants."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from benchmarks.suite.metrics import (
    blocking_recall,
    clusters_from_pairs,
    score_clusters,
    score_touching,
    true_pair_count,
)

# Six records of three entities: A = {0, 1, 2}, B = {3, 4}, C = {5};
# predicted clusters {0, 1}, {2, 3}, {4}, {5}.
TRUTH = ["A", "A", "A", "B", "B", "C"]
PRED = [10, 10, 20, 20, 30, 40]


def _f1(p: Fraction, r: Fraction) -> float:
    return float(2 * p * r / (p + r))


def test_pairwise_by_hand() -> None:
    # true pairs 01 02 12 34 = 4; predicted pairs 01 23 = 2; correct 01 = 1
    s = score_clusters(PRED, TRUTH)
    assert (s.true_pairs, s.predicted_pairs, s.correct_pairs) == (4, 2, 1)
    assert s.pairwise.precision == pytest.approx(0.5)
    assert s.pairwise.recall == pytest.approx(0.25)
    assert s.pairwise.f1 == pytest.approx(1 / 3)


def test_exact_clusters_by_hand() -> None:
    # only {5} reproduces an entity exactly: 1 of 4 clusters, 1 of 3 entities
    s = score_clusters(PRED, TRUTH)
    assert (s.clusters, s.entities) == (4, 3)
    assert s.cluster.precision == pytest.approx(1 / 4)
    assert s.cluster.recall == pytest.approx(1 / 3)
    assert s.cluster.f1 == pytest.approx(2 / 7)


def test_bcubed_by_hand() -> None:
    # precision per record: 1, 1, 1/2, 1/2, 1, 1 -> 5/6
    # recall per record: 2/3, 2/3, 1/3, 1/2, 1/2, 1 -> 11/18
    s = score_clusters(PRED, TRUTH)
    p, r = Fraction(5, 6), Fraction(11, 18)
    assert s.bcubed.precision == pytest.approx(float(p))
    assert s.bcubed.recall == pytest.approx(float(r))
    assert s.bcubed.f1 == pytest.approx(_f1(p, r))


def test_bcubed_rewards_cluster_completeness() -> None:
    # Amigó et al. 2009, constraint 2 (completeness): joining two clusters of one entity is better
    truth = ["A", "A", "A", "A", "B"]
    split = score_clusters([1, 1, 2, 2, 3], truth)
    joined = score_clusters([1, 1, 1, 1, 3], truth)
    assert joined.bcubed.f1 > split.bcubed.f1
    assert joined.bcubed.precision == split.bcubed.precision == 1.0


def test_bcubed_rag_bag() -> None:
    # constraint 3 (rag bag): a stray record hurts less in a cluster of strays than in a clean one
    truth = ["A", "A", "A", "B", "C", "D", "E"]
    in_clean = score_clusters([1, 1, 1, 1, 2, 2, 2], truth)
    in_bag = score_clusters([1, 1, 1, 2, 2, 2, 2], truth)
    assert in_bag.bcubed.precision > in_clean.bcubed.precision


def test_perfect_and_singletons() -> None:
    perfect = score_clusters(TRUTH, TRUTH)
    assert perfect.pairwise.f1 == perfect.cluster.f1 == perfect.bcubed.f1 == 1.0
    alone = score_clusters(range(6), TRUTH)
    assert alone.pairwise.precision == 1.0  # no pair claimed, none wrong
    assert alone.pairwise.recall == 0.0
    assert alone.pairwise.f1 == 0.0
    assert alone.cluster.precision == pytest.approx(1 / 6)  # only {5}
    assert alone.bcubed.precision == 1.0


def test_labels_of_any_type_and_length_check() -> None:
    assert score_clusters(np.array([3, 3, 7]), ["x", "x", "y"]).pairwise.f1 == 1.0
    with pytest.raises(ValueError, match="3 predicted labels for 2"):
        score_clusters([1, 2, 3], ["a", "b"])


def test_blocking_recall_counts_each_true_pair_once() -> None:
    truth = ["A", "A", "A", "B", "B"]
    left = np.array([0, 1, 1, 3, 0, 2])
    right = np.array([1, 0, 2, 4, 3, 2])  # 01 twice, a self-pair, one wrong pair
    assert true_pair_count(truth) == 4
    assert blocking_recall(truth, left, right) == pytest.approx(3 / 4)


def test_clusters_from_pairs_are_connected_components() -> None:
    labels = clusters_from_pairs(6, np.array([0, 1, 4]), np.array([1, 2, 4]))
    assert labels[0] == labels[1] == labels[2]
    assert len({labels[0], labels[3], labels[4], labels[5]}) == 4
    assert len(clusters_from_pairs(0, np.array([]), np.array([]))) == 0


def test_score_touching_by_hand() -> None:
    # record 2 marked: true pairs touching it 02 12 (2), predicted touching it 23 (1), none right
    got = score_touching(PRED, TRUTH, np.array([0, 0, 1, 0, 0, 0]))
    assert got == {"true_pairs": 2, "predicted_pairs": 1, "recall": 0.0, "precision": 0.0}
    # record 0 marked: true 01 02, predicted 01 -> recall 1/2, precision 1
    got = score_touching(PRED, TRUTH, np.array([1, 0, 0, 0, 0, 0]))
    assert got == {"true_pairs": 2, "predicted_pairs": 1, "recall": 0.5, "precision": 1.0}


labels = st.lists(st.integers(0, 5), min_size=1, max_size=40)


@given(st.data())
def test_swapping_prediction_and_truth_swaps_precision_and_recall(data: st.DataObject) -> None:
    pred = data.draw(labels)
    truth = data.draw(st.lists(st.integers(0, 5), min_size=len(pred), max_size=len(pred)))
    a, b = score_clusters(pred, truth), score_clusters(truth, pred)
    for name in ("pairwise", "cluster", "bcubed"):
        x, y = getattr(a, name), getattr(b, name)
        assert x.precision == pytest.approx(y.recall)
        assert x.recall == pytest.approx(y.precision)
        assert 0.0 <= x.f1 <= 1.0


@given(st.lists(st.integers(0, 8), min_size=2, max_size=30), st.data())
def test_pairwise_agrees_with_explicit_pair_sets(truth: list[int], data: st.DataObject) -> None:
    pred = data.draw(st.lists(st.integers(0, 8), min_size=len(truth), max_size=len(truth)))
    n = len(truth)
    pairs_t = {(i, j) for i in range(n) for j in range(i + 1, n) if truth[i] == truth[j]}
    pairs_p = {(i, j) for i in range(n) for j in range(i + 1, n) if pred[i] == pred[j]}
    s = score_clusters(pred, truth)
    assert s.correct_pairs == len(pairs_t & pairs_p)
    assert s.predicted_pairs == len(pairs_p)
    assert s.true_pairs == len(pairs_t)
    left = np.array([i for i, _ in pairs_p], dtype=np.int64)
    right = np.array([j for _, j in pairs_p], dtype=np.int64)
    expected = len(pairs_t & pairs_p) / len(pairs_t) if pairs_t else 1.0
    assert blocking_recall(truth, left, right) == pytest.approx(expected)


@given(st.lists(st.integers(0, 6), min_size=2, max_size=25), st.data())
def test_score_touching_agrees_with_explicit_pairs(truth: list[int], data: st.DataObject) -> None:
    n = len(truth)
    pred = data.draw(st.lists(st.integers(0, 6), min_size=n, max_size=n))
    mark = data.draw(st.lists(st.booleans(), min_size=n, max_size=n))
    touch = [(i, j) for i in range(n) for j in range(i + 1, n) if mark[i] or mark[j]]
    pairs_t = {(i, j) for i, j in touch if truth[i] == truth[j]}
    pairs_p = {(i, j) for i, j in touch if pred[i] == pred[j]}
    got = score_touching(pred, truth, np.array(mark))
    assert got["true_pairs"] == len(pairs_t)
    assert got["predicted_pairs"] == len(pairs_p)
    hit = len(pairs_t & pairs_p)
    assert got["recall"] == pytest.approx(hit / len(pairs_t) if pairs_t else 1.0)
    assert got["precision"] == pytest.approx(hit / len(pairs_p) if pairs_p else 1.0)
