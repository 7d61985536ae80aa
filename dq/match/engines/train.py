"""Train the Fellegi–Sunter model through an engine: u on random pairs, m by EM on counts.

The engine computes levels (of the random pairs) and pattern counts (of the candidate pairs);
the EM itself runs here on the aggregated counts, whose size is the number of distinct level
patterns, never the number of pairs (what Splink does on Spark too).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from dq.match.attribute_pairs import AttributeKeys
from dq.match.comparison_spec import Comparison
from dq.match.engines.base import IntArray, MatchEngine
from dq.match.model import FSModel, random_pairs, train_on_patterns, u_from_levels
from dq.match.settings import MatchSettings

__all__ = ["train_with"]


def train_with(
    engine: MatchEngine,
    records: pd.DataFrame,
    left: IntArray,
    right: IntArray,
    comparisons: Sequence[Comparison],
    settings: MatchSettings,
    *,
    u_random: dict[str, list[float]] | None = None,
    attribute: AttributeKeys | None = None,
) -> FSModel:
    """The model :func:`dq.match.model.train_model` trains, with ``engine`` doing the pair work
    for the candidate pairs ``(left[i], right[i])`` of ``records``; ``u_random`` is u from
    :func:`dq.match.model.estimate_u` where it was computed already (blocking's yield sample
    needs it), saving the levels of the random pairs; ``attribute`` the keys whose pairs form
    the *attribute* class (:mod:`dq.match.attribute_pairs`)."""
    comps = list(comparisons)
    if u_random is None:
        random_left, random_right = random_pairs(records, settings)
        # each distinct random pair once (on small inputs most repeat): levels depend only on
        # the pair, so spreading them back gives the levels of every sampled pair, in order
        n = np.int64(max(len(records), 1))
        distinct, inverse = np.unique(random_left * n + random_right, return_inverse=True)
        found = engine.comparison_levels(records, distinct // n, distinct % n, comps)
        u_random = u_from_levels({name: levels[inverse] for name, levels in found.items()}, comps)
    patterns, counts, by_class = engine.level_patterns(records, left, right, comps, attribute)
    return train_on_patterns(
        comps,
        patterns,
        counts,
        u_random,
        settings=settings,
        by_class=by_class,
        attribute=attribute,
    )
