"""Profiling: completeness, validity, patterns, and suggested rule sets that load back."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dq.validate import load_rule_set, save_rule_set
from dq.validate.profile import profile, suggest_rule_set, value_pattern


@pytest.mark.parametrize(
    ("value", "pattern"),
    [
        ("80331", "99999"),
        ("1010", "9999"),
        ("+49 89 1234567", "+99 99 9999999"),
        ("089 1234567", "999 9999999"),
        ("DE136695976", "AA999999999"),
        ("info@firma.de", "aaaa@aaaaa.aa"),
        ("a" * 20, "a" * 16 + "…"),
    ],
)
def test_value_pattern(value: str, pattern: str) -> None:
    assert value_pattern(value) == pattern


@given(st.text(max_size=30))
def test_pattern_never_raises_and_is_bounded(value: str) -> None:
    assert len(value_pattern(value)) <= 17


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "record_id": [f"crm:{i}" for i in range(10)],
            "source": ["crm"] * 10,
            "email": ["a@b.de"] * 8 + ["kaputt", None],
            "postcode": ["80331"] * 9 + ["1234567"],
            "country": ["DE"] * 10,
            "notes": ["x"] * 5 + [None] * 5,
        }
    )


def test_profile_counts() -> None:
    result = profile(_frame()).columns.set_index("column")
    assert result.loc["email", "completeness"] == 90.0
    assert result.loc["email", "check"] == "email_valid"
    assert (result.loc["email", "checked"], result.loc["email", "valid"]) == (9, 8)
    assert result.loc["postcode", "top_patterns"] == "99999 (9), 9999999 (1)"
    assert result.loc["notes", "check"] is None
    assert result.loc["record_id", "distinct"] == 10


def test_suggested_rules_load_back_and_fit_the_data(tmp_path: Path) -> None:
    frame = _frame()
    rule_set = suggest_rule_set(frame)
    path = save_rule_set(rule_set, tmp_path / "suggested.yaml")
    again = load_rule_set(path)
    assert again.rules == rule_set.rules
    rules = {(r.column, r.check): r.severity for r in again.rules}
    assert rules[("record_id", "not_blank")] == "error"
    assert rules[("email", "not_blank")] == "warning"  # 90 % filled
    assert rules[("email", "email_valid")] == "warning"  # 8 of 9 valid
    assert rules[("postcode", "postcode_valid")] == "warning"
    assert rules[("record_id", "unique_within")] == "error"
    assert ("notes", "not_blank") not in rules
