"""The Fellegi–Sunter model: m and u per comparison level, trained without labels.

u (how often non-matches agree) starts from random record pairs (sampled, never all n² pairs);
m (how often matches agree) and the prior are estimated by EM on the candidate pairs. EM runs on
the table of distinct level patterns with their counts, so an iteration costs O(patterns), not
O(pairs). By default u is refined by EM as well, because candidate non-matches agree on their
blocking keys far more often than random pairs do; the random-pair u stays in the model for
reference and as EM's starting point.

Company pairs and person pairs weigh evidence differently (colleagues share their company's name,
address and switchboard; two records of one company do too), so m, u and the prior are estimated
per pair class (:data:`PAIR_CLASSES`) on that class's patterns; a class with too few pairs, or
whose EM runs away, uses the pooled estimate of all candidate pairs. Pairs that a date of birth
alone brought are a class of their own (:mod:`dq.match.attribute_pairs`).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from dq.errors import ConfigError
from dq.match.attribute_pairs import AttributeKeys, attribute_only
from dq.match.columns import ColumnCache
from dq.match.comparisons import Comparison, ComparisonVectors, compare, parse_comparisons
from dq.match.settings import MatchSettings

__all__ = [
    "PAIR_CLASSES",
    "ClassModel",
    "FSModel",
    "class_counts",
    "estimate_u",
    "level_patterns",
    "pair_classes",
    "random_pairs",
    "train_model",
    "train_on_patterns",
    "u_from_levels",
]

log = logging.getLogger(__name__)

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
ClassArray = npt.NDArray[np.int8]
_EPS = 1e-6
_FORMAT = "dq-fellegi-sunter/2"
_RETRAIN = "run without --model to train a new one"
# Pair classes by the party types of the two records: two companies, two persons, anything else
# (a person against a company, or a record whose party type is unknown); and, whatever their
# party types, pairs a personal attribute alone brought (:mod:`dq.match.attribute_pairs`).
PAIR_CLASSES = ("company", "person", "mixed", "attribute")
# EM's share of matches among candidate pairs outside this range means it ran away: nearly every
# candidate a match (then no comparison separates anything) or none.
_PRIOR_RANGE = (1e-5, 0.99)


@dataclass
class ClassModel:
    """m, u and the prior of one pair class, and where they come from.

    ``source`` is ``"own"`` (EM on this class's pairs) or ``"pooled"`` (too few pairs, or EM
    ran away: the pooled estimate stands in); ``em`` holds EM's status for this class.
    """

    m: dict[str, list[float]]
    u: dict[str, list[float]]
    prior: float
    pairs: int
    source: str
    em: dict[str, Any] = field(default_factory=dict)


@dataclass
class FSModel:
    """A trained Fellegi–Sunter model: per comparison level m and u, and the prior.

    ``m[name][level]`` and ``u[name][level]`` are probabilities over the non-missing levels
    (index 0, *missing*, is unused and weighs 0). ``u_random`` is u from random pairs.
    ``m``/``u``/``prior`` are the pooled estimate; ``classes`` holds them per pair class
    (:data:`PAIR_CLASSES`), which is what scoring uses. ``attribute_keys`` names the blocking
    keys that make a pair an *attribute* pair (None: no such key was in use).
    """

    comparisons: list[Comparison]
    m: dict[str, list[float]]
    u: dict[str, list[float]]
    u_random: dict[str, list[float]]
    prior: float
    iterations: int = 0
    converged: bool = False
    trained_pairs: int = 0
    patterns: int = 0
    meta: dict[str, Any] = field(default_factory=dict)
    classes: dict[str, ClassModel] = field(default_factory=dict)
    attribute_keys: AttributeKeys | None = None

    @property
    def prior_weight(self) -> float:
        """log2 of the prior odds of a match among candidate pairs."""
        return float(np.log2(self.prior / (1 - self.prior)))

    def level_weights(self, name: str, pair_class: str | None = None) -> FloatArray:
        """log2(m/u) per level of comparison ``name`` (of ``pair_class``, else pooled).

        The missing level weighs 0.
        """
        params = self.classes.get(pair_class) if pair_class is not None else None
        m = np.asarray((params or self).m[name], dtype=np.float64)
        u = np.asarray((params or self).u[name], dtype=np.float64)
        weights = np.log2(np.maximum(m, _EPS) / np.maximum(u, _EPS))
        weights[0] = 0.0
        return weights

    def class_weights(self, name: str) -> FloatArray:
        """Level weights of ``name`` per pair class: row i is ``PAIR_CLASSES[i]``."""
        return np.vstack([self.level_weights(name, c) for c in PAIR_CLASSES])

    def class_prior_weights(self) -> FloatArray:
        """log2 prior odds per pair class (row order of :data:`PAIR_CLASSES`)."""
        priors = np.array(
            [self.classes[c].prior if c in self.classes else self.prior for c in PAIR_CLASSES]
        )
        out: FloatArray = np.log2(priors / (1 - priors))
        return out

    def tf_weights(self, freq: FloatArray, baseline: float, max_weight: float) -> FloatArray:
        """Term-frequency adjustment for exact agreements on values with frequency ``freq``.

        log2(baseline / f_v), baseline = the chance two random records share a value of the
        column (sum of squared frequencies): a value as common as that average adds 0, a rarer
        one ("Quirinius") more, a common one ("Müller") less; clipped to ±``max_weight``.
        NaN (not an exact agreement) adds 0.
        """
        with np.errstate(divide="ignore", invalid="ignore"):
            adj = np.log2(max(baseline, _EPS**2) / np.maximum(freq, _EPS**2))
        adj = np.clip(adj, -max_weight, max_weight)
        return np.where(np.isnan(freq), 0.0, adj)

    def to_json(self) -> str:
        """The model as a JSON document (comparison specs included, so it is self-contained)."""
        payload = {
            "format": _FORMAT,
            "prior": self.prior,
            "iterations": self.iterations,
            "converged": self.converged,
            "trained_pairs": self.trained_pairs,
            "patterns": self.patterns,
            "meta": self.meta,
            "classes": {name: asdict(params) for name, params in self.classes.items()},
            "attribute_keys": None
            if self.attribute_keys is None
            else self.attribute_keys.to_dict(),
            "comparisons": [
                {
                    **_spec_dict(c),
                    "levels": c.labels(),
                    "m": self.m[c.name],
                    "u": self.u[c.name],
                    "u_random": self.u_random[c.name],
                }
                for c in self.comparisons
            ],
        }
        return json.dumps(payload, indent=2, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> FSModel:
        """Read a model written by :meth:`to_json`."""
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ConfigError(None, [f"model file is not valid JSON: {exc}"]) from exc
        if not isinstance(data, dict) or not str(data.get("format", "")).startswith("dq-fell"):
            raise ConfigError(None, [f"not a dq model file (expected format {_FORMAT!r})"])
        if data["format"] != _FORMAT:
            found = f"the model file has format {data['format']!r}, this dq reads {_FORMAT!r}"
            raise ConfigError(None, [f"{found} (m/u per pair class): {_RETRAIN}"])
        specs = [
            {k: v for k, v in c.items() if k not in ("levels", "m", "u", "u_random")}
            for c in data["comparisons"]
        ]
        comparisons = parse_comparisons({"comparisons": specs})
        problems = [
            f"comparison {c.name!r}: {len(raw['m'])} levels stored, spec has {len(c.labels())}"
            for c, raw in zip(comparisons, data["comparisons"], strict=True)
            if len(raw["m"]) != len(c.labels()) or len(raw["u"]) != len(c.labels())
        ]
        if problems:
            hint = f"the model was saved with other comparison levels: {_RETRAIN}"
            raise ConfigError(None, [*problems, hint])
        return cls(
            comparisons=comparisons,
            m={c["name"]: [float(x) for x in c["m"]] for c in data["comparisons"]},
            u={c["name"]: [float(x) for x in c["u"]] for c in data["comparisons"]},
            u_random={c["name"]: [float(x) for x in c["u_random"]] for c in data["comparisons"]},
            prior=float(data["prior"]),
            iterations=int(data.get("iterations", 0)),
            converged=bool(data.get("converged", False)),
            trained_pairs=int(data.get("trained_pairs", 0)),
            patterns=int(data.get("patterns", 0)),
            meta=dict(data.get("meta", {})),
            classes={
                name: ClassModel(**params) for name, params in data.get("classes", {}).items()
            },
            attribute_keys=(
                AttributeKeys.from_dict(data["attribute_keys"])
                if data.get("attribute_keys")
                else None
            ),
        )


def _spec_dict(comp: Comparison) -> dict[str, Any]:
    raw = asdict(comp)
    raw["columns"] = list(comp.columns)
    raw["thresholds"] = list(comp.thresholds)
    raw["compatible"] = [list(g) for g in comp.compatible]
    raw["tf_levels"] = list(comp.tf_levels)
    raw["max_m"] = dict(comp.max_m)
    raw["min_m"] = dict(comp.min_m)
    if comp.split is None:
        del raw["split"]
    else:
        raw["split"] = {
            "by": comp.split.by,
            "groups": {suffix: list(when) for suffix, when in comp.split.groups},
        }
    return raw


def _cap(
    m: FloatArray, upper: Sequence[float | None], lower: Sequence[float | None] = ()
) -> FloatArray:
    """Hold m of some levels within [lower, upper] and rescale the others (sum stays 1)."""
    low = np.array([x if x is not None else 0.0 for x in lower] or [0.0] * len(m))
    high = np.array([x if x is not None else 1.0 for x in upper])
    fixed = (m > high) | (m < low)
    if not fixed.any():
        return m
    out = m.copy()
    out[fixed] = np.clip(m[fixed], low[fixed], high[fixed])
    free = ~fixed
    free[0] = False
    rest = 1.0 - out[fixed].sum()
    if out[free].sum() > 0:
        out[free] = out[free] / out[free].sum() * rest
    return out


def _per_group(
    values: FloatArray, groups: npt.NDArray[np.int64], func: Callable[[FloatArray], FloatArray]
) -> FloatArray:
    """``func`` applied to each level group as a vector of its own (missing slot 0 first).

    Levels of a split comparison form two groups, each a distribution summing to 1; without a
    split there is one group and this is ``func(values)``.
    """
    out = np.zeros_like(values)
    for g in np.unique(groups[groups >= 0]):
        idx = np.r_[0, np.flatnonzero(groups == g)]
        part = values[idx].copy()
        part[0] = 0.0
        out[idx[1:]] = func(part)[1:]
    return out


def _normalise(counts: FloatArray) -> FloatArray:
    total = counts[1:].sum()
    out = counts.copy()
    out[0] = 0.0
    if total > 0:
        out[1:] = counts[1:] / total
    return out


def _bounded(
    m: FloatArray,
    groups: npt.NDArray[np.int64],
    upper: Sequence[float | None],
    lower: Sequence[float | None],
) -> FloatArray:
    """:func:`_cap` within each level group."""
    out = m.copy()
    for g in np.unique(groups[groups >= 0]):
        idx = np.r_[0, np.flatnonzero(groups == g)]
        part = m[idx].copy()
        part[0] = 0.0
        capped = _cap(part, [upper[i] for i in idx], [lower[i] for i in idx])
        out[idx[1:]] = capped[1:]
    return out


def _level_shares(levels: npt.NDArray[np.int8], comp: Comparison) -> list[float]:
    """Share of each non-missing level within its group (add-one smoothed); index 0 is 0."""
    counts = np.bincount(levels, minlength=len(comp.labels())).astype(np.float64)
    counts[1:] += 1.0
    shares = _per_group(counts, comp.level_groups(), _normalise)
    return [float(x) for x in shares]


def estimate_u(
    records: pd.DataFrame,
    comparisons: Sequence[Comparison],
    *,
    settings: MatchSettings,
    cache: ColumnCache | None = None,
) -> dict[str, list[float]]:
    """u per comparison level from random record pairs (sampled: O(sample), never O(n²))."""
    left, right = random_pairs(records, settings)
    vectors = compare(records, left, right, comparisons, cache=cache)
    return u_from_levels(vectors.levels, comparisons)


def u_from_levels(
    levels: dict[str, npt.NDArray[np.int8]], comparisons: Sequence[Comparison]
) -> dict[str, list[float]]:
    """u per comparison level from the levels of the random pairs of :func:`random_pairs`."""
    return {c.name: _level_shares(levels[c.name], c) for c in comparisons}


def random_pairs(records: pd.DataFrame, settings: MatchSettings) -> tuple[IntArray, IntArray]:
    """The random record pairs (row positions) u is estimated on: seeded, the mode's kind."""
    n = len(records)
    rng = np.random.default_rng(settings.seed)
    size = settings.u_sample_pairs
    left = rng.integers(0, max(n, 1), size, dtype=np.int64)
    right = rng.integers(0, max(n, 1), size, dtype=np.int64)
    keep = left != right
    if settings.mode != "dedupe_and_link" and "source" in records.columns:
        source, _ = pd.factorize(records["source"], use_na_sentinel=False)
        same = source[left] == source[right]
        keep &= ~same if settings.mode == "link_only" else same
    return left[keep], right[keep]


def level_patterns(
    vectors: ComparisonVectors,
) -> tuple[npt.NDArray[np.int8], npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Distinct level patterns: (patterns matrix, count per pattern, pattern index per pair)."""
    matrix = vectors.matrix()
    if matrix.size == 0:
        return matrix, np.zeros(0, np.int64), np.zeros(len(matrix), np.int64)
    code = np.zeros(len(matrix), dtype=np.int64)
    for j, comp in enumerate(vectors.comparisons):
        code = code * len(comp.labels()) + matrix[:, j]
    inverse, uniques = pd.factorize(code)
    inverse = inverse.astype(np.int64)
    counts = np.bincount(inverse, minlength=len(uniques)).astype(np.int64)
    first = np.full(len(uniques), -1, dtype=np.int64)
    first[inverse[::-1]] = np.arange(len(inverse) - 1, -1, -1)
    return matrix[first], counts, inverse


def _initial_m(comp: Comparison) -> FloatArray:
    """Start m: in each level group most mass on the first (exact) level, decreasing to far."""

    def start(part: FloatArray) -> FloatArray:
        m = np.zeros(len(part))
        rest = len(part) - 2
        m[1] = 0.9 if rest > 0 else 1.0
        if rest > 0:
            tail = 0.5 ** np.arange(1, rest + 1)
            m[2:] = 0.1 * tail / tail.sum()
        return m

    groups = comp.level_groups()
    return _per_group(np.zeros(len(groups)), groups, start)


def pair_classes(
    cache: ColumnCache,
    left: IntArray,
    right: IntArray,
    attribute: AttributeKeys | None = None,
) -> ClassArray:
    """Per pair the index of its class in :data:`PAIR_CLASSES` (from ``party_type``; pairs
    only ``attribute``'s keys bring are *attribute* pairs whatever their party types).

    Without a ``party_type`` column every other pair is *mixed* (then those are one pool).
    """
    mixed = PAIR_CLASSES.index("mixed")
    out = np.full(len(left), mixed, dtype=np.int8)
    if cache.has("party_type"):
        codes, kinds = cache.derived("party_type", "lower", lambda v: v.str.lower())
        cl, cr = codes[left], codes[right]
        for kind in ("company", "person"):
            code = next((i for i, k in enumerate(kinds) if k == kind), -2)
            out[(cl == code) & (cr == code)] = PAIR_CLASSES.index(kind)
    out[attribute_only(cache, left, right, attribute)] = PAIR_CLASSES.index("attribute")
    return out


@dataclass
class _Fit:
    """One EM run's result (lists indexed like the comparisons)."""

    m: list[FloatArray]
    u: list[FloatArray]
    prior: float
    iterations: int
    converged: bool
    status: str
    message: str


def _fit(
    comps: Sequence[Comparison],
    patterns: npt.NDArray[np.int8],
    weights: FloatArray,
    u_random: dict[str, list[float]],
    settings: MatchSettings,
) -> _Fit:
    """EM on level ``patterns`` weighted by their pair counts (O(patterns) per iteration)."""
    total = float(weights.sum())
    m = [_initial_m(c) for c in comps]
    groups = [c.level_groups() for c in comps]
    u = [np.asarray(u_random[c.name], dtype=np.float64) for c in comps]
    prior = 0.1
    iterations = 0
    converged = False
    delta = 0.0
    caps = [[dict(c.max_m).get(label) for label in c.labels()] for c in comps]
    floors = [[dict(c.min_m).get(label) for label in c.labels()] for c in comps]
    m = [_bounded(m[j], groups[j], caps[j], floors[j]) for j in range(len(comps))]
    seen = [
        np.bincount(patterns[:, j].astype(np.intp), minlength=len(c.labels())) > 0
        for j, c in enumerate(comps)
    ]
    for iterations in range(1, settings.em_iterations + 1):  # noqa: B007
        log_m = np.zeros(len(patterns))
        log_u = np.zeros(len(patterns))
        for j in range(len(comps)):
            lm = np.log(np.maximum(m[j], _EPS))
            lu = np.log(np.maximum(u[j], _EPS))
            lm[0] = lu[0] = 0.0
            log_m += lm[patterns[:, j]]
            log_u += lu[patterns[:, j]]
        log_odds = np.log(prior) - np.log1p(-prior) + log_m - log_u
        post = 1.0 / (1.0 + np.exp(-np.clip(log_odds, -700, 700)))
        wm = weights * post
        wu = weights * (1.0 - post)
        new_prior = float(np.clip(wm.sum() / max(total, 1.0), _EPS, 1 - _EPS))
        delta = abs(new_prior - prior)
        for j, comp in enumerate(comps):
            n_levels = len(comp.labels())
            at = patterns[:, j].astype(np.intp)
            new_m = np.asarray(
                np.bincount(at, weights=wm, minlength=n_levels)[:n_levels], np.float64
            )
            new_m = _per_group(new_m + _EPS, groups[j], _normalise)
            new_m = _bounded(new_m, groups[j], caps[j], floors[j])
            delta = max(delta, float(np.abs(new_m - m[j]).max()))
            m[j] = new_m
            if settings.em_estimate_u and not comp.random_u:
                new_u = np.asarray(
                    np.bincount(at, weights=wu, minlength=n_levels)[:n_levels], np.float64
                )
                new_u = _per_group(new_u + _EPS, groups[j], _normalise)
                delta = max(delta, float(np.abs(new_u - u[j]).max()))
                u[j] = new_u
        prior = new_prior
        if delta < settings.em_tolerance:
            converged = True
            break
    status, message = _em_outcome(converged, iterations, delta, prior, m, u, settings)
    if status == "fallback":
        # EM ran away (every pair a match, or none): keep the starting values, which say what
        # each level means (exact is likely for a match) with u from random pairs
        m = [_bounded(_initial_m(c), groups[j], caps[j], floors[j]) for j, c in enumerate(comps)]
        u = [np.asarray(u_random[c.name], dtype=np.float64) for c in comps]
        prior = 0.1
    for j in range(len(comps) if status != "fallback" else 0):
        # a level no candidate pair shows carries no evidence: m = u, weight 0 (not the ratio
        # of two smoothing constants, which can be many bits either way)
        unseen = ~seen[j][: len(m[j])]
        unseen[0] = False
        m[j][unseen] = u[j][unseen] = np.minimum(m[j][unseen], u[j][unseen])
    return _Fit(m, u, prior, iterations, converged, status, message)


def _as_lists(comps: Sequence[Comparison], values: list[FloatArray]) -> dict[str, list[float]]:
    return {c.name: [float(x) for x in values[j]] for j, c in enumerate(comps)}


def train_model(
    vectors: ComparisonVectors,
    u_random: dict[str, list[float]],
    *,
    settings: MatchSettings,
    classes: ClassArray | None = None,
    attribute: AttributeKeys | None = None,
) -> FSModel:
    """Estimate m, u and the prior by EM on the level patterns of the candidate pairs.

    Pooled over all pairs, and per pair class (``classes``: index into :data:`PAIR_CLASSES`
    per pair, from :func:`pair_classes` with ``attribute``) where a class has
    ``em_min_class_pairs`` pairs.
    """
    comps = vectors.comparisons
    patterns, counts, inverse = level_patterns(vectors)
    by_class = None
    if classes is not None and settings.em_pair_classes and len(patterns):
        by_class = class_counts(inverse, classes, len(patterns))
    return train_on_patterns(
        comps, patterns, counts, u_random, settings=settings, by_class=by_class, attribute=attribute
    )


def class_counts(inverse: IntArray, classes: ClassArray, n_patterns: int) -> IntArray:
    """Pairs per (pattern, pair class) from each pair's pattern index and class: one bincount,
    no loop over pairs."""
    return np.bincount(
        inverse * len(PAIR_CLASSES) + classes.astype(np.int64),
        minlength=n_patterns * len(PAIR_CLASSES),
    ).reshape(n_patterns, len(PAIR_CLASSES))


def train_on_patterns(
    comps: Sequence[Comparison],
    patterns: npt.NDArray[np.int8],
    counts: IntArray,
    u_random: dict[str, list[float]],
    *,
    settings: MatchSettings,
    by_class: npt.NDArray[np.int64] | None = None,
    attribute: AttributeKeys | None = None,
) -> FSModel:
    """:func:`train_model` on aggregated level patterns: distinct ``patterns`` (one row per
    pattern), the pairs per pattern and per (pattern, pair class). What a partitioned engine
    counts; the EM needs nothing else."""
    comps = list(comps)
    pooled = _fit(comps, patterns, counts.astype(np.float64), u_random, settings)
    if pooled.status not in ("converged", "off"):
        log.warning("%s", pooled.message)
    per_class: dict[str, ClassModel] = {}
    if by_class is not None and settings.em_pair_classes and len(patterns):
        for k, name in enumerate(PAIR_CLASSES):
            per_class[name] = _class_model(
                name, comps, patterns, by_class[:, k], u_random, settings, pooled, attribute
            )
        own = per_class.get("attribute")
        if own is not None and own.source != "own":
            # too few such pairs for a model of their own: scored by their party types
            attribute = None
    return FSModel(
        comparisons=list(comps),
        m=_as_lists(comps, pooled.m),
        u=_as_lists(comps, pooled.u),
        u_random={c.name: list(u_random[c.name]) for c in comps},
        prior=pooled.prior,
        iterations=pooled.iterations,
        converged=pooled.converged,
        trained_pairs=int(counts.sum()),
        patterns=len(patterns),
        meta={
            "em": {
                "status": pooled.status,
                "iterations": pooled.iterations,
                "message": pooled.message,
            }
        },
        classes=per_class,
        attribute_keys=attribute,
    )


def _class_model(
    name: str,
    comps: Sequence[Comparison],
    patterns: npt.NDArray[np.int8],
    counts: IntArray,
    u_random: dict[str, list[float]],
    settings: MatchSettings,
    pooled: _Fit,
    attribute: AttributeKeys | None = None,
) -> ClassModel:
    """EM on one class's patterns; the ``pooled`` fit stands in when the class cannot stand.

    The *attribute* class is fitted with u from random pairs (its non-matches are random pairs
    but for the attribute) and without the attribute's comparisons, which weigh 0 in it.
    """
    pairs = int(counts.sum())

    def stand_in(em: dict[str, Any]) -> ClassModel:
        m, u = _as_lists(comps, pooled.m), _as_lists(comps, pooled.u)
        return ClassModel(m, u, pooled.prior, pairs, "pooled", em)

    if pairs < settings.em_min_class_pairs:
        why = f"{pairs} pairs, fewer than em_min_class_pairs ({settings.em_min_class_pairs})"
        return stand_in({"status": "pooled", "message": why})
    seen = counts > 0
    weights = counts[seen].astype(np.float64)
    if name == "attribute" and attribute is not None:
        fit = _attribute_fit(comps, patterns[seen], weights, u_random, settings, attribute)
    else:
        fit = _fit(comps, patterns[seen], weights, u_random, settings)
    em = {"status": fit.status, "iterations": fit.iterations, "message": fit.message}
    if fit.status == "fallback":
        log.warning("%s pairs: %s; the pooled estimate stands in", name, fit.message)
        return stand_in(em)
    if fit.status != "converged":
        log.warning("%s pairs: %s", name, fit.message)
    return ClassModel(_as_lists(comps, fit.m), _as_lists(comps, fit.u), fit.prior, pairs, "own", em)


def _attribute_fit(
    comps: Sequence[Comparison],
    patterns: npt.NDArray[np.int8],
    weights: FloatArray,
    u_random: dict[str, list[float]],
    settings: MatchSettings,
    attribute: AttributeKeys,
) -> _Fit:
    """EM for the *attribute* class: u fixed at the random-pair u on the comparisons other than
    the attribute's; those of the attribute get m = u (every pair agrees on it)."""
    keep = [j for j, c in enumerate(comps) if c.name not in attribute.comparisons]
    fixed_u = settings.model_copy(update={"em_estimate_u": False})
    fit = _fit([comps[j] for j in keep], patterns[:, keep], weights, u_random, fixed_u)
    fitted = {j: (fit.m[i], fit.u[i]) for i, j in enumerate(keep)}
    m: list[FloatArray] = []
    u: list[FloatArray] = []
    for j, comp in enumerate(comps):
        random_u = np.asarray(u_random[comp.name], dtype=np.float64)
        m_j, u_j = fitted.get(j, (random_u, random_u))
        m.append(m_j)
        u.append(u_j)
    return _Fit(m, u, fit.prior, fit.iterations, fit.converged, fit.status, fit.message)


def _em_outcome(
    converged: bool,
    iterations: int,
    delta: float,
    prior: float,
    m: Sequence[FloatArray],
    u: Sequence[FloatArray],
    settings: MatchSettings,
) -> tuple[str, str]:
    """EM's status (converged, not_converged, fallback, off) and a sentence saying why."""
    if settings.em_iterations == 0:
        return "off", "EM is off (em_iterations: 0): m from the starting values"
    finite = np.isfinite(prior) and all(np.isfinite(x).all() for x in (*m, *u))
    if not finite or not _PRIOR_RANGE[0] < prior < _PRIOR_RANGE[1]:
        share = f"{prior:.2g}" if np.isfinite(prior) else "not a number"
        return "fallback", (
            f"EM degenerated after {iterations} iterations (share of matches {share}): "
            "the model keeps its starting values (m from the level order, u from random "
            "pairs); check the comparisons and blocking keys"
        )
    if converged:
        return "converged", f"EM converged in {iterations} iterations"
    return "not_converged", (
        f"EM did not converge in {iterations} iterations: the largest parameter still moved "
        f"by {delta:.2g} (tolerance {settings.em_tolerance:g}); raise em_iterations, or the "
        "data have two competing explanations (e.g. the same company vs the same customer)"
    )
