"""Golden records on Spark equal the local golden builder's, golden IDs from the same registry."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from dq.golden.build import build_golden
from dq.golden.settings import GoldenSettings
from dq.golden.survivorship import survive
from dq.match.run import arrow_strings
from dq.store import Store


def _sorted(frame: pd.DataFrame, by: str) -> pd.DataFrame:
    return arrow_strings(frame.sort_values(by, ignore_index=True))


def test_golden_records_and_ids_equal_the_local_ones(
    spark: Any, customers: pd.DataFrame, tmp_path: Path
) -> None:
    from dq.match.engines.spark_golden import golden_spark
    from dq.match.engines.spark_tables import from_pandas, to_pandas

    # the fixture's true customers as clusters; a first run saw them split (every fifth record
    # alone), so the second run reuses, merges and retires registry IDs
    labels = pd.factorize(customers["true_id"])[0].astype(np.int64)
    before = np.where(np.arange(len(labels)) % 5 == 0, len(labels) + np.arange(len(labels)), labels)
    settings = GoldenSettings(source_priority={"salesforce": 0, "datev": 1})
    stores = Store(tmp_path / "local.db"), Store(tmp_path / "spark.db")
    for store in stores:
        build_golden(customers, before, settings=settings, store=store)
    want = build_golden(customers, labels, settings=settings, store=stores[0])
    assert len(want.golden) < len(customers) and want.assignment.counts()["merge"] > 0

    frame = from_pandas(spark, customers.assign(cluster=labels, _pos=np.arange(len(labels))))
    got = golden_spark(spark, frame.repartition(3), settings=settings, store=stores[1])

    golden = to_pandas(got.golden)
    pd.testing.assert_frame_equal(_sorted(golden, "golden_id"), _sorted(want.golden, "golden_id"))
    per_record = to_pandas(got.golden_ids).set_index("record_id")["golden_id"]
    expected = pd.Series(want.golden_ids.array, index=customers["record_id"].array)
    pd.testing.assert_series_equal(
        per_record.reindex(expected.index), expected, check_names=False, check_index_type=False
    )
    pd.testing.assert_frame_equal(got.assignment.events, want.assignment.events)
    # both registries now hold the same IDs
    rows = [
        pd.read_sql("SELECT record_id, golden_id FROM golden_registry ORDER BY record_id", s.conn)
        for s in stores
    ]
    pd.testing.assert_frame_equal(rows[1], rows[0])


def test_survive_spark_gives_the_local_frame_and_keeps_the_callers_job_group(
    spark: Any, customers: pd.DataFrame
) -> None:
    from dq.match.engines.spark_golden import SURVIVORSHIP_JOBS, survive_spark

    labels = pd.factorize(customers["true_id"])[0].astype(np.int64)
    settings = GoldenSettings(source_priority={"salesforce": 0, "datev": 1})
    want = survive(customers, labels, settings)
    context = spark.sparkContext
    context.setJobGroup("caller", "the caller's jobs")
    try:
        got = survive_spark(spark, customers, labels, settings, buckets=3)
        assert context.getLocalProperty("spark.jobGroup.id") == "caller"
    finally:
        context.setLocalProperty("spark.jobGroup.id", None)
        context.setLocalProperty("spark.job.description", None)
    # rows, order and dtypes (text storage included) as the local survivorship's, exactly
    pd.testing.assert_frame_equal(got, want)
    assert context.statusTracker().getJobIdsForGroup(SURVIVORSHIP_JOBS)
