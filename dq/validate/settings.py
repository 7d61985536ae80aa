"""The ``validate:`` section of dq.yaml: which failures fail the quality gate, and score weights.

Without thresholds every failing rule of severity ``fail_on`` or worse fails the gate. A threshold
names rules (``email_valid``, ``email.email_valid``, ``company:vat_id.*``) and replaces that
default for them with a limit on failures, as a count and/or a percentage of checked values.
"""

from __future__ import annotations

from fnmatch import fnmatchcase
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from dq.validate.kinds import Dimension, Severity

__all__ = [
    "FailOn",
    "Threshold",
    "ValidateSettings",
]

FailOn = Literal["error", "warning", "never"]


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
