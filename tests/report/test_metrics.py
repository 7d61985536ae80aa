"""Metrics from a run's tables: every number checked against the tables it summarises."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dq.report.metrics import Metric, RunFacts, collect_metrics, metric_key
from tests.report.conftest import DemoRun

FACTS = RunFacts(as_of=date(2026, 1, 15))


def _by_key(metrics: list[Metric]) -> dict[str, float]:
    keys = [m.key for m in metrics]
    assert len(keys) == len(set(keys)), "every metric series appears once"
    return {m.key: m.value for m in metrics}


def test_demo_metrics_match_the_tables(demo: DemoRun) -> None:
    got = _by_key(demo.report.metrics)
    tables = demo.tables
    assert got["records"] == len(tables["records"])
    assert got["rejects"] == len(tables["rejects"])
    # The mean of the records' quality_score, which the validation rounds to one decimal.
    assert got["dataset_score"] == pytest.approx(demo.result.dataset_score, abs=0.05)
    assert got["golden_customers"] == len(tables["golden"])
    assert got["review_pairs"] == len(tables["review"])
    assert sum(v for k, v in got.items() if k.startswith("rule_failed{")) == len(tables["issues"])
    for stats in demo.facts.files:
        assert got[metric_key("source_rows_read", {"source": stats.source})] >= stats.rows_read
    rows_read = sum(v for k, v in got.items() if k.startswith("source_rows_read{"))
    assert rows_read == sum(s.rows_read for s in demo.facts.files)
    # Every record beyond the first of its customer or contact person is a duplicate.
    entities = len(tables["golden"]) + len(tables["contacts"])
    assert got["duplicate_records"] == len(tables["crosswalk"]) - entities
    assert got["gates_failed"] == 0
    assert got["run_seconds"] == pytest.approx(sum(demo.facts.timings.values()))


def test_dimension_scores_agree_with_validation(demo: DemoRun) -> None:
    got = _by_key(demo.report.metrics)
    for dimension, score in demo.result.stages["validate"].dimension_scores.items():
        key = metric_key("dimension_score", {"dimension": dimension})
        # The report scores every validated table (records and transactions) together.
        assert got[key] == pytest.approx(score, abs=1.0)


def test_rule_scores_from_the_rules_table() -> None:
    rules = pd.DataFrame(
        {
            "rule_set": ["records", "records"],
            "column": ["email", "iban"],
            "check": ["email_valid", "iban_valid"],
            "checked": [200, 0],
            "failed": [3, 0],
        }
    )
    got = _by_key(collect_metrics({"quality_rules": rules}, FACTS))
    assert got["rule_score{rule=records:email.email_valid}"] == 98.5
    assert got["rule_score{rule=records:iban.iban_valid}"] == 100.0


def test_missing_tables_give_no_metrics() -> None:
    assert collect_metrics({}, FACTS) == []
    only_golden = _by_key(collect_metrics({"golden": pd.DataFrame({"golden_id": []})}, FACTS))
    assert only_golden == {"golden_customers": 0.0}


def test_customer_value_headlines() -> None:
    value = pd.DataFrame(
        {
            "golden_id": [f"G{i}" for i in range(10)],
            "revenue_12m": [500.0, 200.0, 100.0, 50.0, 50.0, 40.0, 30.0, 20.0, 10.0, -5.0],
            "abc": ["A", "A", "B", "B", "C", "C", "C", "C", "C", None],
            "lifecycle": ["active"] * 6 + ["at_risk", "at_risk", "lost", "prospect"],
            "reorder_overdue": [False, True, False, True, None, False, False, False, False, False],
            "prepayment_recommended": [True] + [False] * 9,
        }
    )
    got = _by_key(collect_metrics({"customer_value": value}, FACTS))
    assert got["customers_by_abc{abc=A}"] == 2
    assert got["customers_by_abc{abc=none}"] == 1
    assert got["customers_by_lifecycle{lifecycle=at_risk}"] == 2
    assert got["revenue_12m"] == 995.0
    # 9 customers with positive revenue: the top 10 % is 1 customer (500 of 1000).
    assert got["revenue_share_top{customers=10%}"] == 50.0
    # the top 20 % is 2 customers (700 of 1000)
    assert got["revenue_share_top{customers=20%}"] == 70.0
    assert got["reorder_overdue"] == 2
    assert got["prepayment_recommended"] == 1


def test_gdpr_headlines() -> None:
    retention = pd.DataFrame(
        {
            "golden_id": ["G1", "G2", "G3", "G4"],
            "action": ["keep", "restrict", "delete", "delete"],
            "due_date": pd.to_datetime(["2020-01-01", "2026-01-14", "2026-01-15", None]),
        }
    )
    requests = pd.DataFrame(
        {
            "request_id": ["R1", "R2", "R3"],
            "type": ["erasure", "access", "erasure"],
            "status": ["matched", "unmatched", "matched"],
        }
    )
    got = _by_key(collect_metrics({"retention": retention, "privacy_requests": requests}, FACTS))
    assert got["customers_by_action{action=delete}"] == 2
    assert got["actions_overdue"] == 1  # the restriction due yesterday; keep is never overdue
    assert got["privacy_requests"] == 3
    assert got["privacy_requests_by_type{type=erasure}"] == 2
    assert got["privacy_requests_by_status{status=unmatched}"] == 1


def test_contacts_count_as_their_own_entities() -> None:
    crosswalk = pd.DataFrame(
        {
            "record_id": ["a:1", "b:1", "a:2", "b:2", "c:1"],
            "golden_id": ["G1", "G1", "G1", "G1", "G2"],
            "contact_id": [None, None, "C1", "C1", None],
        }
    )
    got = _by_key(collect_metrics({"crosswalk": crosswalk}, FACTS))
    # G1 (2 records), contact C1 at G1 (2 records), G2 (1 record): 5 records, 3 entities.
    assert got["duplicate_records"] == 2


def test_facts_round_trip(demo: DemoRun) -> None:
    assert RunFacts.from_dict(demo.facts.to_dict()) == demo.facts


@given(
    st.lists(
        st.tuples(st.sampled_from(["datev", "crm", "shop"]), st.integers(0, 5), st.integers(-1, 3)),
        min_size=1,
        max_size=60,
    )
)
def test_counts_add_up(rows: list[tuple[str, int, int]]) -> None:
    """Per-source counts sum to the total; duplicates never exceed records minus one."""
    records = pd.DataFrame(
        {"record_id": [f"r{i}" for i in range(len(rows))], "source": [r[0] for r in rows]}
    )
    crosswalk = pd.DataFrame(
        {
            "record_id": records["record_id"],
            "golden_id": [f"G{r[1]}" for r in rows],
            "contact_id": [f"C{r[2]}" if r[2] >= 0 else None for r in rows],
        }
    )
    got = _by_key(collect_metrics({"records": records, "crosswalk": crosswalk}, FACTS))
    per_source = sum(v for k, v in got.items() if k.startswith("source_records{"))
    assert per_source == got["records"] == len(rows)
    assert 0 <= got["duplicate_records"] <= len(rows) - 1
    entities = len({(r[1], r[2] if r[2] >= 0 else None) for r in rows})
    assert got["duplicate_records"] == len(rows) - entities
