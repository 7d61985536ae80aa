"""EM for the Fellegi–Sunter model: m (and u) per comparison level and the prior, without labels.

Runs on the table of distinct level patterns with their pair counts, so an iteration costs
O(patterns), not O(pairs). m starts from the level order (most mass on *exact*), u from random
pairs; ``max_m``/``min_m`` of a comparison bound m per level group. :func:`fit_em` says how it
ended (converged, not converged, fallback, off); :func:`fit_attribute` is the variant for the
pairs a personal attribute alone brought (:mod:`dq.match.attribute_pairs`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from dq.match.attribute_pairs import AttributeKeys
from dq.match.comparisons import Comparison
from dq.match.settings import MatchSettings

__all__ = ["EPS", "PRIOR_RANGE", "Fit", "fit_attribute", "fit_em", "normalise", "per_group"]

FloatArray = npt.NDArray[np.float64]
# floor of probabilities in logs and ratios
EPS = 1e-6
# EM's share of matches among candidate pairs outside this range means it ran away: nearly every
# candidate a match (then no comparison separates anything) or none.
PRIOR_RANGE = (1e-5, 0.99)


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


def per_group(
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


def normalise(counts: FloatArray) -> FloatArray:
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
    return per_group(np.zeros(len(groups)), groups, start)


@dataclass
class Fit:
    """One EM run's result (lists indexed like the comparisons)."""

    m: list[FloatArray]
    u: list[FloatArray]
    prior: float
    iterations: int
    converged: bool
    status: str
    message: str


def fit_em(
    comps: Sequence[Comparison],
    patterns: npt.NDArray[np.int8],
    weights: FloatArray,
    u_random: dict[str, list[float]],
    settings: MatchSettings,
) -> Fit:
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
            lm = np.log(np.maximum(m[j], EPS))
            lu = np.log(np.maximum(u[j], EPS))
            lm[0] = lu[0] = 0.0
            log_m += lm[patterns[:, j]]
            log_u += lu[patterns[:, j]]
        log_odds = np.log(prior) - np.log1p(-prior) + log_m - log_u
        post = 1.0 / (1.0 + np.exp(-np.clip(log_odds, -700, 700)))
        wm = weights * post
        wu = weights * (1.0 - post)
        new_prior = float(np.clip(wm.sum() / max(total, 1.0), EPS, 1 - EPS))
        delta = abs(new_prior - prior)
        for j, comp in enumerate(comps):
            n_levels = len(comp.labels())
            at = patterns[:, j].astype(np.intp)
            new_m = np.asarray(
                np.bincount(at, weights=wm, minlength=n_levels)[:n_levels], np.float64
            )
            new_m = per_group(new_m + EPS, groups[j], normalise)
            new_m = _bounded(new_m, groups[j], caps[j], floors[j])
            delta = max(delta, float(np.abs(new_m - m[j]).max()))
            m[j] = new_m
            if settings.em_estimate_u and not comp.random_u:
                new_u = np.asarray(
                    np.bincount(at, weights=wu, minlength=n_levels)[:n_levels], np.float64
                )
                new_u = per_group(new_u + EPS, groups[j], normalise)
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
    return Fit(m, u, prior, iterations, converged, status, message)


def fit_attribute(
    comps: Sequence[Comparison],
    patterns: npt.NDArray[np.int8],
    weights: FloatArray,
    u_random: dict[str, list[float]],
    settings: MatchSettings,
    attribute: AttributeKeys,
) -> Fit:
    """EM for the *attribute* class: u fixed at the random-pair u on the comparisons other than
    the attribute's; those of the attribute get m = u (every pair agrees on it)."""
    keep = [j for j, c in enumerate(comps) if c.name not in attribute.comparisons]
    fixed_u = settings.model_copy(update={"em_estimate_u": False})
    fit = fit_em([comps[j] for j in keep], patterns[:, keep], weights, u_random, fixed_u)
    fitted = {j: (fit.m[i], fit.u[i]) for i, j in enumerate(keep)}
    m: list[FloatArray] = []
    u: list[FloatArray] = []
    for j, comp in enumerate(comps):
        random_u = np.asarray(u_random[comp.name], dtype=np.float64)
        m_j, u_j = fitted.get(j, (random_u, random_u))
        m.append(m_j)
        u.append(u_j)
    return Fit(m, u, fit.prior, fit.iterations, fit.converged, fit.status, fit.message)


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
    if not finite or not PRIOR_RANGE[0] < prior < PRIOR_RANGE[1]:
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
