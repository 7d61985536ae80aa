"""The local engine: today's vectorised matcher and survivorship code on one machine, unchanged."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from dq.golden.settings import GoldenSettings
from dq.golden.survivorship import survive
from dq.match.attribute_pairs import AttributeKeys
from dq.match.blocking import BlockingKey, CandidatePairs, block
from dq.match.columns import ColumnCache
from dq.match.comparison_spec import Comparison, LevelArray
from dq.match.comparisons import compare
from dq.match.engines.base import IntArray, PairDetails
from dq.match.key_yield import PairYield
from dq.match.model import FSModel, class_counts, level_patterns, pair_classes
from dq.match.score import pair_scores, weigh
from dq.match.settings import MatchSettings

__all__ = ["LocalEngine", "min_labels"]


def min_labels(labels: IntArray) -> IntArray:
    """Component labels renamed to the smallest member position (a label both engines share)."""
    smallest = np.full(int(labels.max(initial=-1)) + 1, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(smallest, labels, np.arange(len(labels), dtype=np.int64))
    return smallest[labels]


class LocalEngine:
    """Blocking, comparisons and components with numpy, rapidfuzz and scipy in this process."""

    name = "local"

    def candidate_pairs(
        self,
        records: pd.DataFrame,
        keys: Sequence[BlockingKey],
        settings: MatchSettings,
        pair_yield: PairYield | None = None,
    ) -> CandidatePairs:
        """:func:`dq.match.blocking.block` as it is."""
        return block(records, keys, settings=settings, pair_yield=pair_yield)

    def comparison_levels(
        self,
        records: pd.DataFrame,
        left: IntArray,
        right: IntArray,
        comparisons: Sequence[Comparison],
    ) -> dict[str, LevelArray]:
        """:func:`dq.match.comparisons.compare`'s levels."""
        return compare(records, left, right, comparisons).levels

    def level_patterns(
        self,
        records: pd.DataFrame,
        left: IntArray,
        right: IntArray,
        comparisons: Sequence[Comparison],
        attribute: AttributeKeys | None = None,
    ) -> tuple[LevelArray, IntArray, IntArray]:
        """:func:`dq.match.model.level_patterns` and the pairs per class, as training counts."""
        cache = ColumnCache(records)
        vectors = compare(records, left, right, comparisons, cache=cache)
        patterns, counts, inverse = level_patterns(vectors)
        classes = pair_classes(cache, left, right, attribute)
        by_class = class_counts(inverse, classes, len(patterns))
        return patterns, counts, by_class

    def pair_scores(
        self,
        records: pd.DataFrame,
        left: IntArray,
        right: IntArray,
        model: FSModel,
        settings: MatchSettings,
    ) -> dict[str, npt.NDArray[Any]]:
        """:func:`dq.match.score.pair_scores` on :func:`compare`'s vectors."""
        cache = ColumnCache(records)
        vectors = compare(records, left, right, model.comparisons, cache=cache)
        classes = pair_classes(cache, left, right, model.attribute_keys)
        total, probability, rule, band = pair_scores(
            cache, left, right, vectors, model, settings, classes
        )
        return {"match_weight": total, "probability": probability, "hard_rule": rule, "band": band}

    def pair_details(
        self,
        records: pd.DataFrame,
        left: IntArray,
        right: IntArray,
        model: FSModel,
        settings: MatchSettings,
    ) -> PairDetails:
        """:func:`compare`'s levels, :func:`dq.match.score.weigh`'s weights and the classes."""
        cache = ColumnCache(records)
        vectors = compare(records, left, right, model.comparisons, cache=cache)
        classes = pair_classes(cache, left, right, model.attribute_keys)
        weights = weigh(model, vectors, settings=settings, classes=classes)
        return PairDetails(levels=vectors.levels, weights=weights, classes=classes)

    def components(self, n: int, left: IntArray, right: IntArray) -> IntArray:
        """scipy's connected components, labelled by their smallest member."""
        graph = coo_matrix((np.ones(len(left), dtype=np.int8), (left, right)), shape=(n, n))
        _, labels = connected_components(graph, directed=False)
        return min_labels(np.asarray(labels, dtype=np.int64))

    def survive(
        self, records: pd.DataFrame, labels: IntArray, settings: GoldenSettings
    ) -> pd.DataFrame:
        """:func:`dq.golden.survivorship.survive` as it is."""
        return survive(records, labels, settings)
