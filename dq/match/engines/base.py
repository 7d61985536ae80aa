"""The engine seam: the matcher steps an engine runs, on record positions of one frame.

Both engines take the same canonical records frame and answer in row positions into it, so
their results compare directly (the Spark engine's equality tests rely on that). The EM runs on the
driver on aggregated pattern counts (as Splink does). What an engine does not do stays on the
driver as local code: decisions, dq's clustering guard and soft links, review queue and
the golden-ID registry (:func:`dq.match.run.link_records`). Survivorship is the engine's too
(:meth:`MatchEngine.survive`, called by :func:`dq.golden.build.build_golden`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt
import pandas as pd

from dq.golden.settings import GoldenSettings
from dq.match.attribute_pairs import AttributeKeys
from dq.match.blocking import BlockingKey, CandidatePairs
from dq.match.comparison_spec import Comparison, LevelArray
from dq.match.key_yield import PairYield
from dq.match.model import FSModel
from dq.match.settings import MatchSettings

__all__ = ["IntArray", "MatchEngine", "PairDetails"]

IntArray = npt.NDArray[np.int64]


@dataclass
class PairDetails:
    """Levels and weights per comparison and the pair class code, in pair order."""

    levels: dict[str, LevelArray]
    weights: dict[str, npt.NDArray[np.float64]]
    classes: npt.NDArray[np.int8]


class MatchEngine(Protocol):
    """Candidate pairs, comparison levels and connected components of one records frame."""

    name: str

    def candidate_pairs(
        self,
        records: pd.DataFrame,
        keys: Sequence[BlockingKey],
        settings: MatchSettings,
        pair_yield: PairYield | None = None,
    ) -> CandidatePairs:
        """Deduplicated pairs (``left < right``, sorted) from the union of ``keys``; where the
        pair budget binds, ``pair_yield`` sets each key's cap (:func:`dq.match.blocking.block`)."""
        ...

    def comparison_levels(
        self,
        records: pd.DataFrame,
        left: IntArray,
        right: IntArray,
        comparisons: Sequence[Comparison],
    ) -> dict[str, LevelArray]:
        """Level of every comparison for the pairs ``(left[i], right[i])``, in pair order."""
        ...

    def level_patterns(
        self,
        records: pd.DataFrame,
        left: IntArray,
        right: IntArray,
        comparisons: Sequence[Comparison],
        attribute: AttributeKeys | None = None,
    ) -> tuple[LevelArray, IntArray, IntArray]:
        """Distinct level patterns of the pairs (one row each), pairs per pattern and pairs per
        (pattern, pair class, ``attribute`` pairs their own): all the EM needs
        (:func:`dq.match.model.train_on_patterns`)."""
        ...

    def pair_scores(
        self,
        records: pd.DataFrame,
        left: IntArray,
        right: IntArray,
        model: FSModel,
        settings: MatchSettings,
    ) -> dict[str, npt.NDArray[Any]]:
        """Per pair ``match_weight``, ``probability``, ``hard_rule`` and ``band`` (codes into
        :data:`dq.match.hard_rules.HARD_RULES` + 1 and :data:`dq.match.score.BANDS`)."""
        ...

    def pair_details(
        self,
        records: pd.DataFrame,
        left: IntArray,
        right: IntArray,
        model: FSModel,
        settings: MatchSettings,
    ) -> PairDetails:
        """Per pair each comparison's level and weight (log2 m/u of its class, plus its
        term-frequency adjustment) and the pair class: the explanation of a scored pair."""
        ...

    def components(self, n: int, left: IntArray, right: IntArray) -> IntArray:
        """Per record (0..n-1) the smallest record position of its connected component."""
        ...

    def survive(
        self, records: pd.DataFrame, labels: IntArray, settings: GoldenSettings
    ) -> pd.DataFrame:
        """Survivorship of the clusters ``labels`` (per record, same order): the frame of
        :func:`dq.golden.survivorship.survive`, one row per label (sorted), its dtypes too."""
        ...
