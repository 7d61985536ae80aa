"""Scoring: block, compare, train (or reuse) the model, weigh every pair and assign bands.

``score_pairs`` is the one entry point the golden-record stage calls. Per kept pair it returns
each comparison's level and weight; the prior plus the weights add up to ``match_weight``, which
is the explanation of the score. Hard rules on shared identifiers override the bands.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from dq.match.blocking import BlockingKey, BlockingReport, CandidatePairs, block
from dq.match.columns import ColumnCache, identifier_codes
from dq.match.comparisons import (
    Comparison,
    ComparisonVectors,
    compare,
    form_groups,
    load_comparisons,
)
from dq.match.evidence import personal_email
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
HARD_RULES = (
    "same_vat_id",
    "same_register",
    "cannot_link",
    "different_names",
    "different_legal_form",
    "other_place",
)

BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

_COURT_PREFIX = r"^\s*(AMTSGERICHT|AMTSG\.?|AG)\s+"
# Comparisons whose *far* level means "the names contradict": the company name decides, and the
# person name where both records are persons (colleagues share the company name) or where a side
# has no company name.
_COMPANY_NAME, _PERSON_NAME = "name_core", "person_name"
# Rules that keep two records apart (clustering takes these pairs as constraints).
_CANNOT_LINK = ("cannot_link", "different_names", "different_legal_form")
# The address comparison whose *far* level means "another place" (neither postcode nor city agree).
_ADDRESS = "address"
# The e-mail comparison: the same personal address is one business's (see ``hard_rule_codes``).
_EMAIL = "email"


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


def _court_codes(cache: ColumnCache) -> IntArray:
    """Per record an integer code of its register court without "Amtsgericht"/"AG"; -1 if none.

    "AG Karlsruhe", "Amtsgericht Karlsruhe" and "Karlsruhe" are one court: left as spelled, they
    would make a cannot-link pair of two records with the same register number.
    """
    if not cache.has("register_court"):
        return np.full(cache.n, -1, dtype=np.int64)

    def clean(distinct: pd.Series) -> pd.Series:
        text = distinct.str.upper().str.replace(_COURT_PREFIX, "", regex=True)
        text = text.str.replace(r"[\s.\-/()]+", "", regex=True)
        return text.mask(text.str.len() == 0)

    codes, _ = cache.derived("register_court", "court", clean)
    return codes


def hard_rule_codes(
    cache: ColumnCache,
    left: IntArray,
    right: IntArray,
    vectors: ComparisonVectors,
    place_identifiers: Sequence[str] = ("phone", "iban"),
) -> npt.NDArray[np.int8]:
    """Per pair 0 (no rule) or 1 + the index of its rule in :data:`HARD_RULES`.

    Same valid VAT ID (or register number) makes a match unless the names contradict or the
    records are two companies in different places sharing no phone or IBAN (a branch of the
    same legal entity: ``other_place``, the identifier weighed by the model); two
    different valid VAT IDs or register numbers make a cannot-link pair. Where one identifier
    agrees and another differs, no rule fires and the model decides. Names that contradict
    (company name far apart; for two persons the person name) make ``different_names``, and
    legal forms that are known and not compatible ``different_legal_form`` (Müller Bau GmbH is
    not Müller Bau GmbH & Co. KG): not a match whatever else agrees. Evidence of one party lifts
    a veto and leaves the pair to the model: an exact ``personal_identifier`` on two persons
    (names), one address with a shared phone or IBAN on two companies (a renamed company), and
    a shared phone, IBAN or personal e-mail where the legal forms are not ``distinct`` (a
    conversion or a slip, not a GmbH and its GmbH & Co. KG). Two companies in different
    places sharing none of ``place_identifiers`` make ``other_place``: a branch looks like a
    moved company, so clustering uses such a link only to attach a lone record to one group.
    """
    vat = identifier_codes(cache, "vat_id")
    reg = identifier_codes(cache, "register_number")
    court = _court_codes(cache)
    vl, vr = vat[left], vat[right]
    rl, rr = reg[left], reg[right]
    cl, cr = court[left], court[right]
    vat_both = (vl >= 0) & (vr >= 0)
    reg_both = (rl >= 0) & (rr >= 0)
    courts_compatible = (cl < 0) | (cr < 0) | (cl == cr)
    same_vat = vat_both & (vl == vr)
    same_reg = reg_both & (rl == rr) & courts_compatible
    differ = (vat_both & (vl != vr)) | (reg_both & ((rl != rr) | ~courts_compatible))
    party, kinds = cache.derived("party_type", "lower", lambda v: v.str.lower())
    person_code = next((i for i, k in enumerate(kinds) if k == "person"), -2)
    persons = (party[left] == person_code) & (party[right] == person_code)
    # two person records agreeing exactly on a personal identifier are one person whatever
    # their names say (a name replaced or changed entirely): no veto, the model decides
    contradict = _names_contradict(vectors, persons) & ~(persons & _same_person_id(vectors))
    rule = np.zeros(len(left), dtype=np.int8)
    company_code = next((i for i, k in enumerate(kinds) if k == "company"), -2)
    companies = (party[left] == company_code) & (party[right] == company_code)
    # a company renamed keeps its address and its phone or IBAN: two company records at one
    # address sharing one of them are weighed by the model, not vetoed by their names
    contradict &= ~(companies & _same_address(vectors) & _agree_on(vectors, place_identifiers))
    rule[companies & _other_place(vectors, place_identifiers)] = 1 + HARD_RULES.index("other_place")
    for comp in vectors.comparisons:
        if comp.kind == "legal_form":  # level "different": both known and not compatible
            other_form = vectors.levels[comp.name] == comp.labels().index("different")
            # a form that can have changed (converted, or mistyped: "AG" for "GmbH") is no
            # veto where the records share a phone or IBAN; two forms that are two companies
            # under one name by design (``distinct``: a GmbH and its GmbH & Co. KG) always are
            if comp.distinct:
                _, distinct = form_groups(cache, comp, left, right, comp.distinct)
                shared = _agree_on(vectors, place_identifiers)
                shared |= _same_personal_email(cache, left, right, vectors)
                other_form &= distinct | ~shared
            rule[other_form] = 1 + HARD_RULES.index("different_legal_form")
    rule[contradict] = 1 + HARD_RULES.index("different_names")
    rule[differ & ~same_vat & ~same_reg] = 1 + HARD_RULES.index("cannot_link")
    # one legal entity in another place sharing no phone or IBAN is a branch as likely as a
    # move: its identifier is evidence for the model, the pair stays an other_place link
    branch = companies & _other_place(vectors, place_identifiers)
    rule[same_reg & ~differ & ~contradict & ~branch] = 1 + HARD_RULES.index("same_register")
    rule[same_vat & ~differ & ~contradict & ~branch] = 1 + HARD_RULES.index("same_vat_id")
    return rule


def hard_rules(
    records: pd.DataFrame, left: IntArray, right: IntArray, vectors: ComparisonVectors
) -> pd.Categorical:
    """The hard rule of each pair (same_vat_id, same_register, cannot_link; NaN for none)."""
    codes = hard_rule_codes(ColumnCache(records), left, right, vectors)
    return _categorical(codes.astype(np.int64) - 1, HARD_RULES)


def _categorical(codes: npt.NDArray[Any], categories: Sequence[str]) -> pd.Categorical:
    """A categorical from integer codes (-1 is missing) without a per-value Python loop."""
    return pd.Categorical.from_codes(codes, categories=pd.Index(categories))  # type: ignore[arg-type]


def _agree_on(vectors: ComparisonVectors, identifiers: Sequence[str]) -> BoolArray:
    """Pairs agreeing exactly on at least one of the comparisons named ``identifiers``."""
    by_name = {c.name: c for c in vectors.comparisons}
    agree = np.zeros(len(vectors.levels[vectors.comparisons[0].name]), dtype=bool)
    for name in identifiers:
        if name in by_name:
            agree |= by_name[name].base_codes(vectors.levels[name]) == 1
    return agree


def _same_personal_email(
    cache: ColumnCache, left: IntArray, right: IntArray, vectors: ComparisonVectors
) -> BoolArray:
    """Pairs with the same e-mail address of one person (not a role mailbox such as info@)."""
    comp = next((c for c in vectors.comparisons if c.name == _EMAIL), None)
    if comp is None or not cache.has(comp.columns[0]):
        return np.zeros(len(left), dtype=bool)
    personal = personal_email(cache, comp.columns[0])
    same: BoolArray = comp.base_codes(vectors.levels[comp.name]) == 1
    return same & personal[left] & personal[right]


def _same_address(vectors: ComparisonVectors) -> BoolArray:
    """Pairs whose address is at its *exact* or *street* level (one building or street)."""
    comp = next((c for c in vectors.comparisons if c.name == _ADDRESS), None)
    if comp is None:
        return np.zeros(len(vectors.levels[vectors.comparisons[0].name]), dtype=bool)
    levels = comp.base_codes(vectors.levels[_ADDRESS])
    same: BoolArray = (levels == 1) | (levels == comp.labels().index("street"))
    return same


def _other_place(vectors: ComparisonVectors, identifiers: Sequence[str]) -> BoolArray:
    """Pairs whose address is at its *far* level and agreeing exactly on no ``identifiers``."""
    comp = next((c for c in vectors.comparisons if c.name == _ADDRESS), None)
    if comp is None:
        return np.zeros(len(vectors.levels[vectors.comparisons[0].name]), dtype=bool)
    other: BoolArray = comp.base_codes(vectors.levels[_ADDRESS]) == comp.labels().index("far")
    return other & ~_agree_on(vectors, identifiers)


def _names_agree(vectors: ComparisonVectors) -> BoolArray:
    """Pairs whose company name is exact or at its closest fuzzy level (not *subset*)."""
    by_name = {c.name: c for c in vectors.comparisons}
    comp = by_name.get(_COMPANY_NAME)
    if comp is None:
        return np.ones(len(vectors.levels[vectors.comparisons[0].name]), dtype=bool)
    labels = comp.base_labels()
    levels = comp.base_codes(vectors.levels[_COMPANY_NAME])
    agree: BoolArray = levels == 1
    if len(labels) > 2 and labels[2].startswith("close"):
        agree |= levels == 2
    return agree


def _same_person_id(vectors: ComparisonVectors) -> BoolArray:
    """Pairs that are one person by what identifies persons, whatever their names say.

    An exact ``personal_identifier``; or an exact ``personal_attribute`` (a date of birth,
    which strangers can share) together with one address or a personal identifier one typo
    off.
    """
    n = len(vectors.levels[vectors.comparisons[0].name]) if vectors.comparisons else 0
    same = np.zeros(n, dtype=bool)
    attribute = np.zeros(n, dtype=bool)
    close_id = np.zeros(n, dtype=bool)
    for comp in vectors.comparisons:
        codes = comp.base_codes(vectors.levels[comp.name])
        if comp.personal_identifier:
            same |= codes == 1
            labels = comp.base_labels()
            if len(labels) > 2 and labels[2].startswith("close"):
                close_id |= codes == 2
        if comp.personal_attribute:
            attribute |= codes == 1
    if attribute.any():
        same |= attribute & (close_id | _same_address(vectors))
    return same


def _names_contradict(vectors: ComparisonVectors, persons: BoolArray) -> BoolArray:
    """Pairs whose deciding name comparison is at its *far* level (see ``_COMPANY_NAME``)."""
    n = len(persons)
    by_name = {c.name: c for c in vectors.comparisons}

    def far(name: str) -> tuple[BoolArray, BoolArray]:
        comp = by_name.get(name)
        if comp is None:
            return np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
        levels = comp.base_codes(vectors.levels[name])
        return levels > 0, levels == comp.labels().index("far")

    company_present, company_far = far(_COMPANY_NAME)
    person_present, person_far = far(_PERSON_NAME)
    by_company = company_far | (~company_present & person_far)
    by_person = person_far | (~person_present & company_far)
    return np.where(persons, by_person, by_company)


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
    band[other_place & (band == 0) & ~_names_agree(vectors)] = 1
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
    classes = pair_classes(cache, candidates.left, candidates.right)
    timings["comparisons"] = time.perf_counter() - start
    if model is None:
        start = time.perf_counter()
        u_random = sample.u_random()
        timings["u_estimation"] = time.perf_counter() - start + sample.u_seconds
        start = time.perf_counter()
        model = train_model(vectors, u_random, settings=settings, classes=classes)
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
    from dq.match.blocking import load_blocking_keys
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
        model = train_with(engine, records, left, right, comps, settings, u_random=u_random)
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
        "band": _categorical(kept.band, BANDS),
        "hard_rule": _categorical(kept.rule.astype(np.int64) - 1, HARD_RULES),
        "pair_class": _categorical(kept.classes.astype(np.int64), PAIR_CLASSES),
        "prior_weight": prior_weights,
    }
    for comp in model.comparisons:
        columns[f"{comp.name}__level"] = kept.levels[comp.name]
        columns[f"{comp.name}__weight"] = kept.weights[comp.name]
    return pd.DataFrame(columns)


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
