"""Accuracy of a clustering against ground truth: pairwise, exact-cluster and B-cubed scores.

Everything comes from the contingency table of (predicted cluster, true entity) counts, so no
pair set is ever built: a cluster of k records holds k·(k-1)/2 pairs, counted, not listed.

- **Pairwise**: precision = correct predicted pairs / predicted pairs (two records in one
  predicted cluster); recall = correct predicted pairs / true pairs (two records of one entity).
- **Cluster** (exact match): precision = predicted clusters whose member set equals a true
  entity's / predicted clusters; recall = true entities reproduced exactly / true entities.
  Singletons count: a lone record correctly left alone is a correct cluster.
- **B-cubed**: per record, precision = share of its predicted cluster that is its entity,
  recall = share of its entity that is in its predicted cluster; averaged over records.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

__all__ = ["METRIC_NAMES", "Metrics", "evaluate"]

# What each family of figures measures, in the words reports and the CLI print.
METRIC_NAMES: dict[str, str] = {
    "pairwise": "pairwise (pairs implied by the clusters)",
    "cluster": "exact clusters",
    "bcubed": "B-cubed (per record)",
}

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Metrics:
    """Pairwise, exact-cluster and B-cubed precision/recall/F1 plus the counts behind them."""

    pairwise_precision: float
    pairwise_recall: float
    pairwise_f1: float
    cluster_precision: float
    cluster_recall: float
    cluster_f1: float
    bcubed_precision: float
    bcubed_recall: float
    bcubed_f1: float
    records: int
    predicted_pairs: int
    true_pairs: int
    correct_pairs: int
    predicted_clusters: int
    true_clusters: int
    exact_clusters: int

    def as_dict(self) -> dict[str, float | int]:
        """The metrics as a plain dict (for JSON and tables)."""
        return asdict(self)


def _f1(p: float, r: float) -> float:
    return 0.0 if p + r == 0 else 2 * p * r / (p + r)


def _pairs(sizes: IntArray) -> int:
    return int((sizes * (sizes - 1) // 2).sum())


def evaluate(predicted: pd.Series | pd.DataFrame, truth: pd.Series) -> Metrics:
    """Score ``predicted`` clusters against ``truth`` (both keyed by record_id).

    ``predicted`` is a Series record_id → cluster (any labels) or a crosswalk frame with
    ``record_id`` and ``golden_id``; ``truth`` a Series record_id → true entity. Records missing
    from either side, or with no true entity, are left out.
    """
    if isinstance(predicted, pd.DataFrame):
        predicted = predicted.set_index("record_id")["golden_id"]
    pred = predicted.copy()
    pred.index = pd.Index(pred.index.astype("string"))
    true = truth.copy()
    true.index = pd.Index(true.index.astype("string"))
    true = true.dropna()
    joined = pd.DataFrame({"p": pred}).join(pd.DataFrame({"t": true}), how="inner").dropna()
    p_codes, _ = pd.factorize(joined["p"])
    t_codes, _ = pd.factorize(joined["t"])
    p_codes = np.asarray(p_codes, dtype=np.int64)
    t_codes = np.asarray(t_codes, dtype=np.int64)
    n = len(joined)
    if n == 0:
        zero = dict.fromkeys(Metrics.__dataclass_fields__, 0)
        return Metrics(**zero)
    a = np.bincount(p_codes)  # predicted cluster sizes
    b = np.bincount(t_codes)  # true entity sizes
    cells, n_ij = np.unique(p_codes * np.int64(len(b)) + t_codes, return_counts=True)
    ci, cj = cells // len(b), cells % len(b)
    correct, predicted_pairs, true_pairs = _pairs(n_ij), _pairs(a), _pairs(b)
    pp = correct / predicted_pairs if predicted_pairs else 1.0
    pr = correct / true_pairs if true_pairs else 1.0
    exact = int(((n_ij == a[ci]) & (n_ij == b[cj])).sum())
    cp, cr = exact / len(a), exact / len(b)
    bp = float((n_ij.astype(np.float64) ** 2 / a[ci]).sum() / n)
    br = float((n_ij.astype(np.float64) ** 2 / b[cj]).sum() / n)
    return Metrics(
        pairwise_precision=pp,
        pairwise_recall=pr,
        pairwise_f1=_f1(pp, pr),
        cluster_precision=cp,
        cluster_recall=cr,
        cluster_f1=_f1(cp, cr),
        bcubed_precision=bp,
        bcubed_recall=br,
        bcubed_f1=_f1(bp, br),
        records=n,
        predicted_pairs=predicted_pairs,
        true_pairs=true_pairs,
        correct_pairs=correct,
        predicted_clusters=len(a),
        true_clusters=len(b),
        exact_clusters=exact,
    )
