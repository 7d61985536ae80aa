"""The deletion manifest: per source record and contact, what must be deleted or blocked, when.

Rows come from the customers' records (via ``golden_id``) and from the contacts' lineage
(``record_ids``); each carries the ``source_key`` a person needs to act in that system (DATEV
account, CRM record ID). Kept customers whose purpose will end appear as ``upcoming`` so that a
user sees what is coming. Sorted by source, so each system gets its own list.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dq.gdpr.retention import RetentionResult

__all__ = ["MANIFEST_COLUMNS", "deletion_manifest"]

MANIFEST_COLUMNS = (
    "source",
    "record_id",
    "source_key",
    "golden_id",
    "contact_id",
    "role",
    "action",
    "status",
    "due_date",
    "delete_after",
    "rule",
    "keep_fields",
)


def _todo(verdicts: pd.DataFrame, today: pd.Timestamp, kept: pd.Series | None) -> pd.DataFrame:
    """Verdict rows with something to do: now (restrict/delete) or later (keep with a next due)."""
    now = verdicts["action"].isin(["restrict", "delete"]).to_numpy(dtype=bool)
    later = (verdicts["action"] == "keep").to_numpy(dtype=bool) & verdicts["next_due"].notna()
    later &= verdicts["next_action"].isin(["restrict", "delete"]).fillna(False).to_numpy(dtype=bool)
    out = pd.DataFrame(
        {
            "golden_id": verdicts["golden_id"].astype("string"),
            "action": verdicts["action"].where(now, verdicts["next_action"]).astype("string"),
            "due_date": verdicts["due_date"].where(now, verdicts["next_due"]),
            "delete_after": verdicts["delete_after"],
            "rule": verdicts["rule"].astype("string"),
        }
    )
    out["status"] = np.where(~now, "upcoming", np.where(out["due_date"] < today, "overdue", "due"))
    restrict = (out["action"] == "restrict").fillna(False).to_numpy(dtype=bool)
    groups = kept if kept is not None else pd.Series(pd.NA, index=out.index, dtype="string")
    out["keep_fields"] = groups.where(restrict).astype("string").to_numpy()
    if "contact_id" in verdicts.columns:
        out["contact_id"] = verdicts["contact_id"].astype("string")
    return out[now | later]


def deletion_manifest(result: RetentionResult, records: pd.DataFrame | None) -> pd.DataFrame:
    """One row per source record (and contact) that is or will be deleted or restricted."""
    today = pd.Timestamp(result.as_of)
    customers = _todo(result.retention, today, result.kept_groups.set_axis(result.retention.index))
    frames = []
    if records is not None and len(records):
        own = records
        if "contact_id" in records.columns:
            own = records[records["contact_id"].isna()]
        lineage = own[["record_id", "source", "source_key", "golden_id"]].astype("string")
        rows = lineage.merge(customers, on="golden_id", how="inner")
        rows["contact_id"] = pd.Series(pd.NA, index=rows.index, dtype="string")
        rows["role"] = "customer"
        frames.append(rows)
    contacts = result.contacts
    if len(contacts) and "record_ids" in contacts.columns:
        todo = _todo(contacts, today, None)
        ids = contacts.loc[todo.index, "record_ids"].astype("string").str.split(";")
        exploded = todo.assign(record_id=ids).explode("record_id")
        exploded["record_id"] = exploded["record_id"].astype("string").str.strip()
        exploded = exploded[exploded["record_id"].fillna("") != ""]
        if records is not None and len(records):
            keys = records[["record_id", "source", "source_key"]].astype("string")
            exploded = exploded.merge(keys.drop_duplicates("record_id"), on="record_id", how="left")
        else:
            exploded["source"] = exploded["record_id"].str.split(":").str[0]
            exploded["source_key"] = pd.Series(pd.NA, index=exploded.index, dtype="string")
        exploded["role"] = "contact"
        frames.append(exploded)
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype="string") for c in MANIFEST_COLUMNS})
    out = pd.concat(frames, ignore_index=True)[list(MANIFEST_COLUMNS)]
    for name in MANIFEST_COLUMNS:
        if name not in ("due_date", "delete_after"):
            out[name] = out[name].astype("string")
    # sort on integer keys (source, day), stable: ties keep the records' order
    source_code = pd.factorize(out["source"], sort=True)[0]
    day = out["due_date"].to_numpy(dtype="datetime64[ns]").view(np.int64)
    order = np.lexsort([day, source_code])
    return out.iloc[order].reset_index(drop=True)
