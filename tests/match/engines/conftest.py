"""One local[2] SparkSession for every Spark test; skipped with a message without Java."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

FIXTURE = Path(__file__).parents[2] / "data" / "match" / "customers_1000.csv"


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    if shutil.which("java") is None:
        pytest.skip("Spark tests need Java 17 (`java` not found on PATH)")
    pytest.importorskip("pyspark", reason="Spark tests need pip install 'dq[spark]'")
    from dq.match.engines.spark import spark_session

    session = spark_session("local[2]", {"spark.sql.shuffle.partitions": "4"})
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="session")
def customers() -> pd.DataFrame:
    """The 1,000 fixture customers, standardised, as the matcher sees them."""
    from dq.match.run import arrow_strings
    from dq.schema import RECORD_COLUMNS
    from dq.standardize import standardize_records
    from dq.tables import read_table

    records = standardize_records(read_table(FIXTURE, RECORD_COLUMNS)).records
    return arrow_strings(records.reset_index(drop=True))
