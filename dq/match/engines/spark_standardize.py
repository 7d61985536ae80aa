"""Standardisation on Spark: the local standardiser per partition, records never on the driver.

Each Arrow batch of a partition goes through :func:`dq.standardize.records.standardize_chunk`,
the same function the local stage runs on its row chunks, so a record comes out as it does
locally. Standardisation is row-local except for one fact about all rows: which columns get a
``<column>_raw`` copy (those changed in any record). Each batch therefore carries the raw value
of every standardised column and its per-column counts (on its first row); the counts are
summed in Spark, and the raw copies of unchanged columns dropped, as
:func:`~dq.standardize.records.standardize_records` does.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from dq.match.engines.spark_tables import from_pandas, read_parquet, restore_frame, spark_schema
from dq.schema import RECORD_COLUMNS, conform
from dq.standardize.records import FLAG_COLUMNS, raw_values, standardize_chunk
from dq.standardize.settings import StandardizeSettings

__all__ = ["SparkStandardizeResult", "standardise_spark"]

_RAW = "_dq_raw_"  # a standardised column's raw value, before it is known to have changed
_COUNTS = ("changed", "invalid", "unchanged")  # the summary's counts, per batch on its first row
_FLAGS = {name for name, _, _ in FLAG_COLUMNS}


@dataclass(frozen=True)
class SparkStandardizeResult:
    """Standardised records as a Spark frame and the per-column summary.

    ``records`` reads from a persisted frame (``cached``): :meth:`unpersist` frees it.
    """

    records: Any
    summary: pd.DataFrame
    cached: Any

    def unpersist(self) -> None:
        """Free the executors' copy of the standardised records."""
        self.cached.unpersist()


def _source(spark: Any, records: Any) -> Any:
    """A Spark frame of ``records``: a Spark frame, a Parquet path or a pandas frame."""
    if isinstance(records, str | Path):
        return read_parquet(spark, str(records))
    if isinstance(records, pd.DataFrame):
        return from_pandas(spark, records)
    return records


def _chunk(
    batch: pd.DataFrame, in_schema: Any, default_country: str, null_placeholders: bool
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One batch standardised, with a raw copy of every standardised column; its counts."""
    raw = conform(restore_frame(batch, in_schema), RECORD_COLUMNS)
    done, counts = standardize_chunk(
        raw, default_country=default_country, null_placeholders=null_placeholders
    )
    n = len(RECORD_COLUMNS)
    columns = list(counts["column"])
    copies = dict(zip([_RAW + c for c in columns], raw_values(raw, columns).values(), strict=True))
    extras = [c for c in raw.columns if c not in RECORD_COLUMNS and c not in _FLAGS]
    out = pd.concat(
        [
            done.iloc[:, :n],
            pd.DataFrame(copies, index=raw.index),
            done.iloc[:, n:],
            raw[extras],
        ],
        axis=1,
    )
    return out.reset_index(drop=True), counts


def _summary(done: Any, columns: list[str]) -> pd.DataFrame:
    """The per-column counts of all batches summed: one row per batch reaches the driver."""
    from pyspark.sql import functions as F

    per_batch = done.where(F.col("_dq_changed").isNotNull()).select(*[f"_dq_{k}" for k in _COUNTS])
    rows = per_batch.toPandas()
    summary = pd.DataFrame({"column": columns})
    for k in _COUNTS:
        stacked = np.array(rows[f"_dq_{k}"].tolist(), dtype=np.int64).reshape(-1, len(columns))
        summary[k] = stacked.sum(axis=0).astype(np.int64)
    return summary


def standardise_spark(
    spark: Any, records: Any, settings: StandardizeSettings | None = None
) -> SparkStandardizeResult:
    """Standardised records on Spark, equal to :func:`dq.standardize.standardize_records`'.

    ``records`` is a Spark frame, a Parquet path or a pandas frame of canonical records (extra
    columns pass through). The standardised frame is persisted (the counts needed one pass over
    it): call the result's ``unpersist()`` when done. Rows come in no particular order.
    """
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    settings = settings or StandardizeSettings()
    country = (settings.default_country or "DE").upper()
    placeholders = settings.null_placeholders
    frame = _source(spark, records)
    in_schema = frame.schema
    empty = pd.DataFrame({f.name: pd.Series([], dtype=object) for f in in_schema.fields})
    sample, counts = _chunk(empty, in_schema, country, placeholders)
    columns = list(counts["column"])
    count_fields = [T.StructField(f"_dq_{k}", T.ArrayType(T.LongType()), True) for k in _COUNTS]
    out_schema = T.StructType([*spark_schema(sample).fields, *count_fields])

    def run(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        for batch in batches:
            if not len(batch):
                continue
            out, got = _chunk(batch, in_schema, country, placeholders)
            for k in _COUNTS:
                first = [got[k].to_numpy(dtype=np.int64).tolist()]
                out[f"_dq_{k}"] = pd.Series(first + [None] * (len(out) - 1), dtype=object)
            yield out

    done = frame.mapInPandas(run, out_schema).persist()
    summary = _summary(done, columns)
    changed = set(summary.loc[summary["changed"] > 0, "column"])
    n = len(RECORD_COLUMNS)
    names = [str(c) for c in sample.columns]
    raw_cols = [F.col(f"{_RAW}{c}").alias(f"{c}_raw") for c in columns if c in changed]
    after = [c for c in names[n:] if not c.startswith(_RAW)]
    flags = [c for c in after if c in _FLAGS]
    extras = [c for c in after if c not in _FLAGS and c not in {f"{x}_raw" for x in changed}]
    selected = done.select(*names[:n], *raw_cols, *flags, *extras)
    return SparkStandardizeResult(records=selected, summary=summary, cached=done)
