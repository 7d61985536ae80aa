"""The crosswalk (record_id → golden_id with its best link) and mapping other tables through it.

Transactions and interactions are keyed by the ``record_id`` of the record they belong to; once
records are clustered they follow their record to its golden record.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from dq.match.positions import pair_positions

__all__ = ["best_links", "follow_records", "make_crosswalk"]

log = logging.getLogger(__name__)

_BAND_ORDER = {"match": 0, "review": 1, "non-match": 2}


def best_links(pairs: pd.DataFrame, record_ids: pd.Series) -> pd.DataFrame:
    """Per record of ``record_ids`` (same order) its best link among ``pairs``.

    The best link is the pair with the best band (match, review, non-match), then the highest
    ``probability``. Pairs decided clerically should already carry their decision (probability
    1 or 0, band match or non-match). Returns ``band`` and ``probability`` (null without pairs).
    """
    n = len(record_ids)
    band_out = np.full(n, None, dtype=object)
    prob_out = np.full(n, np.nan)
    if pairs.empty:
        return pd.DataFrame({"band": pd.array(band_out, dtype="string"), "probability": prob_out})
    pos = np.concatenate(pair_positions(pairs, record_ids))
    band = pairs["band"].astype("string").to_numpy(dtype=object)
    band = np.concatenate([band, band])
    prob = pairs["probability"].to_numpy(dtype=np.float64)
    prob = np.concatenate([prob, prob])
    rank = pd.Series(band).map(_BAND_ORDER).fillna(3).to_numpy(dtype=np.int64)
    known = pos >= 0
    pos, band, prob, rank = pos[known], band[known], prob[known], rank[known]
    order = np.lexsort([-np.nan_to_num(prob, nan=-1.0), rank, pos])
    first = order[np.flatnonzero(np.r_[True, pos[order][1:] != pos[order][:-1]])]
    band_out[pos[first]] = band[first]
    prob_out[pos[first]] = prob[first]
    return pd.DataFrame({"band": pd.array(band_out, dtype="string"), "probability": prob_out})


def make_crosswalk(
    record_ids: pd.Series, golden_ids: pd.Series, links: pd.DataFrame, sources: pd.Series | None
) -> pd.DataFrame:
    """``record_id, golden_id, source, band, probability``: one row per input record.

    ``links`` is :func:`best_links` for the same records; records without any scored pair are
    ``non-match`` with no probability.
    """
    cw = pd.DataFrame(
        {
            "record_id": record_ids.astype("string").array,
            "golden_id": golden_ids.astype("string").array,
        }
    )
    if sources is not None:
        cw["source"] = sources.astype("string").array
    cw["band"] = links["band"].fillna("non-match").array
    cw["probability"] = links["probability"].to_numpy()
    return cw


def follow_records(
    frame: pd.DataFrame, crosswalk: pd.DataFrame, *, column: str = "golden_id"
) -> pd.DataFrame:
    """``frame`` (transactions, interactions: keyed by ``record_id``) with a ``golden_id`` column,
    and a ``contact_id`` column where the crosswalk has one (rows of a contact's record).

    Rows whose record is not in the crosswalk get a null golden_id (and are counted in the log).
    """
    keyed = crosswalk.drop_duplicates("record_id").set_index("record_id")
    out = frame.copy()
    ids = out["record_id"].astype("string")
    # Arrow-backed like the readers' text: millions of bookings hold no Python string per ID
    out[column] = ids.map(keyed["golden_id"]).astype("string[pyarrow]")
    if "contact_id" in keyed.columns:
        out["contact_id"] = ids.map(keyed["contact_id"]).astype("string[pyarrow]")
    missing = int(out[column].isna().sum())
    if missing:
        log.warning("%d rows refer to records that are not in the crosswalk", missing)
    return out
