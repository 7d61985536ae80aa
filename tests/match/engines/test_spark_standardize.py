"""Standardisation on Spark gives the local standardiser's records and summary."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from dq.match.run import arrow_strings
from dq.schema import RECORD_COLUMNS
from dq.standardize import standardize_records
from dq.standardize.settings import StandardizeSettings
from dq.tables import read_table
from tests.match.engines.conftest import FIXTURE


@pytest.fixture(scope="module")
def raw() -> pd.DataFrame:
    """The 1,000 fixture customers as read, before standardisation."""
    return read_table(FIXTURE, RECORD_COLUMNS)


def _same(got: pd.DataFrame, want: pd.DataFrame) -> None:
    """Equal after sorting by record_id; text compared as one string dtype (the local stage
    mixes Python- and Arrow-backed strings by code path)."""
    got = got.sort_values("record_id", ignore_index=True)
    want = want.sort_values("record_id", ignore_index=True)
    pd.testing.assert_frame_equal(arrow_strings(got), arrow_strings(want))


def test_standardised_records_equal_the_local_ones(spark: Any, raw: pd.DataFrame) -> None:
    from dq.match.engines.spark_standardize import standardise_spark
    from dq.match.engines.spark_tables import from_pandas, to_pandas

    settings = StandardizeSettings(default_country="AT", null_placeholders=True)
    want = standardize_records(raw, default_country="AT")
    # several partitions in shuffled order: no record's result may depend on its neighbours
    frame = from_pandas(spark, raw).repartition(3)
    got = standardise_spark(spark, frame, settings)
    try:
        _same(to_pandas(got.records), want.records)
        pd.testing.assert_frame_equal(got.summary, want.summary)
    finally:
        got.unpersist()
    # the raw copies are those of columns changed somewhere, as locally
    assert "phone_raw" in want.records and "party_type_raw" not in want.records


def test_parquet_input_with_nanosecond_times(spark: Any, raw: pd.DataFrame, tmp_path: Path) -> None:
    from dq.match.engines.spark_standardize import standardise_spark
    from dq.match.engines.spark_tables import to_pandas

    path = tmp_path / "records.parquet"
    raw.to_parquet(path, index=False)  # pandas writes naive times in nanoseconds
    assert raw["created_at"].notna().any()
    want = standardize_records(pd.read_parquet(path), null_placeholders=False)
    got = standardise_spark(spark, path, StandardizeSettings(null_placeholders=False))
    try:
        _same(to_pandas(got.records), want.records)
        pd.testing.assert_frame_equal(got.summary, want.summary)
    finally:
        got.unpersist()


def test_demo_records_standardised_as_the_local_stage(spark: Any) -> None:
    from dq.cli.run import demo_workspace
    from dq.config import load_workspace
    from dq.match.engines.spark_standardize import standardise_spark
    from dq.match.engines.spark_tables import to_pandas
    from dq.pipeline import STAGES, execute

    workspace = load_workspace(demo_workspace())
    records = execute(workspace, stages=[s for s in STAGES if s[0] == "ingest"]).tables["records"]
    country = workspace.default_country
    want = standardize_records(records, default_country=country)
    got = standardise_spark(spark, records, StandardizeSettings(default_country=country))
    try:
        _same(to_pandas(got.records), want.records)
        pd.testing.assert_frame_equal(got.summary, want.summary)
    finally:
        got.unpersist()
