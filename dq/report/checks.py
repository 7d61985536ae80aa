"""Thresholds and change checks for scheduled runs: which metrics warn and which fail.

:func:`check_metrics` compares this run's metrics with the bounds in ``report.thresholds`` and
with the stored history (``report.changes``). It returns findings; the caller decides the exit
code (a ``fail`` finding fails the run like a failed quality gate).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from dq.report.metrics import Metric
from dq.report.settings import ChangeCheck, Level, MetricThreshold, ReportSettings

__all__ = ["Finding", "check_metrics", "failed", "one_line"]


@dataclass(frozen=True)
class Finding:
    """A metric outside its bound: which series, how bad, and an English sentence saying so.

    ``kind`` is below/above (a threshold: ``limit`` is the bound) or rose/fell (a change check:
    ``change_pct`` against ``base``, the last run's value or the median of ``runs`` runs).
    """

    level: Level
    key: str
    value: float
    limit: float
    message: str
    kind: Literal["below", "above", "rose", "fell"] = "above"
    base: float | None = None
    change_pct: float | None = None
    runs: int = 0


def check_metrics(
    metrics: Sequence[Metric], previous: pd.DataFrame, settings: ReportSettings
) -> list[Finding]:
    """Findings for ``metrics`` against ``settings``; ``previous`` is the stored history
    (:func:`dq.report.runs.load_history`, earlier runs only), empty on a first run."""
    findings: list[Finding] = []
    for rule in settings.thresholds:
        for metric in metrics:
            if rule.selects(metric.name, dict(metric.tags)):
                findings.extend(_bounds(rule, metric))
    by_key = {key: part["value"].to_numpy() for key, part in previous.groupby("key", sort=False)}
    for check in settings.changes:
        for metric in metrics:
            past = by_key.get(metric.key)
            if past is not None and len(past) and check.selects(metric.name, dict(metric.tags)):
                findings.extend(_change(check, metric, past))
    order = {"fail": 0, "warn": 1}
    return sorted(findings, key=lambda f: (order[f.level], f.key))


def failed(findings: Sequence[Finding]) -> bool:
    """Whether any finding fails the run."""
    return any(f.level == "fail" for f in findings)


def one_line(findings: Sequence[Finding]) -> str:
    """A cron-log line: ``report: 1 failed, 2 warnings (first: …)`` or ``report: ok``."""
    if not findings:
        return "report: ok"
    fails = sum(f.level == "fail" for f in findings)
    warns = len(findings) - fails
    return f"report: {fails} failed, {warns} warnings (first: {findings[0].message})"


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def _bounds(rule: MetricThreshold, metric: Metric) -> list[Finding]:
    v = metric.value
    for level, bound, below in (
        ("fail", rule.fail_below, True),
        ("fail", rule.fail_above, False),
        ("warn", rule.warn_below, True),
        ("warn", rule.warn_above, False),
    ):
        if bound is not None and (v < bound if below else v > bound):
            side: Literal["below", "above"] = "below" if below else "above"
            text = f"{metric.key} is {_fmt(v)}, {side} the {level} limit {_fmt(bound)}"
            return [Finding(level, metric.key, v, bound, text, side)]  # type: ignore[arg-type]
    return []


def _change(check: ChangeCheck, metric: Metric, past: object) -> list[Finding]:
    values = pd.Series(past, dtype="float64")
    if check.compare_to == "last":
        base, runs, against = float(values.iloc[-1]), 0, "the last run"
    else:
        base = float(values.iloc[-check.window :].median())
        runs = min(len(values), check.window)
        against = f"its median over {runs} run{'s' if runs > 1 else ''}"
    if base == 0:
        return []
    change = 100.0 * (metric.value - base) / abs(base)
    for kind, limit, over in (
        ("rose", check.max_rise_pct, change),
        ("fell", check.max_drop_pct, -change),
    ):
        if limit is not None and over > limit:
            sign = "+" if kind == "rose" else "-"
            text = (
                f"{metric.key} {kind} {over:.1f} % ({_fmt(base)} → {_fmt(metric.value)}) "
                f"against {against}; limit {sign}{limit:g} %"
            )
            return [
                Finding(
                    check.level,
                    metric.key,
                    metric.value,
                    limit,
                    text,
                    kind,  # type: ignore[arg-type]
                    base,
                    change,
                    runs,
                )
            ]
    return []
