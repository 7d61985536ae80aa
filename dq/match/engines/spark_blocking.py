"""Candidate pairs on Spark: the local blocking rules as joins on block keys, all keys at once.

One pass computes every record's key values with the local key functions
(:func:`dq.match.transforms.transformed`: the same transforms, lower-casing and blanks); a block
key is the parts' values joined, null where a part is null. The keys are then stacked as
(key index, value) rows, so that each step is one Spark job for all keys, not one per key:

1. the block-size histograms of every block key in one aggregation (only sizes reach the
   driver, never key values);
2. the caps and windows from :func:`dq.match.blocking.key_caps`, the local engine's one rule;
   where the pair budget binds and caps are set by yield, the keys' codes (numbered by first
   appearance, as :func:`dq.match.blocking.key_codes` numbers them) and the sorted keys' ranks
   are collected in one job, so the sample, hence every cap, is the local engine's;
3. the pairs of all block keys in one self-join on (key, block), oversized blocks refined by
   their ``split_by`` value or skipped; those of all sorted-neighbourhood keys in one join of
   rank ``r`` to ``r + 1 … r + window - 1`` (records ranked by their parts, ties by position);
4. one aggregation of the union: the distinct pairs, each with the keys that made it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import partial
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from dq.match.blocking import (
    BlockingKey,
    BlockingReport,
    CandidatePairs,
    Codes,
    YieldSample,
    key_caps,
    pair_filter,
    report_skipped,
)
from dq.match.budget import KeyBlocks
from dq.match.columns import ColumnCache
from dq.match.engines.spark_frames import POS, objects, restore, to_spark
from dq.match.key_yield import PairYield
from dq.match.settings import MatchSettings
from dq.match.transforms import transformed

__all__ = ["key_values", "spark_candidate_pairs"]

IntArray = npt.NDArray[np.int64]
_SEP = "\x1f"  # between the parts of a key
_SPLIT = "\x1e"  # between a key and its split_by value
_BITS = 63  # keys per mask column of the final aggregation (bits of a signed long)


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
    """Per record: position, source and every key value, computed per partition (only the
    columns the keys read travel to Spark)."""
    from pyspark.sql import types as T

    read = {"source"} | {
        name.strip()
        for parts in columns.values()
        for part in parts
        for name in part.split("|", 1)[0].split(",")
    }
    frame = to_spark(spark, records[[c for c in records.columns if c in read]])
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


def _carried(keyed: Any) -> list[str]:
    """The columns every stacked row carries: position, source and the required-equal values
    (what the pair filter reads)."""
    return [POS, "_src", *(c for c in keyed.columns if c.startswith("q"))]


def _stacked_blocks(keyed: Any, keys: Sequence[BlockingKey]) -> Any:
    """One row per (block key ``ki``, record with that key): value ``v``, split value ``s``."""
    from pyspark.sql import functions as F

    items = [
        F.struct(
            F.lit(i).alias("ki"),
            F.col(f"k{i}").alias("v"),
            (F.col(f"s{i}") if key.split_by else F.lit(None).cast("string")).alias("s"),
        )
        for i, key in enumerate(keys)
        if key.kind != "sorted_neighbourhood"
    ]
    carried = _carried(keyed)
    rows = keyed.select(*carried, F.explode(F.array(*items)).alias("_x"))
    return rows.select(*carried, "_x.*").where(F.col("v").isNotNull())


def _histograms(stacked: Any) -> pd.DataFrame:
    """Per block key ``ki`` the number ``n`` of blocks per ``size`` (``sub`` = -1) and of
    ``split_by`` sub-blocks per (parent size, ``sub`` size): one Spark job for all keys."""
    from pyspark.sql import functions as F

    sub = stacked.groupBy("ki", "v", "s").agg(F.count("*").alias("c"))
    blocks = sub.groupBy("ki", "v").agg(F.sum("c").alias("size"))
    whole = blocks.groupBy("ki", "size").agg(F.count("*").alias("n"))
    whole = whole.select("ki", "size", F.lit(-1).cast("long").alias("sub"), "n")
    parts = sub.where(F.col("s").isNotNull()).join(blocks, on=["ki", "v"])
    parts = parts.groupBy("ki", "size", F.col("c").alias("sub")).agg(F.count("*").alias("n"))
    got: pd.DataFrame = whole.unionByName(parts).toPandas()
    return got


def _key_blocks(hist: pd.DataFrame, i: int, split: bool) -> KeyBlocks:
    """Key ``i``'s block sizes (and sub-block sizes) from :func:`_histograms`; a sub-block's
    parent is a block of its parent's size (all the budget reads of it)."""
    rows = hist[hist["ki"] == i]
    whole = rows[rows["sub"] < 0].sort_values("size")
    size_of = whole["size"].to_numpy(dtype=np.int64)
    many = whole["n"].to_numpy(dtype=np.int64)
    sizes = np.repeat(size_of, many)
    empty = np.zeros(0, dtype=np.int64)
    parts = rows[rows["sub"] >= 0]
    if not split or not len(parts):
        return KeyBlocks(sizes, empty, empty)
    first = np.cumsum(many) - many  # the first block of each size
    parent = first[np.searchsorted(size_of, parts["size"].to_numpy(dtype=np.int64))]
    times = parts["n"].to_numpy(dtype=np.int64)
    sub_sizes = np.repeat(parts["sub"].to_numpy(dtype=np.int64), times)
    return KeyBlocks(sizes, sub_sizes, np.repeat(parent, times))


def _capped(
    blocks: KeyBlocks, key: BlockingKey, cap: int, report: BlockingReport
) -> list[tuple[str, int]]:
    """Report what capping ``key`` at ``cap`` does (blocks split, skipped) as
    :func:`dq.match.blocking.block` does, from the block sizes alone; its five largest
    blocks left."""
    big = blocks.sizes > cap
    kept = blocks.sizes[~big]
    skipped = blocks.sizes[big]
    if big.any() and key.split_by:
        report.blocks_split[key.name] = int(big.sum())
        subs = blocks.sub_sizes[blocks.sizes[blocks.sub_parent] > cap]
        kept = np.concatenate([kept, subs[subs <= cap]])
        skipped = subs[subs > cap]
    if len(skipped):
        report_skipped(report, key, skipped, cap)
    return [(key.name, int(s)) for s in np.sort(kept)[-5:][::-1] if s > 1]


def _ranked(keyed: Any, keys: Sequence[BlockingKey]) -> Any:
    """One row per (sorted key ``ki``, record with all its parts) and ``_g``: the place in
    the order of (key, parts, position), contiguous per key (a checkpointed frame)."""
    from pyspark.sql import functions as F

    items = []
    for i, key in enumerate(keys):
        if key.kind != "sorted_neighbourhood":
            continue
        parts = [F.col(f"n{i}_{j}") for j in range(len(key.parts))]
        present = F.lit(True)
        for part in parts:
            present = present & part.isNotNull()
        items.append(F.struct(F.lit(i).alias("ki"), F.when(present, F.array(*parts)).alias("p")))
    carried = _carried(keyed)
    rows = keyed.select(*carried, F.explode(F.array(*items)).alias("_x"))
    rows = rows.select(*carried, "_x.*").where(F.col("p").isNotNull())
    # string arrays sort element by element in code-point order, as the local ranks do
    tagged = (
        rows.orderBy("ki", "p", POS)
        .withColumn("_pid", F.spark_partition_id())
        .withColumn("_mid", F.monotonically_increasing_id())
        .localCheckpoint()
    )
    counts = tagged.groupBy("_pid").count().collect()
    width = max([int(r["_pid"]) for r in counts], default=0) + 1
    per = np.zeros(width, dtype=np.int64)
    for r in counts:  # one row per partition
        per[int(r["_pid"])] = int(r["count"])
    offsets = F.array(*[F.lit(int(o)) for o in np.cumsum(per) - per])
    within = F.col("_mid") - F.shiftleft(F.col("_pid").cast("long"), 33)
    return tagged.withColumn("_g", F.element_at(offsets, F.col("_pid") + 1) + within)


def _yield_sample(
    stacked: Any,
    ranked: Any,
    keys: Sequence[BlockingKey],
    records: pd.DataFrame,
    settings: MatchSettings,
    pair_yield: PairYield,
) -> YieldSample:
    """The local engine's yield sample inputs, from Spark in one job: per block key its codes
    and split codes (each record numbered by the first record of its block), per sorted key
    its ranks; the pair filter from the records."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    n = len(records)
    frames = []
    if stacked is not None:
        first = F.min(POS).over(Window.partitionBy("ki", "v"))
        frames.append(stacked.select("ki", F.lit(0).alias("part"), POS, first.alias("x")))
        split = stacked.where(F.col("s").isNotNull())
        first = F.min(POS).over(Window.partitionBy("ki", "s"))
        frames.append(split.select("ki", F.lit(1).alias("part"), POS, first.alias("x")))
    if ranked is not None:
        frames.append(ranked.select("ki", F.lit(2).alias("part"), POS, F.col("_g").alias("x")))
    union = frames[0]
    for more in frames[1:]:
        union = union.unionByName(more)
    got = union.toPandas()
    groups = got.groupby(["ki", "part"]).indices
    pos, x = got[POS].to_numpy(dtype=np.int64), got["x"].to_numpy(dtype=np.int64)

    def codes_of(i: int, part: int) -> npt.NDArray[np.int32]:
        out = np.full(n, -1, dtype=np.int32)
        at = groups.get((i, part), np.zeros(0, dtype=np.int64))
        # the first record's position orders the blocks as first appearance does
        out[pos[at]] = np.unique(x[at], return_inverse=True)[1].reshape(-1)
        return out

    codes: Codes = {}
    ranks: dict[str, IntArray] = {}
    for i, key in enumerate(keys):  # one entry per key, in key order
        if key.kind == "sorted_neighbourhood":
            rank = np.full(n, -1, dtype=np.int64)
            at = groups.get((i, 2), np.zeros(0, dtype=np.int64))
            rank[pos[at]] = x[at]
            ranks[key.name] = rank
        else:
            codes[key.name] = (codes_of(i, 0), codes_of(i, 1) if key.split_by else None)
    allowed = pair_filter(records, ColumnCache(records), settings)
    return YieldSample(codes, ranks, allowed, pair_yield)


def _block_pairs(stacked: Any, caps: dict[int, int]) -> Any:
    """Pairs (``a``, ``b``, ``a`` first) within the capped blocks of every block key: blocks
    above the key's cap refined by ``split_by`` (null: dropped), those still above skipped."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    cap = F.element_at(F.create_map(*[F.lit(x) for kv in caps.items() for x in kv]), F.col("ki"))
    rows = stacked.withColumn("_size", F.count("*").over(Window.partitionBy("ki", "v")))
    refined = F.when(
        F.col("_size") > cap,
        F.when(F.col("s").isNotNull(), F.concat(F.col("v"), F.lit(_SPLIT), F.col("s"))),
    ).otherwise(F.col("v"))
    rows = rows.withColumn("_bk", refined).where(F.col("_bk").isNotNull())
    rows = rows.withColumn("_size", F.count("*").over(Window.partitionBy("ki", "_bk")))
    members = rows.where(F.col("_size") <= cap).drop("v", "s", "_size")
    a, b = members.alias("a"), members.alias("b")
    same = (F.col("a.ki") == F.col("b.ki")) & (F.col("a._bk") == F.col("b._bk"))
    return a.join(b, same & (F.col(f"a.{POS}") < F.col(f"b.{POS}")))


def _sorted_pairs(ranked: Any, windows: dict[int, int]) -> Any:
    """Pairs of records at most ``window - 1`` places apart in each sorted key's order."""
    from pyspark.sql import functions as F

    lits = [F.lit(x) for ki, w in windows.items() for x in (ki, max(w, 2))]
    window = F.element_at(F.create_map(*lits), F.col("ki"))
    steps = ranked.select("*", F.explode(F.sequence(F.lit(1), window - 1)).alias("_d"))
    a, b = steps.withColumn("_t", F.col("_g") + F.col("_d")).alias("a"), ranked.alias("b")
    return a.join(b, (F.col("a.ki") == F.col("b.ki")) & (F.col("a._t") == F.col("b._g")))


def _filtered(joined: Any, settings: MatchSettings, n_required: int) -> Any:
    """(key index, l, r) of the pairs the mode allows that agree on the required columns
    (:func:`dq.match.blocking.pair_filter` in Spark)."""
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
        F.col("a.ki").alias("ki"), F.least(la, lb).alias("l"), F.greatest(la, lb).alias("r")
    )


def _distinct_pairs(union: Any, n_keys: int) -> tuple[IntArray, IntArray, IntArray]:
    """The distinct pairs (sorted) and per key index the pairs it made: one job, the keys
    that made a pair as bits of mask columns."""
    from pyspark.sql import functions as F

    masks = []
    for j in range(-(-n_keys // _BITS)):
        bits = [
            F.lit(x).cast("long")
            for ki in range(j * _BITS, min(n_keys, (j + 1) * _BITS))
            for x in (ki, 1 << (ki - j * _BITS))
        ]
        at = F.try_element_at(F.create_map(*bits), F.col("ki").cast("long"))
        bit = F.coalesce(at, F.lit(0).cast("long"))
        masks.append(F.bit_or(bit.cast("long")).alias(f"m{j}"))
    got = union.groupBy("l", "r").agg(*masks).toPandas()
    order = np.lexsort((got["r"].to_numpy(), got["l"].to_numpy()))
    left = got["l"].to_numpy(dtype=np.int64)[order]
    right = got["r"].to_numpy(dtype=np.int64)[order]
    per_key = np.zeros(n_keys, dtype=np.int64)
    for ki in range(n_keys):  # one pass per key, not per pair
        mask = got[f"m{ki // _BITS}"].to_numpy(dtype=np.int64)
        per_key[ki] = int(((mask >> (ki % _BITS)) & 1).sum())
    return left, right, per_key


def spark_candidate_pairs(
    spark: Any,
    records: pd.DataFrame,
    keys: Sequence[BlockingKey],
    settings: MatchSettings,
    pair_yield: PairYield | None = None,
) -> CandidatePairs:
    """Candidate pairs of ``records`` computed on ``spark``; equal to :func:`block`'s, with
    the same report (``pair_yield``: as for :func:`block`)."""
    n = len(records)
    report = BlockingReport(records=n)
    empty = np.zeros(0, dtype=np.int64)
    if not keys:
        return CandidatePairs(left=empty, right=empty.copy(), report=report)
    keyed = _keyed(spark, records, _columns(keys, settings)).localCheckpoint()
    block_keys = [(i, key) for i, key in enumerate(keys) if key.kind != "sorted_neighbourhood"]
    stacked = _stacked_blocks(keyed, keys) if block_keys else None
    blocks: list[KeyBlocks] = []
    if stacked is not None:
        hist = _histograms(stacked)
        blocks = [_key_blocks(hist, i, bool(key.split_by)) for i, key in block_keys]
    ranked = _ranked(keyed, keys) if len(block_keys) < len(keys) else None
    sample = None
    if pair_yield is not None:
        sample = partial(_yield_sample, stacked, ranked, keys, records, settings, pair_yield)
    caps = key_caps(blocks, keys, n, settings, report, sample)
    largest: list[tuple[str, int]] = []
    for (_, key), key_blocks in zip(block_keys, blocks, strict=True):
        largest.extend(_capped(key_blocks, key, caps[key.name], report))
    report.largest_blocks = sorted(largest, key=lambda item: -item[1])[:10]
    joins = []
    if stacked is not None:
        joins.append(_block_pairs(stacked, {i: caps[key.name] for i, key in block_keys}))
    if ranked is not None:
        windows = {i: caps[k.name] for i, k in enumerate(keys) if k.kind == "sorted_neighbourhood"}
        joins.append(_sorted_pairs(ranked, windows))
    required = len(settings.require_equal)
    union = _filtered(joins[0], settings, required)
    for more in joins[1:]:
        union = union.unionByName(_filtered(more, settings, required))
    left, right, per_key = _distinct_pairs(union, len(keys))
    report.pairs_per_key = {key.name: int(per_key[i]) for i, key in enumerate(keys)}
    report.pairs = len(left)
    has = np.zeros(n, dtype=bool)
    has[left] = True
    has[right] = True
    report.share_without_candidate = float(1 - has.mean()) if n else 0.0
    return CandidatePairs(left=left, right=right, report=report)
