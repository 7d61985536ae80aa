"""``dq match --engine spark`` on Parquet: Spark reads and standardises the same records."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from dq.match.files import read_records
from dq.match.run import arrow_strings
from dq.schema import RECORD_COLUMNS
from dq.tables import read_table
from tests.match.engines.conftest import FIXTURE


def test_parquet_read_and_standardised_on_spark(spark: Any, tmp_path: Path) -> None:
    raw = read_table(FIXTURE, RECORD_COLUMNS)
    # a folder of two part files, as Spark writes a table: Spark reads the larger one first
    folder = tmp_path / "records"
    folder.mkdir()
    parts = [folder / "part-0.parquet", folder / "part-1.parquet"]
    raw.iloc[:300].to_parquet(parts[0], index=False)
    raw.iloc[300:].drop(columns=["true_id"]).to_parquet(parts[1], index=False)
    want = read_records(parts)
    got = read_records([folder], spark=spark)
    assert got["true_id"].isna().sum() == 700
    pd.testing.assert_frame_equal(arrow_strings(got), arrow_strings(want))
