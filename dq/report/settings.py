"""The ``report:`` section of dq.yaml: warn/fail thresholds on metrics and change checks.

A threshold bounds a metric's value (``dataset_score`` below 90 warns); a change check compares it
with the stored history (duplicates up more than 20 % since the last run, a source delivering 30 %
fewer rows than its median). Both select metric series by name and tags (shell wildcards).
"""

from __future__ import annotations

from fnmatch import fnmatchcase
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = ["ChangeCheck", "Level", "MetricThreshold", "ReportSettings", "default_change_checks"]

Level = Literal["warn", "fail"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Selector(_Strict):
    metric: str = Field(description="Metric name, e.g. dataset_score or source_rows_read.")
    tags: dict[str, str] = Field(
        default_factory=dict,
        description="Tags the series must have (values may use shell wildcards); "
        "empty: every series of the metric.",
    )

    def selects(self, name: str, tags: dict[str, str]) -> bool:
        """Whether the metric series ``name``/``tags`` is one this entry applies to."""
        if name != self.metric:
            return False
        return all(k in tags and fnmatchcase(tags[k], v) for k, v in self.tags.items())


class MetricThreshold(_Selector):
    """Bounds on a metric's value in this run; outside a bound warns or fails."""

    warn_below: float | None = None
    warn_above: float | None = None
    fail_below: float | None = None
    fail_above: float | None = None

    @model_validator(mode="after")
    def _one_bound(self) -> MetricThreshold:
        bounds = (self.warn_below, self.warn_above, self.fail_below, self.fail_above)
        if all(b is None for b in bounds):
            raise ValueError("give at least one of warn_below, warn_above, fail_below, fail_above")
        return self


class ChangeCheck(_Selector):
    """A limit on how far a metric may move against the stored runs."""

    compare_to: Literal["last", "median"] = Field(
        "last", description="The previous run's value, or the median of the last `window` runs."
    )
    window: int = Field(10, ge=1, description="Runs the median is taken over.")
    max_rise_pct: float | None = Field(None, ge=0, description="Flag a rise above this percent.")
    max_drop_pct: float | None = Field(
        None, ge=0, le=100, description="Flag a drop above this percent."
    )
    level: Level = "warn"

    @model_validator(mode="after")
    def _one_limit(self) -> ChangeCheck:
        if self.max_rise_pct is None and self.max_drop_pct is None:
            raise ValueError("give max_rise_pct, max_drop_pct or both")
        return self


def default_change_checks() -> list[ChangeCheck]:
    """The checks a scheduled run gets without configuration: duplicates rising by more than
    20 % since the last run, and a source delivering 30 % fewer rows than its median."""
    return [
        ChangeCheck(metric="duplicate_records", max_rise_pct=20),
        ChangeCheck(metric="source_rows_read", compare_to="median", max_drop_pct=30),
    ]


class ReportSettings(_Strict):
    """Settings of the run report (``report:`` in dq.yaml)."""

    top_n: int = Field(10, ge=1, le=1000, description="Rows in each top-N list of the report.")
    trend_runs: int = Field(20, ge=2, le=1000, description="Stored runs shown in trend charts.")
    thresholds: list[MetricThreshold] = Field(
        default_factory=list, description="Warn/fail bounds on any metric."
    )
    changes: list[ChangeCheck] = Field(
        default_factory=default_change_checks,
        description="Change checks against the run history (default: duplicates +20 %, "
        "a source's rows -30 % against its median).",
    )
