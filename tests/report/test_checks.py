"""Thresholds and change checks: which metric values warn, which fail, and what they say."""

from __future__ import annotations

import pandas as pd
import pytest

from dq.report.checks import check_metrics, failed, one_line
from dq.report.metrics import Metric
from dq.report.runs import HISTORY_COLUMNS
from dq.report.settings import ChangeCheck, MetricThreshold, ReportSettings
from tests.report.conftest import DemoRun

NO_HISTORY = pd.DataFrame(columns=HISTORY_COLUMNS)


def _history(series: dict[str, list[float]]) -> pd.DataFrame:
    rows = [
        {
            "run_id": i + 1,
            "finished_at": "",
            "as_of": "",
            "name": k.split("{")[0],
            "tags": "",
            "key": k,
            "value": v,
        }
        for k, values in series.items()
        for i, v in enumerate(values)
    ]
    return pd.DataFrame(rows, columns=HISTORY_COLUMNS)


@pytest.mark.parametrize(
    ("bounds", "value", "level"),
    [
        ({"warn_below": 95, "fail_below": 80}, 96.0, None),
        ({"warn_below": 95, "fail_below": 80}, 90.0, "warn"),
        ({"warn_below": 95, "fail_below": 80}, 79.9, "fail"),
        ({"fail_above": 10}, 10.0, None),  # the bound itself passes
        ({"fail_above": 10}, 11.0, "fail"),
        ({"warn_above": 5, "fail_above": 10}, 7.0, "warn"),
    ],
)
def test_thresholds(bounds: dict[str, float], value: float, level: str | None) -> None:
    settings = ReportSettings(thresholds=[MetricThreshold(metric="m", **bounds)], changes=[])
    findings = check_metrics([Metric("m", {}, value)], NO_HISTORY, settings)
    assert [f.level for f in findings] == ([] if level is None else [level])


def test_threshold_selects_series_by_tag_wildcards() -> None:
    rule = MetricThreshold(metric="rule_failed", tags={"rule": "records:*"}, fail_above=0)
    metrics = [
        Metric("rule_failed", {"rule": "records:email.email_valid"}, 3),
        Metric("rule_failed", {"rule": "company:vat_id.vat_id_valid"}, 3),
    ]
    findings = check_metrics(metrics, NO_HISTORY, ReportSettings(thresholds=[rule], changes=[]))
    assert [f.key for f in findings] == ["rule_failed{rule=records:email.email_valid}"]
    assert findings[0].message == (
        "rule_failed{rule=records:email.email_valid} is 3, above the fail limit 0"
    )
    assert failed(findings)


def test_default_change_checks() -> None:
    past = _history(
        {
            "duplicate_records": [100, 100, 100],
            "source_rows_read{source=hubspot}": [1000, 900, 1100, 1000, 50],
            "source_rows_read{source=datev}": [200, 200],
        }
    )
    metrics = [
        Metric("duplicate_records", {}, 121),  # +21 % against the last run
        Metric("source_rows_read", {"source": "hubspot"}, 650),  # -35 % against the median 1000
        Metric("source_rows_read", {"source": "datev"}, 150),  # -25 %: within the limit
        Metric("source_rows_read", {"source": "notes"}, 1),  # no history: nothing to compare
    ]
    findings = check_metrics(metrics, past, ReportSettings())
    assert [(f.level, f.key) for f in findings] == [
        ("warn", "duplicate_records"),
        ("warn", "source_rows_read{source=hubspot}"),
    ]
    assert "rose 21.0 % (100 → 121) against the last run; limit +20 %" in findings[0].message
    assert "fell 35.0 % (1,000 → 650) against its median over 5 runs" in findings[1].message
    assert not failed(findings)
    assert one_line(findings).startswith("report: 0 failed, 2 warnings (first: duplicate_records")


def test_change_from_zero_is_not_a_percentage() -> None:
    check = ChangeCheck(metric="m", max_rise_pct=10, level="fail")
    findings = check_metrics(
        [Metric("m", {}, 5)], _history({"m": [0]}), ReportSettings(changes=[check])
    )
    assert findings == []


def test_no_findings_line() -> None:
    assert one_line([]) == "report: ok"


def test_demo_second_run_warns_about_the_shrunk_source(demo_runs: tuple[DemoRun, DemoRun]) -> None:
    first, second = demo_runs
    assert first.report.findings == []  # nothing to compare with on the first run
    keys = [f.key for f in second.report.findings]
    assert "source_rows_read{source=hubspot}" in keys
    assert all(f.level == "warn" for f in second.report.findings)
