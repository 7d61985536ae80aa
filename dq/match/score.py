"""Scoring: block, compare, train (or reuse) the model, weigh every pair and assign bands.

``score_pairs`` is the one entry point the golden-record stage calls. Per kept pair it returns
each comparison's level and weight; the prior plus the weights add up to ``match_weight``, which
is the explanation of the score. Hard rules (:mod:`dq.match.hard_rules`) override the bands.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import pandas as pd

from dq.match.attribute_pairs import attribute_keys
from dq.match.blocking import BlockingKey, BlockingReport, CandidatePairs, block, load_blocking_keys
from dq.match.columns import ColumnCache
from dq.match.comparisons import Comparison, ComparisonVectors, compare, load_comparisons
from dq.match.hard_rules import (
    HARD_RULES,
    categorical,
    hard_rule_codes,
    hard_rules,
    names_agree,
)
from dq.match.model import PAIR_CLASSES, FSModel, estimate_u, pair_classes, train_model
from dq.match.settings import MatchSettings
from dq.memory import release_unused

if TYPE_CHECKING:
    from dq.match.engines.base import MatchEngine

__all__ = [
    "BANDS",
    "HARD_RULES",
    "SampleScorer",
    "ScoredPairs",
    "hard_rule_codes",
    "hard_rules",
    "pair_scores",
    "score_pairs",
    "weigh",
]

log = logging.getLogger(__name__)

BANDS = ("match", "review", "non-match")

BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

# Rules that keep two records apart (clustering takes these pairs as constraints).
_CANNOT_LINK = ("cannot_link", "different_names", "different_legal_form")


@dataclass
class ScoredPairs:
    """Scored candidate pairs with their explanation, the model, blocking report and timings."""

    pairs: pd.DataFrame
    model: FSModel
    blocking: BlockingReport
    timings: dict[str, float] = field(default_factory=dict)
    candidates: int = 0
    # row positions of the pairs to keep apart in clustering (see ``score_pairs``)
    apart: tuple[IntArray, IntArray] = field(
        default_factory=lambda: (np.zeros(0, np.int64), np.zeros(0, np.int64))
    )


def weigh(
    model: FSModel,
    vectors: ComparisonVectors,
    *,
    settings: MatchSettings,
    classes: npt.NDArray[np.int8],
    rows: IntArray | None = None,
) -> dict[str, FloatArray]:
    """Per comparison, the weight of each pair: log2(m/u) of its level plus any TF adjustment.

    m/u are those of each pair's class (``classes``, from :func:`pair_classes`); ``rows``
    restricts the result to those pair indices (the kept pairs).
    """
    out: dict[str, FloatArray] = {}
    for comp in model.comparisons:
        out[comp.name] = _weight(model, vectors, comp.name, comp.tf, settings, classes, rows)
    return out


def _weight(
    model: FSModel,
    vectors: ComparisonVectors,
    name: str,
    tf: bool,
    settings: MatchSettings,
    classes: npt.NDArray[np.int8],
    rows: IntArray | None,
) -> FloatArray:
    levels = vectors.levels[name] if rows is None else vectors.levels[name][rows]
    cls = classes if rows is None else classes[rows]
    weights = model.class_weights(name)[cls, levels]
    if settings.tf_adjustment and tf and name in vectors.tf_freq:
        freq = vectors.tf_freq[name] if rows is None else vectors.tf_freq[name][rows]
        weights = weights + model.tf_weights(
            freq, vectors.tf_baseline[name], settings.tf_max_weight
        )
    return weights


def _bands(
    probability: FloatArray, rule: npt.NDArray[np.int8], s: MatchSettings
) -> npt.NDArray[np.int8]:
    """Band codes (index into :data:`BANDS`): thresholds first, then hard rules override."""
    band = np.full(len(probability), 2, dtype=np.int8)
    band[probability >= s.review_threshold] = 1
    band[probability >= s.match_threshold] = 0
    same = (rule == 1 + HARD_RULES.index("same_vat_id")) | (
        rule == 1 + HARD_RULES.index("same_register")
    )
    band[same] = 0
    band[rule == 1 + HARD_RULES.index("cannot_link")] = 2
    band[rule == 1 + HARD_RULES.index("different_names")] = 2
    band[rule == 1 + HARD_RULES.index("different_legal_form")] = 2
    return band


def pair_scores(
    cache: ColumnCache,
    left: IntArray,
    right: IntArray,
    vectors: ComparisonVectors,
    model: FSModel,
    settings: MatchSettings,
    classes: npt.NDArray[np.int8],
) -> tuple[FloatArray, FloatArray, npt.NDArray[np.int8], npt.NDArray[np.int8]]:
    """Per pair its match weight (bits), probability, hard rule code and band code.

    Needs only the pair's two records, its levels and class (and the term frequencies in
    ``vectors``): what a partitioned engine computes per pair partition.
    """
    # one comparison at a time: memory for one float array per comparison is not needed
    total = model.class_prior_weights()[classes]
    for comp in model.comparisons:
        total += _weight(model, vectors, comp.name, comp.tf, settings, classes, None)
    probability = 1.0 / (1.0 + np.exp2(-np.clip(total, -1000, 1000)))
    rule = (
        hard_rule_codes(cache, left, right, vectors, settings.place_identifiers)
        if settings.hard_rules
        else np.zeros(len(total), dtype=np.int8)
    )
    band = _bands(probability, rule, settings)
    # a soft link needs the company names to agree as names: a name that only contains the
    # other in another place ("Müller Bau NL Hamm" / "Müller Bau") is a branch, not a move
    other_place = rule == 1 + HARD_RULES.index("other_place")
    band[other_place & (band == 0) & ~names_agree(vectors)] = 1
    return total, probability, rule, band


class SampleScorer:
    """Match probabilities of sampled candidate pairs, for blocking's per-key caps.

    Trains on the sample as :func:`score_pairs` trains on all pairs (u from random pairs, kept
    for the full model; m by EM), or applies the given model.
    """

    def __init__(
        self,
        records: pd.DataFrame,
        comps: Sequence[Comparison],
        settings: MatchSettings,
        cache: ColumnCache,
        model: FSModel | None,
    ) -> None:
        self.records, self.comps, self.settings, self.cache = records, comps, settings, cache
        self.model = model
        self._u: dict[str, list[float]] | None = None
        self.u_seconds = 0.0

    def u_random(self) -> dict[str, list[float]]:
        """u per comparison level from random pairs (computed once)."""
        if self._u is None:
            start = time.perf_counter()
            self._u = estimate_u(self.records, self.comps, settings=self.settings, cache=self.cache)
            self.u_seconds += time.perf_counter() - start
        return self._u

    @property
    def u_computed(self) -> dict[str, list[float]] | None:
        """u from random pairs if sampling needed it already, else None."""
        return self._u

    def probability(self, left: IntArray, right: IntArray) -> FloatArray:
        """Each pair's match probability under the given or a sample-trained model."""
        vectors = compare(self.records, left, right, self.comps, cache=self.cache)
        classes = pair_classes(self.cache, left, right)
        model = self.model
        if model is None:
            model = train_model(vectors, self.u_random(), settings=self.settings, classes=classes)
        _, probability, _, _ = pair_scores(
            self.cache, left, right, vectors, model, self.settings, classes
        )
        return np.asarray(probability, dtype=np.float64)


def score_pairs(
    records: pd.DataFrame,
    *,
    settings: MatchSettings | None = None,
    model: FSModel | None = None,
    keys: Sequence[BlockingKey] | None = None,
    comparisons: Sequence[Comparison] | None = None,
    engine: MatchEngine | None = None,
) -> ScoredPairs:
    """Score candidate pairs of ``records`` (canonical, standardised) with a Fellegi–Sunter model.

    Without ``model`` one is trained on these records (u from random pairs, m by EM); with one,
    it is applied as is (its comparison specs win). ``keys``/``comparisons`` default to the
    files named in ``settings`` or the shipped ones. Non-match pairs are dropped unless
    ``settings.keep_non_matches``; a cannot-link pair is kept when the model alone would have
    matched or reviewed it. With an ``engine`` (:mod:`dq.match.engines`) the engine finds the
    pairs, trains and scores them and explains the kept ones; without one this process does
    it all in one pass over the pairs (the fastest way on one machine).
    """
    settings = settings or MatchSettings()
    records = records.reset_index(drop=True)
    if model is not None:
        comps = list(model.comparisons)
    elif comparisons is not None:
        comps = list(comparisons)
    else:
        comps = load_comparisons(settings.comparisons)
    if engine is not None:
        return _score_with(engine, records, settings, model, keys, comps)
    timings: dict[str, float] = {}
    start = time.perf_counter()
    keys = load_blocking_keys(settings.blocking) if keys is None else keys
    attribute = model.attribute_keys if model is not None else attribute_keys(keys, comps)
    cache = ColumnCache(records)
    sample = SampleScorer(records, comps, settings, cache, model)
    candidates: CandidatePairs = block(
        records, keys, settings=settings, cache=cache, pair_yield=sample.probability
    )
    cache.drop_derived()
    release_unused()
    timings["blocking"] = time.perf_counter() - start - sample.u_seconds

    start = time.perf_counter()
    vectors = compare(records, candidates.left, candidates.right, comps, cache=cache)
    release_unused()
    classes = pair_classes(cache, candidates.left, candidates.right, attribute)
    timings["comparisons"] = time.perf_counter() - start
    if model is None:
        start = time.perf_counter()
        u_random = sample.u_random()
        timings["u_estimation"] = time.perf_counter() - start + sample.u_seconds
        start = time.perf_counter()
        model = train_model(
            vectors, u_random, settings=settings, classes=classes, attribute=attribute
        )
        timings["em"] = time.perf_counter() - start

    start = time.perf_counter()
    total, probability, rule, band = pair_scores(
        cache, candidates.left, candidates.right, vectors, model, settings, classes
    )
    idx, apart = _selected(total, probability, rule, band, settings)
    weights = weigh(model, vectors, settings=settings, classes=classes, rows=idx)
    levels = {comp.name: vectors.levels[comp.name][idx] for comp in comps}
    pairs = _pairs_frame(
        records,
        candidates.left[idx],
        candidates.right[idx],
        _Kept(probability[idx], rule[idx], band[idx], classes[idx], levels, weights),
        model,
    )
    timings["scoring"] = time.perf_counter() - start
    return _scored(candidates, pairs, model, timings, band, apart)


def _score_with(
    engine: MatchEngine,
    records: pd.DataFrame,
    settings: MatchSettings,
    model: FSModel | None,
    keys: Sequence[BlockingKey] | None,
    comps: list[Comparison],
) -> ScoredPairs:
    """:func:`score_pairs` with ``engine`` doing the pair work: candidate pairs, training (levels
    of random pairs and pattern counts, EM here), scores of every pair and the levels and
    weights of the kept ones. Keeping and the pairs table are the same code as locally."""
    from dq.match.engines.train import train_with

    timings: dict[str, float] = {}
    start = time.perf_counter()
    keys = load_blocking_keys(settings.blocking) if keys is None else keys
    # the yield sample (tens of thousands of pairs) is scored here, as in the one-pass matcher
    sample = SampleScorer(records, comps, settings, ColumnCache(records), model)
    candidates = engine.candidate_pairs(records, keys, settings, sample.probability)
    u_random, u_seconds = sample.u_computed, sample.u_seconds
    del sample  # and its column cache
    timings["blocking"] = time.perf_counter() - start - u_seconds
    left, right = candidates.left, candidates.right
    if model is None:
        start = time.perf_counter()
        model = train_with(
            engine,
            records,
            left,
            right,
            comps,
            settings,
            u_random=u_random,
            attribute=attribute_keys(keys, comps),
        )
        timings["training"] = time.perf_counter() - start + u_seconds

    start = time.perf_counter()
    scores = engine.pair_scores(records, left, right, model, settings)
    total = scores["match_weight"]
    probability = scores["probability"]
    rule = scores["hard_rule"].astype(np.int8)
    band = scores["band"].astype(np.int8)
    idx, apart = _selected(total, probability, rule, band, settings)
    timings["scoring"] = time.perf_counter() - start
    start = time.perf_counter()
    details = engine.pair_details(records, left[idx], right[idx], model, settings)
    kept = _Kept(
        probability[idx], rule[idx], band[idx], details.classes, details.levels, details.weights
    )
    pairs = _pairs_frame(records, left[idx], right[idx], kept, model)
    timings["explanations"] = time.perf_counter() - start
    return _scored(candidates, pairs, model, timings, band, apart)


@dataclass
class _Kept:
    """What the pairs table holds of each kept pair besides its records."""

    probability: FloatArray
    rule: npt.NDArray[np.int8]
    band: npt.NDArray[np.int8]
    classes: npt.NDArray[np.int8]
    levels: dict[str, npt.NDArray[np.int8]]
    weights: dict[str, FloatArray]


def _selected(
    total: FloatArray,
    probability: FloatArray,
    rule: npt.NDArray[np.int8],
    band: npt.NDArray[np.int8],
    settings: MatchSettings,
) -> tuple[IntArray, IntArray]:
    """Indices of the pairs to keep and of the pairs to keep apart in clustering."""
    # Kept: matches and reviews, plus pairs a hard rule moved out of the model's band (a
    # cannot-link pair the model would have matched or reviewed). Plain non-matches are dropped.
    keep = (
        np.ones(len(total), dtype=bool)
        if settings.keep_non_matches
        else (band != 2) | (probability >= settings.review_threshold)
    )
    # Kept apart in clustering, whatever their score (two records that must stay apart must
    # not meet through a chain of other links): pairs a cannot-link rule vetoed and pairs the
    # model rejects beyond doubt. Only their positions: a million pairs cost 16 MB here.
    apart = np.flatnonzero(
        np.isin(rule, [1 + HARD_RULES.index(r) for r in _CANNOT_LINK])
        | (total < settings.cannot_link_below)
    )
    return np.flatnonzero(keep), apart


def _pairs_frame(
    records: pd.DataFrame, left: IntArray, right: IntArray, kept: _Kept, model: FSModel
) -> pd.DataFrame:
    """The scored pairs table: IDs, positions, link type, score, band, rule, class and each
    comparison's level and weight (the prior plus the weights add up to ``match_weight``)."""
    prior_weights = model.class_prior_weights()[kept.classes]
    total = prior_weights.copy()
    for comp in model.comparisons:
        total += kept.weights[comp.name]  # the additions of ``pair_scores``, in its order
    ids = (
        records["record_id"].astype("string").to_numpy(dtype=object)
        if "record_id" in records.columns
        else np.arange(len(records)).astype(str).astype(object)
    )
    if "source" in records.columns:
        source, _ = pd.factorize(records["source"], use_na_sentinel=False)
        link_type = np.where(source[left] == source[right], "dedupe", "link")
    else:
        link_type = np.full(len(left), "dedupe")
    columns: dict[str, object] = {
        "left_id": ids[left],
        "right_id": ids[right],
        "left_pos": left,
        "right_pos": right,
        "link_type": link_type,
        "match_weight": total,
        "probability": kept.probability,
        "band": categorical(kept.band, BANDS),
        "hard_rule": categorical(kept.rule.astype(np.int64) - 1, HARD_RULES),
        "pair_class": categorical(kept.classes.astype(np.int64), PAIR_CLASSES),
        "prior_weight": prior_weights,
    }
    for comp in model.comparisons:
        columns[f"{comp.name}__level"] = kept.levels[comp.name]
        columns[f"{comp.name}__weight"] = kept.weights[comp.name]
    # the arrays are this table's own: no copy into consolidated blocks (at 1M that copy was
    # the matching stage's peak, 0.5 GB)
    return pd.DataFrame(columns, copy=False)


def _scored(
    candidates: CandidatePairs,
    pairs: pd.DataFrame,
    model: FSModel,
    timings: dict[str, float],
    band: npt.NDArray[np.int8],
    apart: IntArray,
) -> ScoredPairs:
    log.info(
        "scored %d candidate pairs: %d kept (%d match, %d review)",
        len(candidates),
        len(pairs),
        int((band == 0).sum()),
        int((band == 1).sum()),
    )
    return ScoredPairs(
        pairs=pairs,
        model=model,
        blocking=candidates.report,
        timings=timings,
        candidates=len(candidates),
        apart=(candidates.left[apart], candidates.right[apart]),
    )
