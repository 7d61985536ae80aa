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
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from dq.errors import ConfigError
from dq.match.attribute_pairs import AttributeKeys, attribute_only
from dq.match.columns import ColumnCache
from dq.match.comparisons import Comparison, ComparisonVectors, compare, parse_comparisons
from dq.match.em import EPS, Fit, fit_attribute, fit_em, normalise, per_group
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
_FORMAT = "dq-fellegi-sunter/2"
_RETRAIN = "run without --model to train a new one"
# Pair classes by the party types of the two records: two companies, two persons, anything else
# (a person against a company, or a record whose party type is unknown); and, whatever their
# party types, pairs a personal attribute alone brought (:mod:`dq.match.attribute_pairs`).
PAIR_CLASSES = ("company", "person", "mixed", "attribute")


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
        weights = np.log2(np.maximum(m, EPS) / np.maximum(u, EPS))
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
            adj = np.log2(max(baseline, EPS**2) / np.maximum(freq, EPS**2))
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


def _level_shares(levels: npt.NDArray[np.int8], comp: Comparison) -> list[float]:
    """Share of each non-missing level within its group (add-one smoothed); index 0 is 0."""
    counts = np.bincount(levels, minlength=len(comp.labels())).astype(np.float64)
    counts[1:] += 1.0
    shares = per_group(counts, comp.level_groups(), normalise)
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
    pooled = fit_em(comps, patterns, counts.astype(np.float64), u_random, settings)
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
    pooled: Fit,
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
        fit = fit_attribute(comps, patterns[seen], weights, u_random, settings, attribute)
    else:
        fit = fit_em(comps, patterns[seen], weights, u_random, settings)
    em = {"status": fit.status, "iterations": fit.iterations, "message": fit.message}
    if fit.status == "fallback":
        log.warning("%s pairs: %s; the pooled estimate stands in", name, fit.message)
        return stand_in(em)
    if fit.status != "converged":
        log.warning("%s pairs: %s", name, fit.message)
    return ClassModel(_as_lists(comps, fit.m), _as_lists(comps, fit.u), fit.prior, pairs, "own", em)
