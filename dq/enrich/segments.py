"""Classes over customers: ABC by revenue share, RFM quintile scores and named segments (the
segment table is YAML data, ``rules/value_segments.yaml``), and value tiers."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd
import yaml

from dq.enrich._grouped import first_label
from dq.enrich.settings import TierRule
from dq.errors import RuleError
from dq.resources import shipped_dir

__all__ = [
    "Segment",
    "abc_classes",
    "load_segments",
    "quintile_scores",
    "rfm_segments",
    "value_tiers",
]

SEGMENTS_FILE = "value_segments.yaml"


@dataclass(frozen=True)
class Segment:
    """One RFM segment: inclusive ranges of the recency score and the (f + m) / 2 score."""

    name: str
    r: tuple[int, int]
    fm: tuple[int, int]
    labels: dict[str, str]


def _range(value: object, where: str, problems: list[str]) -> tuple[int, int]:
    ok = (
        isinstance(value, list)
        and len(value) == 2
        and all(isinstance(v, int) and 1 <= v <= 5 for v in value)
        and value[0] <= value[1]
    )
    if not ok:
        problems.append(f"{where}: must be [low, high] with 1 <= low <= high <= 5")
        return (0, -1)
    assert isinstance(value, list)
    return (int(value[0]), int(value[1]))


@cache
def load_segments(path: Path | None = None) -> tuple[Segment, ...]:
    """The RFM segment table (default: the shipped one); every (r, fm) pair must be covered."""
    p = path or shipped_dir("rules") / SEGMENTS_FILE
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise RuleError(f"{p}: cannot read the segment table ({type(exc).__name__})") from None
    items = data.get("segments") if isinstance(data, dict) else None
    if not isinstance(items, list) or not items:
        raise RuleError(f"{p}: expected a list under `segments:`")
    problems: list[str] = []
    out = []
    for i, item in enumerate(items):
        where = f"segments[{i}]"
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            problems.append(f"{where}: needs a name, r, fm and labels")
            continue
        unknown = set(item) - {"name", "r", "fm", "labels"}
        if unknown:
            problems.append(f"{where}: unknown keys {sorted(unknown)}")
        labels = item.get("labels") or {}
        if not isinstance(labels, dict) or "en" not in labels:
            problems.append(f"{where}: labels need at least `en`")
            labels = {}
        r = _range(item.get("r"), f"{where}.r", problems)
        fm = _range(item.get("fm"), f"{where}.fm", problems)
        out.append(Segment(item["name"], r, fm, {str(k): str(v) for k, v in labels.items()}))
    if not problems:
        covered = {
            (r, f)
            for s in out
            for r in range(s.r[0], s.r[1] + 1)
            for f in range(s.fm[0], s.fm[1] + 1)
        }
        missing = sorted({(r, f) for r in range(1, 6) for f in range(1, 6)} - covered)
        if missing:
            problems.append(f"no segment covers (r, fm) = {missing}")
    if problems:
        raise RuleError(f"{p}: " + "; ".join(problems))
    return tuple(out)


def quintile_scores(
    values: npt.NDArray[np.float64], higher_is_better: bool = True
) -> npt.NDArray[np.float64]:
    """Scores 1–5 by percentile rank (ties share the average rank); NaN stays NaN."""
    s = pd.Series(values if higher_is_better else -values)
    pct = s.rank(method="average", pct=True).to_numpy()
    return np.clip(np.ceil(pct * 5), 1, 5)


def rfm_segments(
    r: npt.NDArray[np.float64],
    fm: npt.NDArray[np.float64],
    segments: tuple[Segment, ...],
    language: str,
) -> npt.NDArray[np.object_]:
    """The label of the first segment whose ranges hold (None where the scores are NaN)."""
    conditions = [
        (r >= s.r[0]) & (r <= s.r[1]) & (fm >= s.fm[0]) & (fm <= s.fm[1]) for s in segments
    ]
    labels = [s.labels.get(language, s.labels["en"]) for s in segments]
    return first_label(conditions, labels, len(r))


def abc_classes(
    revenue: npt.NDArray[np.float64], shares: tuple[float, float], ids: pd.Index
) -> npt.NDArray[np.object_]:
    """A/B/C by cumulative share of positive revenue, largest first (ties by ID); a customer is
    A while the share before it is below ``shares[0]``, B below ``shares[1]``, else C."""
    out = np.full(len(revenue), None, dtype=object)
    pos = np.flatnonzero(revenue > 0)
    if not len(pos):
        return out
    order = pos[np.lexsort((ids.to_numpy()[pos], -revenue[pos]))]
    vals = revenue[order]
    before = (np.cumsum(vals) - vals) / vals.sum()
    out[order] = np.where(before < shares[0], "A", np.where(before < shares[1], "B", "C"))
    return out


def value_tiers(
    revenue_12m: npt.NDArray[np.float64],
    payment_class: npt.NDArray[np.object_],
    tiers: list[TierRule],
) -> npt.NDArray[np.object_]:
    """The first tier whose revenue floor and payment classes hold; None where none does."""
    conditions = []
    for tier in tiers:
        cond = np.ones(len(revenue_12m), dtype=bool)
        if tier.min_revenue_12m is not None:
            cond &= revenue_12m >= tier.min_revenue_12m
        if tier.payment_class is not None:
            cond &= np.isin(payment_class, np.array(tier.payment_class, dtype=object))
        conditions.append(cond)
    return first_label(conditions, [t.name for t in tiers], len(revenue_12m))
