"""Records between pandas and Spark: the columns matching reads, their dtypes kept.

Text travels as Spark strings, standardisation's flags as booleans and dates (a date of birth)
as their ``YYYYMMDD`` text; a partition turned back
into pandas gets the dtypes the local matcher sees (``string``/``boolean``), so the same key
and comparison functions give the same answers on it.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from pandas.api.types import is_datetime64_any_dtype

from dq.match.columns import date_digits

__all__ = ["POS", "objects", "restore", "to_spark"]

POS = "_pos"  # row position of a record in the frame the caller passed


def objects(series: pd.Series) -> npt.NDArray[np.object_]:
    """The values as Python objects, None where missing (what Spark takes as null)."""
    out = series.to_numpy(dtype=object)
    out[series.isna().to_numpy(dtype=bool)] = None
    return out


def _shippable(series: pd.Series) -> bool:
    return (
        isinstance(series.dtype, pd.StringDtype | pd.BooleanDtype)
        or series.dtype == bool
        or is_datetime64_any_dtype(series.dtype)
    )


def to_spark(spark: Any, records: pd.DataFrame) -> Any:
    """A Spark frame of ``records``' text, flag and date columns plus their row position
    ``_pos``. Dates travel as the text the matcher compares (``YYYYMMDD``,
    :func:`dq.match.columns.date_digits`), which reads back as the same date."""
    from pyspark.sql import types as T

    fields = [T.StructField(POS, T.LongType(), False)]
    data: dict[str, Any] = {POS: range(len(records))}
    for name in records.columns:
        series = records[name]
        if not _shippable(series):
            continue
        if is_datetime64_any_dtype(series.dtype):
            series = date_digits(series)
        is_text = isinstance(series.dtype, pd.StringDtype)
        fields.append(T.StructField(name, T.StringType() if is_text else T.BooleanType(), True))
        data[name] = objects(series)
    frame = pd.DataFrame(data)
    return spark.createDataFrame(frame, schema=T.StructType(fields))


def restore(batch: pd.DataFrame, schema: Any) -> pd.DataFrame:
    """``batch`` (from ``mapInPandas``) with pandas' nullable dtypes for ``schema``'s columns."""
    from pyspark.sql import types as T

    out = batch.copy()
    for f in schema.fields:
        if f.name not in out.columns or f.name == POS:
            continue
        if isinstance(f.dataType, T.StringType):
            out[f.name] = out[f.name].astype("string")
        elif isinstance(f.dataType, T.BooleanType):
            out[f.name] = out[f.name].astype("boolean")
    return out.reset_index(drop=True)
