"""The validate: section of dq.yaml."""

from __future__ import annotations

from pathlib import Path

import pytest

from dq.errors import ConfigError
from dq.validate import Threshold, ValidateSettings, load_validate_settings


def test_section_is_read_and_the_rest_ignored(tmp_path: Path) -> None:
    path = tmp_path / "dq.yaml"
    path.write_text(
        "project: {name: x}\nvalidate:\n  fail_on: warning\n  thresholds:\n"
        "    - {rule: email.email_valid, max_failed_pct: 2.5}\n",
        encoding="utf-8",
    )
    settings = load_validate_settings(path)
    assert settings.fail_on == "warning"
    assert settings.thresholds == [Threshold(rule="email.email_valid", max_failed_pct=2.5)]


def test_no_section_gives_defaults(tmp_path: Path) -> None:
    (tmp_path / "dq.yaml").write_text("project: {name: x}\n", encoding="utf-8")
    assert load_validate_settings(tmp_path) == ValidateSettings()


def test_unknown_keys_and_bad_values_are_all_reported(tmp_path: Path) -> None:
    path = tmp_path / "dq.yaml"
    path.write_text(
        "validate:\n  fail_on: sometimes\n  treshold: 3\n  thresholds: [{rule: x}]\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as info:
        load_validate_settings(path)
    text = str(info.value)
    assert "validate.treshold: unknown key" in text
    assert "validate.fail_on" in text
    assert "give max_failed, max_failed_pct or both" in text


@pytest.mark.parametrize(
    ("pattern", "rule_id", "expected"),
    [
        ("email_valid", "records:email.email_valid", True),
        ("email.email_valid", "records:email.email_valid", True),
        ("mobile.email_valid", "records:email.email_valid", False),
        ("company:*", "company:vat_id.vat_id_valid", True),
        ("company:*", "records:vat_id.vat_id_valid", False),
        ("*.not_blank", "person:last_name.not_blank", True),
        ("phone_valid", "records:phone.phone_valid", True),
    ],
)
def test_threshold_rule_patterns(pattern: str, rule_id: str, expected: bool) -> None:
    assert Threshold(rule=pattern, max_failed=0).matches(rule_id) is expected
