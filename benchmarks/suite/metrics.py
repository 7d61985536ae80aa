"""Accuracy of a clustering against ground truth, computed the same way for every tool.

Everything is counted from the contingency table of (predicted cluster, true entity) — no set of
record pairs is built, so a million records with clusters of any size cost one group-by:

- **pairwise** ("pairs implied by clusters"): a pair is two records in one cluster; precision =
  true pairs among predicted pairs / predicted pairs, recall = the same / true pairs;
- **exact cluster**: a cluster is correct when its members are exactly one entity's records;
  precision = correct clusters / clusters, recall = correct clusters / entities (singletons count);
- **B-cubed** (Amigó, Gonzalo, Artiles, Verdejo 2009, "A comparison of extrinsic clustering
  evaluation metrics based on formal constraints", Information Retrieval 12(4)): per record,
  precision = share of its cluster that belongs to its entity, recall = share of its entity that
  is in its cluster; both averaged over records, F the harmonic mean of the averages.

Blocking is scored from the candidate pairs a tool compared: ``blocking_recall`` = share of the
true pairs that are among the candidates.

Conventions for empty denominators: precision is 1.0 when nothing was predicted (no false
claim was made), recall is 1.0 when there is nothing to find; F1 is 0.0 when both are 0.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

__all__ = [
    "PRF",
    "Scores",
    "blocking_recall",
    "clusters_from_pairs",
    "score_clusters",
    "score_touching",
    "true_pair_count",
]


@dataclass(frozen=True)
class PRF:
    """Precision, recall and their harmonic mean."""

    precision: float
    recall: float
    f1: float

    @classmethod
    def of(cls, precision: float, recall: float) -> PRF:
        total = precision + recall
        return cls(precision, recall, 2 * precision * recall / total if total else 0.0)


@dataclass(frozen=True)
class Scores:
    """The three views of one clustering, plus the counts they come from."""

    pairwise: PRF
    cluster: PRF
    bcubed: PRF
    predicted_pairs: int
    true_pairs: int
    correct_pairs: int
    clusters: int
    entities: int

    def as_dict(self) -> dict[str, float | int]:
        out: dict[str, float | int] = {}
        for name in ("pairwise", "cluster", "bcubed"):
            prf: PRF = getattr(self, name)
            out[f"{name}_p"], out[f"{name}_r"], out[f"{name}_f1"] = (
                prf.precision,
                prf.recall,
                prf.f1,
            )
        out.update(
            predicted_pairs=self.predicted_pairs,
            true_pairs=self.true_pairs,
            correct_pairs=self.correct_pairs,
            clusters=self.clusters,
            entities=self.entities,
        )
        return out


def _codes(values: object) -> np.ndarray:
    codes, _ = pd.factorize(pd.Series(values), use_na_sentinel=False)
    return codes.astype(np.int64)


def _pairs(counts: np.ndarray) -> int:
    counts = counts.astype(np.int64)
    return int((counts * (counts - 1) // 2).sum())


def _ratio(num: float, den: float) -> float:
    return num / den if den else 1.0


def score_clusters(predicted: object, truth: object) -> Scores:
    """Score predicted cluster labels against true entity labels (one of each per record).

    >>> score_clusters([1, 1, 2], ["a", "a", "b"]).pairwise.f1
    1.0
    """
    pred = _codes(predicted)
    true = _codes(truth)
    if len(pred) != len(true):
        raise ValueError(f"{len(pred)} predicted labels for {len(true)} true labels")
    n = len(pred)
    if n == 0:
        one = PRF(1.0, 1.0, 1.0)
        return Scores(one, one, one, 0, 0, 0, 0, 0)
    table = (
        pd.DataFrame({"p": pred, "t": true})
        .groupby(["p", "t"], sort=False)
        .size()
        .rename("n")
        .reset_index()
    )
    n_ij = table["n"].to_numpy(np.int64)
    size_p = np.bincount(pred)
    size_t = np.bincount(true)
    a_i = size_p[table["p"].to_numpy()]
    b_j = size_t[table["t"].to_numpy()]

    correct = _pairs(n_ij)
    predicted_pairs = _pairs(size_p)
    true_pairs = _pairs(size_t)
    pairwise = PRF.of(_ratio(correct, predicted_pairs), _ratio(correct, true_pairs))

    exact = int(((n_ij == a_i) & (n_ij == b_j)).sum())
    clusters, entities = int((size_p > 0).sum()), int((size_t > 0).sum())
    cluster = PRF.of(exact / clusters, exact / entities)

    bcubed = PRF.of(
        float((n_ij * n_ij / a_i).sum() / n),
        float((n_ij * n_ij / b_j).sum() / n),
    )
    return Scores(
        pairwise, cluster, bcubed, predicted_pairs, true_pairs, correct, clusters, entities
    )


def _pairs_touching(counts: np.ndarray, marked: np.ndarray) -> int:
    """Pairs within groups of ``counts`` records that include at least one of ``marked``."""
    return _pairs(counts) - _pairs(counts - marked)


def score_touching(predicted: object, truth: object, marked: np.ndarray) -> dict[str, float]:
    """Pairwise figures restricted to pairs with at least one ``marked`` record (a defect
    class): recall over the true pairs touching it, precision over the predicted ones."""
    pred, true = _codes(predicted), _codes(truth)
    mark = np.asarray(marked, dtype=np.int64)
    frame = pd.DataFrame({"p": pred, "t": true, "m": mark})
    both = frame.groupby(["p", "t"], sort=False)["m"].agg(["size", "sum"])
    by_t = frame.groupby("t", sort=False)["m"].agg(["size", "sum"])
    by_p = frame.groupby("p", sort=False)["m"].agg(["size", "sum"])
    correct = _pairs_touching(both["size"].to_numpy(), both["sum"].to_numpy())
    true_pairs = _pairs_touching(by_t["size"].to_numpy(), by_t["sum"].to_numpy())
    predicted_pairs = _pairs_touching(by_p["size"].to_numpy(), by_p["sum"].to_numpy())
    return {
        "true_pairs": true_pairs,
        "predicted_pairs": predicted_pairs,
        "recall": _ratio(correct, true_pairs),
        "precision": _ratio(correct, predicted_pairs),
    }


def true_pair_count(truth: object) -> int:
    """How many record pairs share an entity."""
    return _pairs(np.bincount(_codes(truth)))


def blocking_recall(truth: object, left: np.ndarray, right: np.ndarray) -> float:
    """Share of true pairs among the candidate pairs (row positions ``left``/``right``).

    Candidate pairs are de-duplicated (either orientation) and self-pairs ignored first.
    """
    codes = _codes(truth)
    lo = np.minimum(left, right).astype(np.int64)
    hi = np.maximum(left, right).astype(np.int64)
    keep = lo != hi
    key = np.unique(lo[keep] * len(codes) + hi[keep])
    lo, hi = key // len(codes), key % len(codes)
    found = int((codes[lo] == codes[hi]).sum())
    return _ratio(found, true_pair_count(codes))


def clusters_from_pairs(n: int, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Cluster labels of ``n`` records: connected components of the predicted pairs."""
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    ones = np.ones(len(left), dtype=np.int8)
    graph = coo_matrix((ones, (np.asarray(left), np.asarray(right))), shape=(n, n)).tocsr()
    _, labels = connected_components(graph, directed=False)
    return labels.astype(np.int64)
