"""The crosswalk (record_id → golden_id with its best link) and mapping other tables through it.

Transactions and interactions are keyed by the ``record_id`` of the record they belong to; once
records are clustered they follow their record to its golden record.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

__all__ = ["best_links", "follow_records", "make_crosswalk"]

log = logging.getLogger(__name__)

_BAND_ORDER = {"match": 0, "review": 1, "non-match": 2}


def best_links(pairs: pd.DataFrame) -> pd.DataFrame:
    """Per record in ``pairs`` its best link: the highest ``probability`` and that pair's band.

    Pairs decided clerically should already carry their decision (probability 1 or 0, band
    match or non-match). Returns ``record_id``, ``band``, ``probability``.
    """
    if pairs.empty:
        return pd.DataFrame(
            {
                "record_id": pd.Series(dtype="string"),
                "band": pd.Series(dtype="string"),
                "probability": pd.Series(dtype="float64"),
            }
        )
    prob = pairs["probability"].to_numpy(dtype=np.float64)
    band = pairs["band"].astype("string").to_numpy(dtype=object)
    long = pd.DataFrame(
        {
            "record_id": np.concatenate(
                [
                    pairs["left_id"].astype("string").to_numpy(dtype=object),
                    pairs["right_id"].astype("string").to_numpy(dtype=object),
                ]
            ),
            "band": np.concatenate([band, band]),
            "probability": np.concatenate([prob, prob]),
        }
    )
    long["rank"] = long["band"].map(_BAND_ORDER).fillna(3)
    long = long.sort_values(["record_id", "rank", "probability"], ascending=[True, True, False])
    best = long.drop_duplicates("record_id")[["record_id", "band", "probability"]]
    best["record_id"] = best["record_id"].astype("string")
    best["band"] = best["band"].astype("string")
    return best.reset_index(drop=True)


def make_crosswalk(
    record_ids: pd.Series, golden_ids: pd.Series, links: pd.DataFrame, sources: pd.Series | None
) -> pd.DataFrame:
    """``record_id, golden_id, source, band, probability``: one row per input record.

    Records without any scored pair are ``non-match`` with no probability.
    """
    cw = pd.DataFrame(
        {
            "record_id": record_ids.astype("string").to_numpy(),
            "golden_id": golden_ids.astype("string").to_numpy(),
        }
    )
    if sources is not None:
        cw["source"] = sources.astype("string").to_numpy()
    cw = cw.merge(links, on="record_id", how="left")
    cw["band"] = cw["band"].astype("string").fillna("non-match")
    return cw


def follow_records(
    frame: pd.DataFrame, crosswalk: pd.DataFrame, *, column: str = "golden_id"
) -> pd.DataFrame:
    """``frame`` (transactions, interactions: keyed by ``record_id``) with a ``golden_id`` column.

    Rows whose record is not in the crosswalk get a null golden_id (and are counted in the log).
    """
    mapping = crosswalk.drop_duplicates("record_id").set_index("record_id")["golden_id"]
    out = frame.copy()
    out[column] = out["record_id"].astype("string").map(mapping).astype("string")
    missing = int(out[column].isna().sum())
    if missing:
        log.warning("%d rows refer to records that are not in the crosswalk", missing)
    return out
