"""The report: section of dq.yaml: strict keys, at least one bound per entry, defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from dq.config import workspace_from_dict
from dq.errors import ConfigError
from dq.report.settings import ReportSettings


def test_defaults_check_duplicates_and_source_rows() -> None:
    settings = workspace_from_dict({}, Path(".")).report
    assert settings == ReportSettings()
    assert [(c.metric, c.compare_to, c.max_rise_pct, c.max_drop_pct) for c in settings.changes] == [
        ("duplicate_records", "last", 20, None),
        ("source_rows_read", "median", None, 30),
    ]


def test_parsed_from_yaml_mapping() -> None:
    ws = workspace_from_dict(
        {
            "report": {
                "top_n": 5,
                "thresholds": [{"metric": "dataset_score", "warn_below": 95, "fail_below": 90}],
                "changes": [{"metric": "review_pairs", "max_rise_pct": 50, "level": "fail"}],
            }
        },
        Path("."),
    )
    assert ws.report.top_n == 5
    assert ws.report.thresholds[0].fail_below == 90
    assert ws.report.changes[0].level == "fail"


@pytest.mark.parametrize(
    ("section", "problem"),
    [
        (
            {"thresholds": [{"metrc": "x", "fail_below": 1}]},
            "report.thresholds[0].metrc: unknown key",
        ),
        ({"thresholds": [{"metric": "x"}]}, "give at least one of warn_below"),
        ({"changes": [{"metric": "x"}]}, "give max_rise_pct, max_drop_pct or both"),
        ({"changes": [{"metric": "x", "max_drop_pct": 120}]}, "report.changes[0].max_drop_pct"),
        ({"colour": "red"}, "report.colour: unknown key"),
    ],
)
def test_problems_are_named(section: dict[str, object], problem: str) -> None:
    with pytest.raises(ConfigError) as info:
        workspace_from_dict({"report": section}, Path("."))
    assert problem in str(info.value)
