"""The retention verdicts on the scenario corpus (tests/gdpr/data/scenarios.yaml)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml

from dq.gdpr.policy import load_policy
from dq.gdpr.retention import CONTACT_VERDICT_COLUMNS, RETENTION_COLUMNS, retention

from .scenario import as_of, build_tables, load_scenarios

SCENARIOS = load_scenarios()


def _expected(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, bool | str) and not str(value)[:1].isdigit():
        return value
    return pd.Timestamp(value)


def _actual(value: Any) -> Any:
    if value is None or value is pd.NaT or (not isinstance(value, str) and pd.isna(value)):
        return None
    return bool(value) if isinstance(value, bool) or type(value).__name__ == "bool_" else value


def _check(row: pd.Series, expect: dict[str, Any], what: str) -> None:
    for column, wanted in expect.items():
        got = _actual(row[column])
        assert got == _expected(wanted), f"{what}: {column} is {got!r}, expected {wanted!r}"


def test_enough_scenarios() -> None:
    assert len(SCENARIOS) >= 30
    for scenario in SCENARIOS:
        assert {"action", "due_date", "delete_after", "rule"} <= set(scenario["expect"])


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s["name"] for s in SCENARIOS])
def test_scenario(scenario: dict[str, Any], tmp_path: Path) -> None:
    policy_file = None
    if "policy" in scenario:
        policy_file = tmp_path / "retention.yaml"
        policy_file.write_text(yaml.safe_dump(scenario["policy"]), encoding="utf-8")
    tables = build_tables(scenario)
    result = retention(
        tables["golden"],
        load_policy(policy_file),
        as_of(scenario),
        contacts=tables["contacts"],
        records=tables["records"],
        transactions=tables["transactions"],
        interactions=tables["interactions"],
        requests=tables["privacy_requests"],
    )
    assert tuple(result.retention.columns) == RETENTION_COLUMNS
    assert len(result.retention) == 1
    _check(result.retention.iloc[0], scenario["expect"], "customer")
    for contact in scenario.get("contacts") or []:
        row = result.contacts.set_index("contact_id").loc[contact["contact_id"]]
        assert set(CONTACT_VERDICT_COLUMNS) <= set(result.contacts.columns)
        _check(row, contact["expect"], f"contact {contact['contact_id']}")
