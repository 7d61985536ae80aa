"""Golden records on Spark: survivorship per golden group, golden IDs from the registry.

Survivorship only ever compares the records of one cluster, so the records are shuffled into
buckets of whole clusters and :func:`dq.golden.survivorship.survive` runs on each bucket
(``applyInPandas``), its records in input order (ties go to the record that comes first, as
locally). Golden IDs need every record's cluster and the registry's previous IDs at once (a
cluster keeps the ID most of its members had, unless another cluster has a better claim): the
record IDs, labels and input order (about 100 bytes per record in pandas) come to the driver,
where
:func:`dq.golden.registry.stable_golden_ids` assigns them and updates the registry exactly as
the local stage does; the IDs per cluster go back to Spark as a table.

:func:`survive_spark` is survivorship alone on records the driver holds (the Spark engine's
``survive``, which :func:`dq.golden.build.build_golden` calls with ``--engine spark``): the
golden records come back as the local :func:`survive`'s frame, dtypes included.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from dq.golden.registry import IdAssignment, stable_golden_ids
from dq.golden.settings import GoldenSettings
from dq.golden.survivorship import survive
from dq.match.engines.spark_tables import from_pandas, restore_frame, spark_schema, to_pandas
from dq.schema import RECORD_COLUMNS
from dq.store import Store

__all__ = ["SURVIVORSHIP_JOBS", "SparkGoldenResult", "golden_spark", "survive_spark"]

# the Spark job group of survive_spark's jobs: visible in Spark's UI and status tracker
SURVIVORSHIP_JOBS = "dq-survivorship"


@dataclass(frozen=True)
class SparkGoldenResult:
    """Golden records and each record's golden ID as Spark frames, and the ID assignment."""

    golden: Any  # the columns of build_golden's golden records, in no particular row order
    golden_ids: Any  # record_id, golden_id
    assignment: IdAssignment


def _survivorship_columns(columns: list[str]) -> list[str]:
    """What :func:`survive` reads of ``columns``: canonical columns and validity flags."""
    return [c for c in columns if c in RECORD_COLUMNS or c.endswith("_valid")]


def golden_spark(
    spark: Any,
    records: Any,
    *,
    label: str = "cluster",
    order: str = "_pos",
    settings: GoldenSettings | None = None,
    store: Store | None = None,
    buckets: int | None = None,
) -> SparkGoldenResult:
    """Golden records of clustered ``records`` (Spark or pandas frame), equal to
    :func:`dq.golden.build.build_golden`'s on the same records in ``order``.

    ``label`` is the column with each record's cluster, ``order`` the column that orders the
    records as the local input (survivorship's last tie-break). With a ``store`` the golden
    IDs come from, and are written to, its registry. ``buckets`` (default: the session's
    shuffle partitions) is how many groups of whole clusters survivorship runs on.
    """
    settings = settings or GoldenSettings()
    frame = from_pandas(spark, records) if isinstance(records, pd.DataFrame) else records
    assignment = _assign_ids(frame, label, order, settings, store)
    ids = spark.createDataFrame(
        pd.DataFrame(
            {
                label: assignment.ids.index.to_numpy(dtype=np.int64),
                "golden_id": assignment.ids.to_numpy(dtype=object),
            }
        )
    )

    survived = _survived(spark, frame, label, order, settings, buckets)
    named = survived.join(ids.withColumnRenamed(label, "cluster"), on="cluster")
    columns = [c for c in survived.columns if c != "cluster"]
    golden = named.select("golden_id", *columns)
    per_record = (
        frame.select("record_id", label).join(ids, on=label).select("record_id", "golden_id")
    )
    return SparkGoldenResult(golden=golden, golden_ids=per_record, assignment=assignment)


def survive_spark(
    spark: Any,
    records: pd.DataFrame,
    labels: npt.NDArray[np.int64],
    settings: GoldenSettings | None = None,
    *,
    buckets: int | None = None,
) -> pd.DataFrame:
    """:func:`dq.golden.survivorship.survive` of ``records`` (cluster ``labels``, same order)
    run on Spark per bucket of whole clusters: the same frame (one row per label, sorted,
    the local dtypes), its jobs in the job group :data:`SURVIVORSHIP_JOBS`."""
    settings = settings or GoldenSettings()
    labels = np.asarray(labels, dtype=np.int64)
    # the local frame's columns and dtypes (text storage differs after a trip through Arrow)
    template = survive(records.iloc[:0], labels[:0], settings)
    picked = records[_survivorship_columns(list(records.columns))]
    frame = from_pandas(
        spark, picked.assign(cluster=labels, _pos=np.arange(len(labels), dtype=np.int64))
    )
    with _job_group(spark, SURVIVORSHIP_JOBS, "dq: survivorship per golden group"):
        done = to_pandas(_survived(spark, frame, "cluster", "_pos", settings, buckets))
    done = done.sort_values("cluster", kind="stable", ignore_index=True)
    return done[list(template.columns)].astype(template.dtypes.to_dict())


def _survived(
    spark: Any,
    frame: Any,
    label: str,
    order: str,
    settings: GoldenSettings,
    buckets: int | None,
) -> Any:
    """Spark frame of :func:`survive`'s rows (column ``cluster``: the label), survivorship run
    per bucket of whole clusters, each bucket's records in ``order``."""
    from pyspark.sql import functions as F

    picked = frame.select(*_survivorship_columns(frame.columns), label, order)
    in_schema = picked.schema
    empty = pd.DataFrame({f.name: pd.Series([], dtype=object) for f in in_schema.fields})
    out_schema = spark_schema(_survive_bucket(empty, in_schema, label, order, settings))

    def run(bucket: pd.DataFrame) -> pd.DataFrame:
        return _survive_bucket(bucket, in_schema, label, order, settings)

    count = buckets or int(spark.conf.get("spark.sql.shuffle.partitions"))
    bucket = F.pmod(F.xxhash64(F.col(label)), F.lit(count))
    return picked.groupBy(bucket.alias("_bucket")).applyInPandas(run, out_schema)


@contextmanager
def _job_group(spark: Any, group: str, description: str) -> Iterator[None]:
    """Spark jobs started inside in job group ``group``; the caller's group is kept after."""
    context = spark.sparkContext
    keys = ("spark.jobGroup.id", "spark.job.description", "spark.job.interruptOnCancel")
    before = {key: context.getLocalProperty(key) for key in keys}
    context.setJobGroup(group, description)
    try:
        yield
    finally:
        for key, value in before.items():
            context.setLocalProperty(key, value)


def _assign_ids(
    frame: Any, label: str, order: str, settings: GoldenSettings, store: Store | None
) -> IdAssignment:
    """Golden IDs per cluster label from the driver's registry logic (record IDs and labels
    collected in input order)."""
    pairs = frame.select("record_id", label, order).toPandas()
    pairs = pairs.sort_values(order, kind="stable", ignore_index=True)
    record_ids = pairs["record_id"].astype("string")
    labels = pairs[label].to_numpy(dtype=np.int64)
    return stable_golden_ids(record_ids, labels, store, prefix=settings.id_prefix)


def _survive_bucket(
    bucket: pd.DataFrame, schema: Any, label: str, order: str, settings: GoldenSettings
) -> pd.DataFrame:
    """Survivorship of one bucket's clusters, its records in input order."""
    records = restore_frame(bucket, schema)
    records = records.sort_values(order, kind="stable", ignore_index=True)
    labels = records.pop(label).to_numpy(dtype=np.int64)
    del records[order]
    return survive(records, labels, settings)
