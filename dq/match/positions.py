"""Row positions of the records a pairs table names.

Scored pairs carry their records' positions (``left_pos``/``right_pos``) beside their IDs.
Clustering, merge reasons, the review queue and the crosswalk all need positions again; looking
a million IDs up in a hash index costs seconds each time, checking that the carried positions
still name the same IDs costs one comparison per pair. Rows without a position, or whose
position names another record (a pairs table from another frame, appended decisions), are
looked up by ID.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

__all__ = ["pair_positions", "record_positions"]

IntArray = npt.NDArray[np.int64]
_NA = "\x00"  # stands for a missing ID in comparisons (no record ID is a NUL)


def record_positions(record_ids: pd.Series | pd.Index, wanted: pd.Series) -> IntArray:
    """Position in ``record_ids`` of each ID in ``wanted``; -1 where it is not there."""
    ids = pd.Index(pd.Series(record_ids).astype("string"))
    return np.asarray(ids.get_indexer(pd.Index(wanted.astype("string"))), dtype=np.int64)


def pair_positions(pairs: pd.DataFrame, record_ids: pd.Series) -> tuple[IntArray, IntArray]:
    """Positions in ``record_ids`` of each pair's left and right record (-1 where unknown)."""
    ids = _texts(pd.Series(record_ids))
    return _side(pairs, "left", ids, record_ids), _side(pairs, "right", ids, record_ids)


def _side(
    pairs: pd.DataFrame, side: str, ids: npt.NDArray[np.object_], record_ids: pd.Series
) -> IntArray:
    wanted = pairs[f"{side}_id"]
    pos = np.full(len(pairs), -1, dtype=np.int64)
    column = f"{side}_pos"
    if column in pairs.columns:
        carried = pd.to_numeric(pairs[column], errors="coerce")
        known = carried.notna().to_numpy(dtype=bool)
        at = carried.to_numpy(dtype=np.float64, na_value=-1.0).astype(np.int64)
        known &= (at >= 0) & (at < len(ids))
        names = _texts(wanted)
        known[known] = ids[at[known]] == names[known]
        pos[known] = at[known]
    todo = np.flatnonzero(pos < 0)
    if len(todo):
        pos[todo] = record_positions(record_ids, wanted.iloc[todo])
    return pos


def _texts(values: pd.Series) -> npt.NDArray[np.object_]:
    """IDs as Python strings for comparing (missing as a NUL); object columns as they are,
    since the scored pairs' IDs are strings already and converting them costs a second."""
    if values.dtype == object:
        return values.to_numpy(dtype=object)
    return values.astype("string").to_numpy(dtype=object, na_value=_NA)
