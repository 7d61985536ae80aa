"""The deletion concept file: shipped defaults, workspace overrides, every problem reported."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dq.config import workspace_from_dict
from dq.errors import ConfigError, RuleError
from dq.gdpr.policy import load_policy, parse_period


def test_shipped_defaults_match_the_issue() -> None:
    policy = load_policy()
    rules = policy.rules
    expected = {
        "customer_relationship": ("3y", "end_of_year"),
        "books": ("10y", "end_of_year"),
        "vouchers": ("8y", "end_of_year"),
        "business_letters": ("6y", "end_of_year"),
        "prospect": ("24m", "event"),
        "erasure_request": ("1m", "event"),
        "proof_of_consent": ("5y", "event"),
    }
    for name, (period, counted_from) in expected.items():
        assert (rules[name].period, rules[name].from_) == (period, counted_from), name
    assert rules["vouchers"].sources == []
    assert rules["business_letters"].kinds == ["offer", "order"]
    assert "§ 147" in rules["books"].legal_basis and "§ 257" in rules["books"].legal_basis
    assert "BEG IV" in rules["vouchers"].legal_basis
    assert "§ 7a UWG" in rules["proof_of_consent"].legal_basis
    assert "data-protection officer" in policy.disclaimer
    text = (Path(__file__).parents[2] / "rules" / "retention.yaml").read_text(encoding="utf-8")
    assert "STARTING POINT" in text


@pytest.mark.parametrize(
    ("text", "period"),
    [("10y", (10, "y")), ("24m", (24, "m")), (" 30d ", (30, "d"))],
)
def test_parse_period(text: str, period: tuple[int, str]) -> None:
    parsed = parse_period(text)
    assert (parsed.amount, parsed.unit) == period


def test_workspace_file_merges_by_name(tmp_path: Path) -> None:
    own = tmp_path / "retention.yaml"
    own.write_text(
        "rules:\n"
        "  prospect: {period: 12m}\n"
        "  proof_of_consent: {enabled: false}\n"
        "  letters_archive:\n"
        "    kind: retention\n"
        "    category: scanned letters\n"
        "    start: last_interaction\n"
        "    period: 2y\n"
        "    keeps: [identity]\n"
        "    legal_basis: contract\n",
        encoding="utf-8",
    )
    policy = load_policy(own)
    assert policy.rules["prospect"].period == "12m"
    assert policy.rules["prospect"].legal_basis == load_policy().rules["prospect"].legal_basis
    assert "proof_of_consent" not in {r.name for r in policy.of_kind("retention")}
    assert "letters_archive" in {r.name for r in policy.of_kind("retention")}


def test_missing_workspace_file_means_defaults(tmp_path: Path) -> None:
    assert load_policy(tmp_path / "retention.yaml") == load_policy()


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    own = tmp_path / "retention.yaml"
    own.write_text(
        "rules:\n"
        "  books: {period: ten years}\n"
        "  business_letters: {keeps: [letters]}\n"
        "  prospect: {colour: red}\n",
        encoding="utf-8",
    )
    with pytest.raises(RuleError) as info:
        load_policy(own)
    message = str(info.value)
    assert str(own) in message
    assert "ten years" in message
    assert "colour" in message and "unknown key" in message


def test_a_second_purpose_rule_for_customers_is_refused(tmp_path: Path) -> None:
    own = tmp_path / "retention.yaml"
    own.write_text(
        "rules:\n  other: {kind: purpose, applies_to: customer, category: x, start: last_contact,"
        " period: 1y, legal_basis: x}\n",
        encoding="utf-8",
    )
    with pytest.raises(RuleError, match="exactly one enabled purpose rule"):
        load_policy(own)


def test_invalid_yaml_is_a_rule_error(tmp_path: Path) -> None:
    own = tmp_path / "retention.yaml"
    own.write_text("rules: [unclosed\n", encoding="utf-8")
    with pytest.raises(RuleError, match="invalid YAML"):
        load_policy(own)


def test_gdpr_section_in_dq_yaml(tmp_path: Path) -> None:
    ws = workspace_from_dict({"gdpr": {"policy": "legal/loeschkonzept.yaml"}}, tmp_path)
    assert ws.resolve(ws.gdpr.policy) == tmp_path / "legal" / "loeschkonzept.yaml"
    with pytest.raises(ConfigError, match=r"gdpr\.polcy: unknown key"):
        workspace_from_dict({"gdpr": {"polcy": "x"}}, tmp_path)


@given(st.integers(min_value=0, max_value=999), st.sampled_from(["y", "m", "d"]))
def test_period_round_trip(amount: int, unit: str) -> None:
    assert str(parse_period(f"{amount}{unit}")) == f"{amount}{unit}"


@given(st.text(max_size=8))
def test_bad_periods_raise_value_error(text: str) -> None:
    if re.fullmatch(r"\s*\d+\s*[ymd]\s*", text, flags=re.ASCII):
        return
    with pytest.raises(ValueError, match="must look like"):
        parse_period(text)
