"""Run history in the state database: runs stored in order, series found by name and tags."""

from __future__ import annotations

from datetime import date

import pytest

from dq.report.metrics import Metric, RunFacts
from dq.report.runs import history, load_history, save_run
from dq.store import Store
from tests.report.conftest import DemoRun


@pytest.fixture
def store() -> Store:
    return Store(":memory:")


def _save(store: Store, day: int, duplicates: float, rows: float) -> int:
    facts = RunFacts(as_of=date(2026, 1, day), dq_version="0.1.0", config_hash="abc")
    metrics = [
        Metric("duplicate_records", {}, duplicates),
        Metric("source_rows_read", {"source": "datev"}, rows),
        Metric("source_rows_read", {"source": "hubspot"}, rows * 2),
    ]
    return save_run(store, facts, metrics)


def test_series_by_name_and_tags_oldest_first(store: Store) -> None:
    ids = [_save(store, d, d * 10.0, 100.0 + d) for d in (1, 2, 3)]
    assert ids == sorted(ids) and len(set(ids)) == 3
    dup = history(store, "duplicate_records")
    assert list(dup["value"]) == [10.0, 20.0, 30.0]
    assert list(dup["as_of"]) == ["2026-01-01", "2026-01-02", "2026-01-03"]
    hub = history(store, "source_rows_read", {"source": "hubspot"})
    assert list(hub["value"]) == [202.0, 204.0, 206.0]
    assert list(history(store, "source_rows_read", {"source": "datev"}, limit=2)["value"]) == [
        102.0,
        103.0,
    ]
    assert history(store, "source_rows_read").empty  # the untagged series does not exist


def test_load_history_keeps_the_last_runs(store: Store) -> None:
    for d in (1, 2, 3, 4):
        _save(store, d, d, 1.0)
    frame = load_history(store, 2)
    assert sorted(frame["as_of"].unique()) == ["2026-01-03", "2026-01-04"]
    assert len(frame) == 6


def test_empty_store_has_no_history(store: Store) -> None:
    assert load_history(store, 10).empty
    assert history(store, "dataset_score").empty


def test_every_demo_run_is_stored(demo_runs: tuple[DemoRun, DemoRun]) -> None:
    first, second = demo_runs
    assert (first.report.run_id, second.report.run_id) == (1, 2)
    with Store(second.state) as store:
        score = history(store, "dataset_score")
        assert len(score) == 2
        assert list(score["value"]) == [
            next(m.value for m in run.report.metrics if m.name == "dataset_score")
            for run in demo_runs
        ]


def test_history_before_a_run_leaves_out_later_runs(store: Store) -> None:
    from datetime import UTC, datetime

    for day in (1, 2, 3):
        facts = RunFacts(as_of=date(2026, 1, day), finished_at=datetime(2026, 1, day, tzinfo=UTC))
        save_run(store, facts, [Metric("records", {}, float(day))])
    frame = load_history(store, 10, before=datetime(2026, 1, 3, tzinfo=UTC))
    assert list(frame["value"]) == [1.0, 2.0]
