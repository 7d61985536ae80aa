"""Candidate pairs on Spark: the local blocking rules as joins on block keys.

Each partition computes its records' key values with the local key functions
(:func:`dq.match.transforms.transformed`: the same transforms, lower-casing and blanks); a block
key is the parts' values joined, null where a part is null. Block sizes are counted in Spark,
the cap comes from :func:`dq.match.blocking.budget_for` on those counts, oversized blocks are
refined by their ``split_by`` value or skipped, and pairs are a self-join on the key.
Sorted-neighbourhood keys rank records by their parts (ties by position) and join rank ``r`` to
``r + 1 … r + window - 1``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from dq.match.blocking import (
    BlockingKey,
    BlockingReport,
    CandidatePairs,
    budget_for,
    report_skipped,
)
from dq.match.budget import KeyBlocks
from dq.match.columns import ColumnCache
from dq.match.engines.spark_frames import POS, objects, restore, to_spark
from dq.match.settings import MatchSettings
from dq.match.transforms import transformed

__all__ = ["key_values", "spark_candidate_pairs"]

IntArray = npt.NDArray[np.int64]
_SEP = "\x1f"  # between the parts of a key
_SPLIT = "\x1e"  # between a key and its split_by value


def key_values(cache: ColumnCache, parts: Sequence[str]) -> npt.NDArray[np.object_]:
    """Per record its key as text (parts joined), None where any part is null; the same
    record gives the same key in any partition."""
    out = np.full(cache.n, "", dtype=object)
    missing = np.zeros(cache.n, dtype=bool)
    for i, part in enumerate(parts):
        codes, uniques = transformed(cache, part, portable=True)
        text = pd.Series(uniques, dtype=object).astype(str).to_numpy(dtype=object)
        values = np.append(text, "")[np.where(codes < 0, len(text), codes)]
        missing |= codes < 0
        out = values if i == 0 else out + _SEP + values
    out[missing] = None
    return out


def _columns(keys: Sequence[BlockingKey], settings: MatchSettings) -> dict[str, tuple[str, ...]]:
    """Output column -> key parts: ``k<i>``/``s<i>`` block key and split, ``n<i>_<j>`` the
    parts of a sorted key, ``q<j>`` the required-equal columns."""
    cols: dict[str, tuple[str, ...]] = {}
    for i, key in enumerate(keys):
        if key.kind == "sorted_neighbourhood":
            for j, part in enumerate(key.parts):
                cols[f"n{i}_{j}"] = (part,)
        else:
            cols[f"k{i}"] = key.parts
            if key.split_by:
                cols[f"s{i}"] = key.split_by
    for j, column in enumerate(settings.require_equal):
        cols[f"q{j}"] = (column,)
    return cols


def _keyed(spark: Any, records: pd.DataFrame, columns: dict[str, tuple[str, ...]]) -> Any:
    """Per record: position, source and every key value, computed per partition."""
    from pyspark.sql import types as T

    frame = to_spark(spark, records)
    schema = frame.schema
    has_source = "source" in records.columns
    present = {c for c in records.columns}
    fields = [T.StructField(POS, T.LongType(), False), T.StructField("_src", T.StringType())]
    fields += [T.StructField(name, T.StringType()) for name in columns]

    def run(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        for batch in batches:
            part = restore(batch, schema)
            cache = ColumnCache(part)
            out = {POS: part[POS].to_numpy(dtype=np.int64)}
            none = np.full(len(part), None, dtype=object)
            out["_src"] = objects(part["source"]) if has_source else none
            for name, parts in columns.items():
                if name.startswith("q") and parts[0] not in present:
                    out[name] = none
                else:
                    out[name] = key_values(cache, parts)
            yield pd.DataFrame(out)

    return frame.mapInPandas(run, T.StructType(fields))


def _key_blocks(keyed: Any, k: str, s: str | None) -> KeyBlocks:
    """Block sizes of key column ``k`` (and sub-block sizes by ``s``), counted in Spark and
    collected as a histogram: only sizes reach the driver, never key values."""
    from pyspark.sql import functions as F

    blocks = keyed.where(F.col(k).isNotNull()).groupBy(k).agg(F.count("*").alias("size"))
    hist = blocks.groupBy("size").count().orderBy("size").collect()
    size_of = np.array([r["size"] for r in hist], dtype=np.int64)
    many = np.array([r["count"] for r in hist], dtype=np.int64)
    sizes = np.repeat(size_of, many)
    empty = np.zeros(0, dtype=np.int64)
    if s is None:
        return KeyBlocks(sizes, empty, empty)
    first = dict(zip(size_of.tolist(), (np.cumsum(many) - many).tolist(), strict=True))
    subs = (
        keyed.where(F.col(k).isNotNull() & F.col(s).isNotNull())
        .groupBy(k, s)
        .agg(F.count("*").alias("sub"))
        .join(blocks, on=k)
        .groupBy("size", "sub")
        .count()
        .collect()
    )
    parent = np.array([first[r["size"]] for r in subs], dtype=np.int64)
    times = np.array([r["count"] for r in subs], dtype=np.int64)
    sub_sizes = np.repeat(np.array([r["sub"] for r in subs], dtype=np.int64), times)
    return KeyBlocks(sizes, sub_sizes, np.repeat(parent, times))


def _block_pairs(
    keyed: Any, key: BlockingKey, k: str, s: str | None, cap: int, report: BlockingReport
) -> Any:
    """Pairs (``l < r``) within the capped blocks of one key, with the columns to filter on."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    size = F.count("*").over(Window.partitionBy("_bk"))
    rows = keyed.where(F.col(k).isNotNull()).withColumn("_bk", F.col(k))
    rows = rows.withColumn("_size", size)
    if s is not None:
        split = rows.where(F.col("_size") > cap).select("_bk").distinct().count()
        if split:
            report.blocks_split[key.name] = int(split)
            refined = F.when(
                F.col("_size") > cap,
                F.when(F.col(s).isNotNull(), F.concat(F.col(k), F.lit(_SPLIT), F.col(s))),
            ).otherwise(F.col(k))
            rows = rows.withColumn("_bk", refined).where(F.col("_bk").isNotNull())
            rows = rows.withColumn("_size", size)
    big = rows.where(F.col("_size") > cap).groupBy("_bk").count().collect()
    if big:
        report_skipped(report, key, np.array([r["count"] for r in big], dtype=np.int64), cap)
    members = rows.where(F.col("_size") <= cap)
    a, b = members.alias("a"), members.alias("b")
    joined = a.join(b, (F.col("a._bk") == F.col("b._bk")) & (F.col(f"a.{POS}") < F.col(f"b.{POS}")))
    return joined


def _sorted_pairs(spark: Any, keyed: Any, key: BlockingKey, i: int) -> list[Any]:
    """Per step of the window, the pairs of records at most ``window - 1`` places apart when
    sorted by the key's parts (ties by position)."""
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    parts = [f"n{i}_{j}" for j in range(len(key.parts))]
    present = keyed
    for name in parts:
        present = present.where(F.col(name).isNotNull())
    # only what the pair filters read travels through Python for the numbering
    kept = [POS, "_src", *(c for c in keyed.columns if c.startswith("q"))]
    ordered = present.orderBy(*parts, POS).select(*kept)
    schema = T.StructType([*ordered.schema.fields, T.StructField("_rank", T.LongType(), False)])
    ranked = spark.createDataFrame(
        ordered.rdd.zipWithIndex().map(lambda pair: (*pair[0], pair[1])), schema
    )
    a, b = ranked.alias("a"), ranked.alias("b")
    return [
        a.join(b, F.col("a._rank") + step == F.col("b._rank"))
        for step in range(1, max(key.window, 2))
    ]


def _filtered(joined: Any, name: str, settings: MatchSettings, n_required: int) -> Any:
    """(key, l, r) of the pairs the mode allows that agree on the required columns."""
    from pyspark.sql import functions as F

    keep = F.lit(True)
    if settings.mode != "dedupe_and_link":
        same = F.col("a._src").eqNullSafe(F.col("b._src"))
        keep = keep & (~same if settings.mode == "link_only" else same)
    for j in range(n_required):
        qa, qb = F.col(f"a.q{j}"), F.col(f"b.q{j}")
        keep = keep & (qa.isNull() | qb.isNull() | (qa == qb))
    la, lb = F.col(f"a.{POS}"), F.col(f"b.{POS}")
    return joined.where(keep).select(
        F.lit(name).alias("key"), F.least(la, lb).alias("l"), F.greatest(la, lb).alias("r")
    )


def spark_candidate_pairs(
    spark: Any, records: pd.DataFrame, keys: Sequence[BlockingKey], settings: MatchSettings
) -> CandidatePairs:
    """Candidate pairs of ``records`` computed on ``spark``; equal to :func:`block`'s."""
    n = len(records)
    report = BlockingReport(records=n)
    columns = _columns(keys, settings)
    keyed = _keyed(spark, records, columns).localCheckpoint()
    blocks = [
        _key_blocks(keyed, f"k{i}", f"s{i}" if key.split_by else None)
        for i, key in enumerate(keys)
        if key.kind != "sorted_neighbourhood"
    ]
    cap = budget_for(blocks, keys, n, settings, report)
    per_key: list[Any] = []
    for i, key in enumerate(keys):
        if key.kind == "sorted_neighbourhood":
            joins = _sorted_pairs(spark, keyed, key, i)
        else:
            split = f"s{i}" if key.split_by else None
            joins = [_block_pairs(keyed, key, f"k{i}", split, cap, report)]
        required = len(settings.require_equal)
        per_key.extend(_filtered(joined, key.name, settings, required) for joined in joins)
    empty = np.zeros(0, dtype=np.int64)
    if not per_key:
        return CandidatePairs(left=empty, right=empty.copy(), report=report)
    union = per_key[0]
    for more in per_key[1:]:
        union = union.unionByName(more)
    union = union.localCheckpoint()
    counts = {r["key"]: int(r["count"]) for r in union.groupBy("key").count().collect()}
    report.pairs_per_key = {key.name: counts.get(key.name, 0) for key in keys}
    pairs = union.select("l", "r").distinct().toPandas()
    order = np.lexsort((pairs["r"].to_numpy(), pairs["l"].to_numpy()))
    left = pairs["l"].to_numpy(dtype=np.int64)[order]
    right = pairs["r"].to_numpy(dtype=np.int64)[order]
    report.pairs = len(left)
    has = np.zeros(n, dtype=bool)
    has[left] = True
    has[right] = True
    report.share_without_candidate = float(1 - has.mean()) if n else 0.0
    return CandidatePairs(left=left, right=right, report=report)
