"""The ``validate:`` section of dq.yaml: which failures fail the quality gate, and score weights.

Without thresholds every failing rule of severity ``fail_on`` or worse fails the gate. A threshold
names rules (``email_valid``, ``email.email_valid``, ``company:vat_id.*``) and replaces that
default for them with a limit on failures, as a count and/or a percentage of checked values.
"""

from __future__ import annotations

from fnmatch import fnmatchcase
from pathlib import Path
from typing import Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, model_validator

from dq.checks import Dimension, Severity

__all__ = [
    "FailOn",
    "Threshold",
    "ValidateSettings",
    "evaluate_gates",
    "gate_failure_message",
    "load_validate_settings",
]

FailOn = Literal["error", "warning", "never"]

_RANK = {"warning": 1, "error": 2}
_FAIL_RANK = {"warning": 1, "error": 2, "never": 3}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Threshold(_Strict):
    """A limit on the failures of the rules that ``rule`` names."""

    rule: str = Field(
        description="Rules this limit applies to: 'check', 'column.check' or "
        "'rule_set:column.check'; shell wildcards allowed ('*.not_blank')."
    )
    max_failed: int | None = Field(None, ge=0, description="At most this many failing values.")
    max_failed_pct: float | None = Field(
        None, ge=0, le=100, description="At most this percentage of checked values failing."
    )

    @model_validator(mode="after")
    def _one_limit(self) -> Threshold:
        if self.max_failed is None and self.max_failed_pct is None:
            raise ValueError("give max_failed, max_failed_pct or both")
        return self

    def matches(self, rule_id: str) -> bool:
        """Whether this threshold applies to the rule ``rule_set:column.check``."""
        rest = rule_id.partition(":")[2]
        check = rest.rpartition(".")[2]
        if ":" in self.rule:
            return fnmatchcase(rule_id, self.rule)
        if "." in self.rule:
            return fnmatchcase(rest, self.rule)
        return fnmatchcase(check, self.rule)


class ValidateSettings(_Strict):
    """Settings of the validation stage (``validate:`` in dq.yaml)."""

    rules: list[str] = Field(
        default_factory=list,
        description="Rule sets to apply (shipped names or paths); empty: the shipped defaults.",
    )
    fail_on: FailOn = Field(
        "error", description="Lowest severity whose failures fail the gate: error, warning, never."
    )
    thresholds: list[Threshold] = Field(
        default_factory=list, description="Per-rule limits that replace the fail_on default."
    )
    min_dataset_score: float | None = Field(
        None, ge=0, le=100, description="Fail when the dataset's quality score is lower."
    )
    min_dimension_scores: dict[Dimension, float] = Field(
        default_factory=dict, description="Fail when a dimension's score (0–100) is lower."
    )
    severity_weights: dict[Severity, float] = Field(
        default_factory=lambda: {"error": 1.0, "warning": 0.5},  # type: ignore[arg-type]
        description="Weight of a rule of each severity in the record quality score.",
    )


def load_validate_settings(path: Path | str) -> ValidateSettings:
    """The ``validate:`` section of a dq.yaml (defaults when it has none); the whole file is
    checked as a workspace."""
    from dq.config import load_workspace

    return load_workspace(path).validate_


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
