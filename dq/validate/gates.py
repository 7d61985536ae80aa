"""Quality gates: the ``validate:`` thresholds evaluated against a validation run's results."""

from __future__ import annotations

import pandas as pd

from dq.validate.settings import ValidateSettings

__all__ = ["evaluate_gates", "gate_failure_message"]

_RANK = {"warning": 1, "error": 2}
_FAIL_RANK = {"warning": 1, "error": 2, "never": 3}

_GATE_COLUMNS = ["gate", "observed", "limit", "passed"]


def evaluate_gates(
    rule_results: pd.DataFrame,
    dataset_score: float,
    dimension_scores: dict[str, float],
    settings: ValidateSettings,
) -> pd.DataFrame:
    """One row per gate that applies: what was observed, the limit, and whether it passed.

    ``rule_results`` has one row per rule: ``rule`` (id), ``severity``, ``checked``, ``failed``.
    """
    rows: list[dict[str, object]] = []
    fail_rank = _FAIL_RANK[settings.fail_on]
    for rule in rule_results.to_dict("records"):
        rule_id = str(rule["rule"])
        failed = int(rule["failed"])
        checked = int(rule["checked"])
        severity = str(rule["severity"])
        pct = 100.0 * failed / checked if checked else 0.0
        matching = [t for t in settings.thresholds if t.matches(rule_id)]
        observed = f"{failed} failed ({pct:.2f}% of {checked})"
        if matching:
            for t in matching:
                limits = []
                ok = True
                if t.max_failed is not None:
                    limits.append(f"max {t.max_failed}")
                    ok &= failed <= t.max_failed
                if t.max_failed_pct is not None:
                    limits.append(f"max {t.max_failed_pct:g}%")
                    ok &= pct <= t.max_failed_pct
                rows.append(
                    {
                        "gate": rule_id,
                        "observed": observed,
                        "limit": ", ".join(limits),
                        "passed": ok,
                    }
                )
        elif _RANK[severity] >= fail_rank and failed > 0:
            rows.append(
                {
                    "gate": rule_id,
                    "observed": observed,
                    "limit": f"no {severity} failures (fail_on: {settings.fail_on})",
                    "passed": False,
                }
            )
    if settings.min_dataset_score is not None:
        rows.append(
            {
                "gate": "dataset score",
                "observed": f"{dataset_score:.1f}",
                "limit": f"min {settings.min_dataset_score:g}",
                "passed": dataset_score >= settings.min_dataset_score,
            }
        )
    for dimension, minimum in settings.min_dimension_scores.items():
        score = dimension_scores.get(dimension, 100.0)
        rows.append(
            {
                "gate": f"{dimension} score",
                "observed": f"{score:.1f}",
                "limit": f"min {minimum:g}",
                "passed": score >= minimum,
            }
        )
    return pd.DataFrame(rows, columns=_GATE_COLUMNS).astype({"passed": bool})


def gate_failure_message(failed: pd.DataFrame, gates_file: str = "gates") -> str | None:
    """One line naming the first failed gate (and how many more), or None when all passed."""
    if not len(failed):
        return None
    first = failed.iloc[0]
    more = f" (and {len(failed) - 1} more gates, see {gates_file})" if len(failed) > 1 else ""
    return (
        f"quality gate failed: {first['gate']}: {first['observed']}; limit {first['limit']}{more}"
    )
