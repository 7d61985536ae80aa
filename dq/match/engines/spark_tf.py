"""Term frequencies on Spark: each record's share of its value over the whole column.

The local matcher counts a ``tf`` comparison's values over the frame it compares
(:meth:`dq.match.comparisons._Comparer.tf_column`: the stripped value, for a person name the
first and last name together). A pair partition sees only its batch, so the counts are made
here over all records and joined to them; :func:`dq.match.comparisons.tf_values` then gives
the same adjustments.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from dq.match.columns import ColumnCache
from dq.match.comparison_spec import Comparison
from dq.match.engines.spark_frames import POS, restore

__all__ = ["tf_column_name", "tf_frequencies", "tf_key"]

_SEP = "\x1f"


def tf_column_name(comp: Comparison) -> str:
    """The per-record frequency column of ``comp`` in the frame the pair partitions get."""
    return f"_tf_{comp.name}"


def tf_key(cache: ColumnCache, comp: Comparison) -> npt.NDArray[np.object_]:
    """Per record the value ``comp``'s term frequency counts, as text; None where it has none
    (for a person name: where the first or the last name is missing)."""
    columns = comp.columns if comp.kind == "person_name" else comp.columns[:1]
    out = np.full(cache.n, "", dtype=object)
    missing = np.zeros(cache.n, dtype=bool)
    for i, column in enumerate(columns):
        codes, uniques = cache.text(column)
        values = np.append(uniques, "")[np.where(codes < 0, len(uniques), codes)]
        missing |= codes < 0
        out = values if i == 0 else out + _SEP + values
    out[missing] = None
    return out


def tf_frequencies(frame: Any, comps: Sequence[Comparison], n: int) -> tuple[Any, dict[str, float]]:
    """(``POS`` plus one frequency column per tf comparison, average per comparison).

    ``frame`` is the records' Spark frame from :func:`to_spark`; the average is the chance
    that two random records share a value (the sum of squared frequencies).
    """
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    schema = frame.schema
    keys = [f"k{i}" for i in range(len(comps))]
    fields = [T.StructField(POS, T.LongType(), False)]
    fields += [T.StructField(k, T.StringType()) for k in keys]

    def run(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        for batch in batches:
            part = restore(batch, schema)
            cache = ColumnCache(part)
            out: dict[str, Any] = {POS: part[POS].to_numpy(dtype=np.int64)}
            out.update({k: tf_key(cache, c) for k, c in zip(keys, comps, strict=True)})
            yield pd.DataFrame(out)

    keyed = frame.mapInPandas(run, T.StructType(fields)).localCheckpoint()
    result = keyed.select(POS)
    averages: dict[str, float] = {}
    for k, comp in zip(keys, comps, strict=True):
        counts = keyed.where(F.col(k).isNotNull()).groupBy(k).agg(F.count("*").alias("_c"))
        share = counts.select(k, (F.col("_c") / F.lit(float(max(n, 1)))).alias("_f")).cache()
        averages[comp.name] = float(share.agg(F.sum(F.col("_f") * F.col("_f"))).first()[0] or 0.0)
        per_record = keyed.select(POS, k).join(share, on=k, how="left")
        result = result.join(per_record.select(POS, F.col("_f").alias(tf_column_name(comp))), POS)
    return result, averages
