"""Every shipped rule file loads, saves and reloads unchanged, also through plain pandera."""

from __future__ import annotations

from pathlib import Path

import pytest
from pandera.io.pandas_io import from_yaml

from dq.checks import CHECKS
from dq.validate import dump_rule_set, load_rule_set, save_rule_set, shipped_rule_sets

SHIPPED = shipped_rule_sets()


def test_the_issue_s_rule_sets_are_shipped() -> None:
    assert {"records", "company", "person", "transactions", "migration"} <= set(SHIPPED)


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_load_save_reload_is_unchanged(name: str, tmp_path: Path) -> None:
    first = load_rule_set(SHIPPED[name])
    saved = save_rule_set(first, tmp_path / f"{name}.yaml")
    second = load_rule_set(saved)
    assert saved.read_text(encoding="utf-8") == SHIPPED[name].read_text(encoding="utf-8")
    assert second.rules == first.rules
    assert (second.table, second.applies_to, second.default) == (
        first.table,
        first.applies_to,
        first.default,
    )


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_plain_pandera_keeps_dimension_and_severity(name: str) -> None:
    schema = from_yaml(SHIPPED[name])
    rules = load_rule_set(SHIPPED[name]).rules
    dq_rules = [r for r in rules if r.check in CHECKS]
    assert dq_rules
    # pandera alone reads the same statistics back, dimension and severity included
    again = from_yaml(schema.to_yaml())
    stats = [dict(c.statistics) for col in again.columns.values() for c in col.checks]
    stats += [dict(c.statistics) for c in again.checks]
    for rule in dq_rules:
        assert {**rule.statistics} in stats
        assert rule.statistics["dimension"] == rule.dimension
        assert rule.statistics["severity"] == rule.severity
    # dq's scope lives in metadata, which pandera reads
    assert schema.metadata["dq"]["table"] in {"records", "transactions"}


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_shipped_files_are_written_the_way_save_writes_them(name: str) -> None:
    assert dump_rule_set(load_rule_set(SHIPPED[name])) == SHIPPED[name].read_text(encoding="utf-8")
