"""Whole tables between pandas and Spark with their pandas dtypes kept (via field metadata).

Standardisation and survivorship run the local functions on partitions of a Spark frame; those
functions need the dtypes the local stage sees (nullable ``string``, ``boolean``, ``Int64``,
naive ``datetime64[ns]``), and Arrow hands them ints with nulls as floats and text as objects.
A Spark schema made here carries each column's pandas dtype in its field metadata
(``dq_dtype``), so a partition, or a collected frame, is turned back into exactly the frame the
local code would hold. Text comes back as ``string[python]`` (the local code mixes Python- and
Arrow-backed strings by code path; values and NA semantics are the same).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from dq.match.engines.spark_frames import objects

__all__ = ["DTYPE_KEY", "from_pandas", "read_parquet", "restore_frame", "spark_schema", "to_pandas"]

DTYPE_KEY = "dq_dtype"  # field metadata: the column's pandas dtype


def _dtype_name(dtype: Any) -> str:
    if isinstance(dtype, pd.StringDtype):
        return "string"
    return str(dtype)


def _spark_type(name: str) -> Any:
    from pyspark.sql import types as T

    if name in ("string", "object", "str"):
        return T.StringType()
    if name in ("boolean", "bool"):
        return T.BooleanType()
    if name in ("Int64", "int64", "Int32", "int32"):
        return T.LongType()
    if name in ("float64", "Float64", "float32"):
        return T.DoubleType()
    if name.startswith("datetime64[") and "," not in name:
        return T.TimestampNTZType()  # naive times, as the local stage holds them: no time zone
    raise TypeError(f"no Spark type for pandas dtype {name!r}")


def spark_schema(frame: pd.DataFrame) -> Any:
    """The Spark schema of ``frame``'s columns (all nullable), each field's pandas dtype in its
    metadata."""
    from pyspark.sql import types as T

    fields = []
    for name in frame.columns:
        dtype = _dtype_name(frame[name].dtype)
        fields.append(
            T.StructField(str(name), _spark_type(dtype), True, metadata={DTYPE_KEY: dtype})
        )
    return T.StructType(fields)


def _pandas_dtype(field: Any) -> str | None:
    """The pandas dtype for a Spark field: its metadata, else the nullable one for its type."""
    from pyspark.sql import types as T

    named = (field.metadata or {}).get(DTYPE_KEY)
    if named:
        return str(named)
    kind = field.dataType
    if isinstance(kind, T.StringType):
        return "string"
    if isinstance(kind, T.BooleanType):
        return "boolean"
    if isinstance(kind, T.ByteType | T.ShortType | T.IntegerType | T.LongType):
        return "Int64"
    if isinstance(kind, T.FloatType | T.DoubleType):
        return "float64"
    if isinstance(kind, T.TimestampNTZType):
        return "datetime64[ns]"
    return None


def restore_frame(batch: pd.DataFrame, schema: Any) -> pd.DataFrame:
    """``batch`` (a partition from Arrow, or ``toPandas``) with the pandas dtypes of ``schema``."""
    out: dict[str, Any] = {}
    for field in schema.fields:
        if field.name not in batch.columns:
            continue
        values = batch[field.name]
        dtype = _pandas_dtype(field)
        if dtype is None or dtype == "object":
            out[field.name] = pd.Series(objects(values), index=batch.index, dtype=object)
        elif dtype.startswith("datetime64[") and not _is_time(values):
            # microseconds since the epoch (see read_parquet); below 2**53, exact as float too
            out[field.name] = pd.to_datetime(values, unit="us").astype(dtype)
        elif dtype.startswith("datetime64["):
            out[field.name] = pd.to_datetime(values).astype(dtype)
        else:
            out[field.name] = values.astype(dtype)
    return pd.DataFrame(out, index=batch.index).reset_index(drop=True)


def _is_time(values: pd.Series) -> bool:
    return bool(pd.api.types.is_datetime64_any_dtype(values.dtype))


def read_parquet(spark: Any, path: str) -> Any:
    """A Spark frame of the Parquet file or folder ``path``, nanosecond times included.

    pandas writes naive times in nanoseconds, which Spark refuses to read; such columns are read
    as longs, cut to microseconds (Spark's own resolution) and marked ``datetime64[ns]`` in
    their metadata, so :func:`restore_frame` turns them back into times.
    """
    from pyspark.sql import functions as F

    nanos = _nanosecond_columns(path)
    if not nanos:
        return spark.read.parquet(path)
    key = "spark.sql.legacy.parquet.nanosAsLong"
    before = spark.conf.get(key, "false")
    spark.conf.set(key, "true")
    try:
        frame = spark.read.parquet(path)
    finally:
        spark.conf.set(key, before)
    meta = {DTYPE_KEY: "datetime64[ns]"}
    return frame.select(
        *[
            F.expr(f"`{c}` div 1000").alias(c, metadata=meta) if c in nanos else F.col(f"`{c}`")
            for c in frame.columns
        ]
    )


def _nanosecond_columns(path: str) -> set[str]:
    """Columns of the Parquet data at ``path`` holding nanosecond times without a time zone
    (none when pyarrow cannot read the schema there, e.g. on a remote file system)."""
    import pyarrow as pa
    import pyarrow.dataset as ds

    try:
        schema = ds.dataset(path, format="parquet").schema
    except (OSError, ValueError, pa.ArrowException):
        return set()
    return {
        f.name
        for f in schema
        if pa.types.is_timestamp(f.type) and f.type.unit == "ns" and f.type.tz is None
    }


def from_pandas(spark: Any, frame: pd.DataFrame) -> Any:
    """A Spark frame of ``frame`` (every column), the dtypes kept in the schema's metadata."""
    schema = spark_schema(frame)
    data = pd.DataFrame(
        {
            # times and floats travel as they are; nullable columns as objects, None for NA
            name: frame[name]
            if _is_time(frame[name]) or frame[name].dtype == "float64"
            else objects(frame[name])
            for name in frame.columns
        }
    )
    return spark.createDataFrame(data, schema=schema)


def to_pandas(frame: Any) -> pd.DataFrame:
    """``frame`` collected to the driver with the pandas dtypes its schema records."""
    return restore_frame(frame.toPandas(), frame.schema)
