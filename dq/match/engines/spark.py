"""The Spark engine: candidate pairs, levels, pattern counts, scores and components on Spark.

Needs ``pip install 'dq[spark]'`` (pyspark >= 4) and Java 17. Every step calls the local
matcher's own functions per partition (key transforms, :func:`dq.match.comparisons.compare`,
:func:`dq.match.score.pair_scores`), so the answers are the local engine's; only the data
movement is Spark's. Records still come in as a pandas frame and answers go back as row
positions to the driver (see docs/scale.md).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from dq.match.attribute_pairs import AttributeKeys
from dq.match.blocking import BlockingKey, CandidatePairs
from dq.match.columns import ColumnCache
from dq.match.comparison_spec import Comparison, LevelArray
from dq.match.comparisons import ComparisonVectors, compare, tf_values
from dq.match.engines.base import IntArray, PairDetails
from dq.match.engines.spark_blocking import spark_candidate_pairs
from dq.match.engines.spark_frames import POS, restore, to_spark
from dq.match.engines.spark_graph import spark_components
from dq.match.engines.spark_tf import tf_column_name, tf_frequencies
from dq.match.key_yield import PairYield
from dq.match.model import PAIR_CLASSES, FSModel, pair_classes
from dq.match.score import pair_scores, weigh
from dq.match.settings import MatchSettings

__all__ = ["SparkEngine", "spark_session"]

# A small local session's defaults: few shuffle partitions, no web UI or progress bars, and
# Python workers on this interpreter (the one with dq and its dependencies), not ``python3``.
_DEFAULTS = {
    "spark.sql.shuffle.partitions": "8",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.pyspark.python": sys.executable,
}


def spark_session(master: str = "local[*]", options: Mapping[str, str] | None = None) -> Any:
    """A SparkSession on ``master`` with ``options`` (over small-session defaults)."""
    from pyspark.sql import SparkSession

    # a local master starts its Python workers from this variable, not from the option
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.master(master).appName("dq")
    for name, value in {**_DEFAULTS, **(options or {})}.items():
        builder = builder.config(name, value)
    return builder.getOrCreate()


class SparkEngine:
    """Matcher steps on a SparkSession (given, or one on ``master`` with ``options``)."""

    name = "spark"

    def __init__(
        self,
        spark: Any = None,
        *,
        master: str = "local[*]",
        options: Mapping[str, str] | None = None,
    ) -> None:
        self.spark = spark if spark is not None else spark_session(master, options)

    def candidate_pairs(
        self,
        records: pd.DataFrame,
        keys: Sequence[BlockingKey],
        settings: MatchSettings,
        pair_yield: PairYield | None = None,
    ) -> CandidatePairs:
        """Pairs as Spark joins on the block keys, with the local caps (per key by
        ``pair_yield`` where the budget binds)."""
        return spark_candidate_pairs(self.spark, records, keys, settings, pair_yield)

    def comparison_levels(
        self,
        records: pd.DataFrame,
        left: IntArray,
        right: IntArray,
        comparisons: Sequence[Comparison],
    ) -> dict[str, LevelArray]:
        """Levels computed per pair partition by :func:`compare` on the pairs' two records.

        A comparison level depends only on the two records of a pair, so each partition builds
        a frame of its left records followed by its right records and compares row i with row
        k + i. (Term frequencies are whole-column facts: they are not computed here.)
        """
        comps = list(comparisons)
        done = self._levels(records, left, right, comps, with_class=False).toPandas()
        order = np.argsort(done["_i"].to_numpy(dtype=np.int64), kind="stable")
        return {c.name: done[c.name].to_numpy(dtype=np.int8)[order] for c in comps}

    def level_patterns(
        self,
        records: pd.DataFrame,
        left: IntArray,
        right: IntArray,
        comparisons: Sequence[Comparison],
        attribute: AttributeKeys | None = None,
    ) -> tuple[LevelArray, IntArray, IntArray]:
        """Pattern counts aggregated in Spark (per pattern and pair class); only the distinct
        patterns reach the driver. Patterns come sorted, not in order of first appearance."""
        from pyspark.sql import functions as F

        comps = list(comparisons)
        names = [c.name for c in comps]
        levels = self._levels(records, left, right, comps, with_class=True, attribute=attribute)
        grouped = levels.groupBy(*names, "_class").agg(F.count("*").alias("_n")).toPandas()
        empty = np.zeros(0, dtype=np.int64)
        if not len(grouped):
            shape = (0, len(PAIR_CLASSES))
            return np.zeros((0, len(comps)), np.int8), empty, np.zeros(shape, np.int64)
        matrix = grouped[names].to_numpy(dtype=np.int8)
        patterns, inverse = np.unique(matrix, axis=0, return_inverse=True)
        inverse = inverse.reshape(-1).astype(np.int64)
        n = grouped["_n"].to_numpy(dtype=np.int64)
        counts = np.bincount(inverse, weights=n, minlength=len(patterns)).astype(np.int64)
        cells = inverse * len(PAIR_CLASSES) + grouped["_class"].to_numpy(dtype=np.int64)
        by_class = np.bincount(cells, weights=n, minlength=len(patterns) * len(PAIR_CLASSES))
        shape = (len(patterns), len(PAIR_CLASSES))
        return patterns.astype(np.int8), counts, by_class.astype(np.int64).reshape(shape)

    def pair_scores(
        self,
        records: pd.DataFrame,
        left: IntArray,
        right: IntArray,
        model: FSModel,
        settings: MatchSettings,
    ) -> dict[str, npt.NDArray[Any]]:
        """Weight, probability, hard rule and band per pair, per pair partition with
        :func:`dq.match.score.pair_scores`; term frequencies are counted over all records
        (:mod:`dq.match.engines.spark_tf`), not over a partition's batch."""
        from pyspark.sql import types as T

        frame, scored = self._scored_vectors(records, model, settings)
        fields = [
            T.StructField("match_weight", T.DoubleType(), False),
            T.StructField("probability", T.DoubleType(), False),
            T.StructField("hard_rule", T.ByteType(), False),
            T.StructField("band", T.ByteType(), False),
        ]

        def score(both: pd.DataFrame, at: IntArray, k: int) -> dict[str, Any]:
            cache, vectors = scored(both, at, k)
            classes = pair_classes(cache, at, at + k, model.attribute_keys)
            total, probability, rule, band = pair_scores(
                cache, at, at + k, vectors, model, settings, classes
            )
            return {
                "match_weight": total,
                "probability": probability,
                "hard_rule": rule,
                "band": band,
            }

        done = self._per_pair(frame, left, right, fields, score).toPandas()
        order = np.argsort(done["_i"].to_numpy(dtype=np.int64), kind="stable")
        return {f.name: done[f.name].to_numpy()[order] for f in fields}

    def pair_details(
        self,
        records: pd.DataFrame,
        left: IntArray,
        right: IntArray,
        model: FSModel,
        settings: MatchSettings,
    ) -> PairDetails:
        """Levels, weights (with the whole column's term frequencies) and classes, per pair
        partition with :func:`dq.match.score.weigh`."""
        from pyspark.sql import types as T

        comps = list(model.comparisons)
        frame, scored = self._scored_vectors(records, model, settings)
        fields = [T.StructField(f"l{i}", T.ByteType(), False) for i in range(len(comps))]
        fields += [T.StructField(f"w{i}", T.DoubleType(), False) for i in range(len(comps))]
        fields.append(T.StructField("_class", T.ByteType(), False))

        def explain(both: pd.DataFrame, at: IntArray, k: int) -> dict[str, Any]:
            cache, vectors = scored(both, at, k)
            classes = pair_classes(cache, at, at + k, model.attribute_keys)
            weights = weigh(model, vectors, settings=settings, classes=classes)
            out: dict[str, Any] = {"_class": classes}
            for i, comp in enumerate(comps):
                out[f"l{i}"] = vectors.levels[comp.name]
                out[f"w{i}"] = weights[comp.name]
            return out

        done = self._per_pair(frame, left, right, fields, explain).toPandas()
        order = np.argsort(done["_i"].to_numpy(dtype=np.int64), kind="stable")
        return PairDetails(
            levels={c.name: done[f"l{i}"].to_numpy(np.int8)[order] for i, c in enumerate(comps)},
            weights={
                c.name: done[f"w{i}"].to_numpy(np.float64)[order] for i, c in enumerate(comps)
            },
            classes=done["_class"].to_numpy(np.int8)[order],
        )

    def _scored_vectors(
        self, records: pd.DataFrame, model: FSModel, settings: MatchSettings
    ) -> tuple[Any, Callable[[pd.DataFrame, IntArray, int], tuple[ColumnCache, ComparisonVectors]]]:
        """The records' Spark frame (with each record's term frequencies where the model uses
        them) and a function giving a batch's cache and comparison vectors, the frequencies
        those of the whole column (a batch's own would be wrong)."""
        comps = list(model.comparisons)
        frame = to_spark(self.spark, records)
        tf_comps = [c for c in comps if c.tf] if settings.tf_adjustment else []
        averages: dict[str, float] = {}
        if tf_comps:
            freqs, averages = tf_frequencies(frame, tf_comps, len(records))
            frame = frame.join(freqs, on=POS)

        def scored(
            both: pd.DataFrame, at: IntArray, k: int
        ) -> tuple[ColumnCache, ComparisonVectors]:
            cache = ColumnCache(both)
            vectors = compare(both, at, at + k, comps, cache=cache)
            for comp in tf_comps:
                base = comp.base_codes(vectors.levels[comp.name])
                freq = both[tf_column_name(comp)].to_numpy(dtype=np.float64)
                average = averages[comp.name]
                vectors.tf_freq[comp.name] = tf_values(comp, base, freq[at], freq[at + k], average)
                vectors.tf_baseline[comp.name] = average
            return cache, vectors

        return frame, scored

    def _levels(
        self,
        records: pd.DataFrame,
        left: IntArray,
        right: IntArray,
        comps: list[Comparison],
        *,
        with_class: bool,
        attribute: AttributeKeys | None = None,
    ) -> Any:
        """Spark frame of pair index ``_i``, one level column per comparison (and the pair
        class ``_class``), computed per partition with the local functions."""
        from pyspark.sql import types as T

        fields = [T.StructField(c.name, T.ByteType(), False) for c in comps]
        if with_class:
            fields.append(T.StructField("_class", T.ByteType(), False))

        def levels(both: pd.DataFrame, at: IntArray, k: int) -> dict[str, Any]:
            cache = ColumnCache(both)
            found = compare(both, at, at + k, comps, cache=cache).levels
            out: dict[str, Any] = {c.name: found[c.name] for c in comps}
            if with_class:
                out["_class"] = pair_classes(cache, at, at + k, attribute)
            return out

        return self._per_pair(to_spark(self.spark, records), left, right, fields, levels)

    def _per_pair(
        self,
        frame: Any,
        left: IntArray,
        right: IntArray,
        fields: list[Any],
        func: Callable[[pd.DataFrame, IntArray, int], dict[str, Any]],
    ) -> Any:
        """Spark frame of pair index ``_i`` and ``fields``: ``func(both, at, k)`` per batch of
        k pairs, where ``both`` holds the batch's left records (rows ``at``) then its right
        records (rows ``at + k``) of the records' Spark ``frame``, with the dtypes the local
        matcher sees."""
        from pyspark.sql import functions as F
        from pyspark.sql import types as T

        schema = frame.schema
        names = [f.name for f in schema.fields if f.name != POS]
        pairs = pd.DataFrame({"_i": np.arange(len(left), dtype=np.int64), "_l": left, "_r": right})
        pair_frame = self.spark.createDataFrame(pairs)
        lrec = frame.select([F.col(POS).alias("_l")] + [F.col(c).alias(f"l_{c}") for c in names])
        rrec = frame.select([F.col(POS).alias("_r")] + [F.col(c).alias(f"r_{c}") for c in names])
        joined = pair_frame.join(lrec, on="_l").join(rrec, on="_r")
        out_schema = T.StructType([T.StructField("_i", T.LongType(), False), *fields])

        def run(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
            for batch in batches:
                k = len(batch)
                sides = [
                    batch[[f"{side}_{c}" for c in names]].set_axis(names, axis=1)
                    for side in ("l", "r")
                ]
                both = restore(pd.concat(sides, ignore_index=True), schema)
                out: dict[str, Any] = {"_i": batch["_i"].to_numpy(dtype=np.int64)}
                out.update(func(both, np.arange(k, dtype=np.int64), k))
                yield pd.DataFrame(out)

        return joined.mapInPandas(run, out_schema)

    def components(self, n: int, left: IntArray, right: IntArray) -> IntArray:
        """Large-star/small-star in Spark; records without a link label themselves."""
        edges = self.spark.createDataFrame(
            pd.DataFrame({"u": np.asarray(left, np.int64), "v": np.asarray(right, np.int64)})
        )
        found = spark_components(edges).toPandas()
        labels = np.arange(n, dtype=np.int64)
        labels[found["node"].to_numpy(dtype=np.int64)] = found["label"].to_numpy(dtype=np.int64)
        return labels

    def survive(self, records: pd.DataFrame, labels: IntArray, settings: Any) -> pd.DataFrame:
        """Survivorship per bucket of whole clusters on Spark (``applyInPandas`` calling the
        local :func:`dq.golden.survivorship.survive`); the local frame back on the driver."""
        from dq.match.engines.spark_golden import survive_spark

        return survive_spark(self.spark, records, labels, settings)
