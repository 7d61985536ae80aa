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
    left, right = _carried(pairs, "left", ids), _carried(pairs, "right", ids)
    todo_left, todo_right = np.flatnonzero(left < 0), np.flatnonzero(right < 0)
    if len(todo_left) or len(todo_right):  # one hash index of the IDs for both sides
        wanted = pd.concat(
            [pairs["left_id"].iloc[todo_left], pairs["right_id"].iloc[todo_right]],
            ignore_index=True,
        )
        found = record_positions(record_ids, wanted)
        left[todo_left], right[todo_right] = found[: len(todo_left)], found[len(todo_left) :]
    return left, right


def _carried(pairs: pd.DataFrame, side: str, ids: npt.NDArray[np.object_]) -> IntArray:
    """The pairs' own positions of one side where they name the same ID; -1 elsewhere."""
    pos = np.full(len(pairs), -1, dtype=np.int64)
    column = f"{side}_pos"
    if column in pairs.columns:
        carried = pd.to_numeric(pairs[column], errors="coerce")
        known = carried.notna().to_numpy(dtype=bool)
        at = carried.to_numpy(dtype=np.float64, na_value=-1.0).astype(np.int64)
        known &= (at >= 0) & (at < len(ids))
        names = _texts(pairs[f"{side}_id"])
        known[known] = ids[at[known]] == names[known]
        pos[known] = at[known]
    return pos


def _texts(values: pd.Series) -> npt.NDArray[np.object_]:
    """IDs as Python strings for comparing (missing as a NUL); object columns as they are,
    since the scored pairs' IDs are strings already and converting them costs a second."""
    if values.dtype == object:
        return values.to_numpy(dtype=object)
    return values.astype("string").to_numpy(dtype=object, na_value=_NA)
