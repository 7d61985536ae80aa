"""Golden records from clustered records: survivorship per field and stable golden IDs."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pandas as pd

from dq.golden.registry import IdAssignment, stable_golden_ids
from dq.golden.settings import GoldenSettings
from dq.golden.survivorship import positional, survive
from dq.store import Store

__all__ = ["GoldenResult", "Survivor", "build_golden"]

# survivorship of clustered records: (records, labels, settings) -> survive's frame
Survivor = Callable[[pd.DataFrame, npt.NDArray[np.int64], GoldenSettings], pd.DataFrame]


@dataclass
class GoldenResult:
    """Golden records (one row per golden_id), the per-record golden_id and the ID changes."""

    golden: pd.DataFrame
    golden_ids: pd.Series  # per input record (same order), its golden_id
    assignment: IdAssignment
    golden_labels: npt.NDArray[np.int64]  # per golden row, the cluster label it was built from
    timings: dict[str, float] = field(default_factory=dict)


def build_golden(
    records: pd.DataFrame,
    labels: npt.NDArray[np.int64],
    *,
    settings: GoldenSettings | None = None,
    store: Store | None = None,
    survivor: Survivor = survive,
) -> GoldenResult:
    """Golden records for clustered ``records`` (``labels``: cluster per record, same order).

    With a ``store`` the golden IDs are taken from (and written back to) its registry; without
    one they are derived from each cluster's smallest record_id. ``survivor`` runs
    survivorship: :func:`survive` here, or a matcher engine's ``survive`` (on Spark).
    """
    settings = settings or GoldenSettings()
    records = positional(records)
    labels = np.asarray(labels, dtype=np.int64)
    record_ids = records["record_id"].astype("string")
    start = time.perf_counter()
    assignment = stable_golden_ids(record_ids, labels, store, prefix=settings.id_prefix)
    ids_seconds = time.perf_counter() - start
    golden = survivor(records, labels, settings)
    survive_seconds = time.perf_counter() - start - ids_seconds
    gids = assignment.ids.to_numpy(dtype=object)[
        np.searchsorted(assignment.ids.index, golden["cluster"])
    ]
    golden.insert(0, "golden_id", pd.Series(gids, index=golden.index, dtype="string"))
    golden_labels = golden["cluster"].to_numpy(dtype=np.int64)
    del golden["cluster"]
    order = np.searchsorted(assignment.ids.index, labels)
    per_record = pd.Series(assignment.ids.array.take(order), dtype="string")
    return GoldenResult(
        golden=golden,
        golden_ids=per_record,
        assignment=assignment,
        golden_labels=golden_labels,
        timings={"golden_ids": ids_seconds, "survivorship": survive_seconds},
    )
