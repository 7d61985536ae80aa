"""Record files read by Spark and standardised there (``dq match --engine spark`` on Parquet).

Each Parquet file or folder is read by Spark; records not standardised yet (no ``*_valid``
column) are standardised per partition (:mod:`dq.match.engines.spark_standardize`); only then
do they come to the driver, in file order, as :func:`dq.match.files.read_records` would give
them. Matching itself still takes them as one pandas frame (see docs/scale.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from dq.errors import InputError
from dq.match.engines.spark_standardize import standardise_spark
from dq.match.engines.spark_tables import read_parquet, to_pandas
from dq.schema import RECORD_COLUMNS, conform

__all__ = ["is_parquet", "read_parquet_records"]

# where a record stood: input, part file of a folder (by name), split of the file, row in it
_ORDER = ("_dq_input", "_dq_file", "_dq_block", "_dq_row")


def is_parquet(path: Path) -> bool:
    """A Parquet file, or a folder of them (as Spark writes a table)."""
    if path.is_dir():
        return any(path.glob("*.parquet"))
    return path.suffix.lower() == ".parquet"


def read_parquet_records(
    spark: Any, inputs: Sequence[Path], *, truth: str | None = None
) -> pd.DataFrame:
    """The records of the Parquet ``inputs`` as one pandas frame, standardised on Spark when
    they were not yet, in the order of the files and of the records in each."""
    from pyspark.sql import functions as F

    frames = []
    for index, path in enumerate(inputs):
        if not path.exists():
            raise InputError("file not found", path=path)
        frame = read_parquet(spark, str(path))
        if truth is not None and truth not in frame.columns:
            raise InputError(f"no column {truth!r} (the truth column)", path=path, column=truth)
        # Spark packs a folder's splits by size, not in order: the order is kept in columns
        where = [
            F.lit(index),
            F.input_file_name(),
            F.input_file_block_start(),
            F.monotonically_increasing_id(),
        ]
        frames.append(frame.select("*", *[w.alias(n) for w, n in zip(where, _ORDER, strict=True)]))
    records = frames[0]
    for frame in frames[1:]:
        records = records.unionByName(frame, allowMissingColumns=True)
    standardised = any(c.endswith("_valid") for c in records.columns)
    done = None if standardised else standardise_spark(spark, records)
    try:
        local = to_pandas(records if done is None else done.records)
    finally:
        if done is not None:
            done.unpersist()
    local = local.sort_values(list(_ORDER), kind="stable", ignore_index=True)
    local = local.drop(columns=list(_ORDER))
    return conform(local, RECORD_COLUMNS) if standardised else local
