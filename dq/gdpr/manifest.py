"""The deletion manifest: per source record and contact, what must be deleted or blocked, when.

Rows come from the customers' records (via ``golden_id``) and from the contacts' lineage
(``record_ids``); each carries the ``source_key`` a person needs to act in that system (DATEV
account, CRM record ID). Kept customers whose purpose will end appear as ``upcoming`` so that a
user sees what is coming. Sorted by source, so each system gets its own list. Rows are picked
by position (records → customer codes from the retention step): no join on ID strings.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
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
_TEXT = [c for c in MANIFEST_COLUMNS if c not in ("due_date", "delete_after")]


Columns = dict[str, npt.NDArray[Any]]


def _todo(verdicts: pd.DataFrame, today: np.datetime64, kept: pd.Series | None) -> Columns:
    """Per verdict row what is to do: ``todo`` (now or later), action, status, dates, fields."""
    action = verdicts["action"].to_numpy(dtype=object)
    now = (action == "restrict") | (action == "delete")
    next_due = verdicts["next_due"].to_numpy(dtype="datetime64[ns]")
    next_action = _objects(verdicts["next_action"])
    later = (
        (action == "keep")
        & ~np.isnat(next_due)
        & ((next_action == "restrict") | (next_action == "delete"))
    )
    due = np.where(now, verdicts["due_date"].to_numpy(dtype="datetime64[ns]"), next_due)
    act = np.where(now, action, next_action)
    status = np.where(now, np.where(due < today, "overdue", "due"), "upcoming")
    fields = np.full(len(verdicts), None, dtype=object)
    if kept is not None:
        restrict = act == "restrict"
        fields[restrict] = _objects(kept)[restrict]
    return {
        "todo": now | later,
        "action": act.astype(object),
        "status": status.astype(object),
        "due_date": due,
        "delete_after": verdicts["delete_after"].to_numpy(dtype="datetime64[ns]"),
        "rule": _objects(verdicts["rule"]),
        "keep_fields": fields,
    }


def _take(todo: Columns, pos: npt.NDArray[np.intp]) -> Columns:
    return {c: values[pos] for c, values in todo.items() if c != "todo"}


def deletion_manifest(result: RetentionResult, records: pd.DataFrame | None) -> pd.DataFrame:
    """One row per source record (and contact) that is or will be deleted or restricted."""
    today = np.datetime64(result.as_of.isoformat(), "ns")
    verdicts = result.retention
    frames: list[Columns] = []
    has_records = records is not None and len(records) > 0
    if has_records:
        assert records is not None
        customers = _todo(verdicts, today, result.kept_groups)
        codes = result.record_codes
        if codes is None or len(codes) != len(records):
            ids = pd.Index(verdicts["golden_id"].astype("string"))
            codes = ids.get_indexer(pd.Index(records["golden_id"].astype("string")))
        own = np.ones(len(records), dtype=bool)
        if "contact_id" in records.columns:  # contact records follow their contact's verdict
            own = records["contact_id"].isna().to_numpy(dtype=bool)
        todo = customers["todo"]
        rows = np.flatnonzero(own & (codes >= 0) & todo[np.maximum(codes, 0)])
        frames.append(
            {
                "source": _column(records, "source", rows),
                "record_id": _column(records, "record_id", rows),
                "source_key": _column(records, "source_key", rows),
                "golden_id": verdicts["golden_id"].to_numpy(dtype=object)[codes[rows]],
                "contact_id": np.full(len(rows), None, dtype=object),
                "role": np.full(len(rows), "customer", dtype=object),
                **_take(customers, codes[rows]),
            }
        )
    contacts = result.contacts
    if len(contacts) and "record_ids" in contacts.columns:
        verdict = _todo(contacts, today, None)
        chosen = np.flatnonzero(verdict["todo"])
        lineage = contacts["record_ids"].astype("string").fillna("")
        split = lineage.iloc[chosen].reset_index(drop=True).str.split(";").explode()
        parts = split.astype("string").str.strip()
        parts = parts[parts.fillna("") != ""]
        owner = chosen[parts.index.to_numpy()]
        record_ids = parts.to_numpy(dtype=object)
        source = np.full(len(record_ids), None, dtype=object)
        key = np.full(len(record_ids), None, dtype=object)
        if has_records:
            assert records is not None
            at = pd.Index(records["record_id"].astype("string")).get_indexer(pd.Index(record_ids))
            found = at >= 0
            source[found] = _column(records, "source", at[found])
            key[found] = _column(records, "source_key", at[found])
        else:
            source = parts.str.split(":").str[0].to_numpy(dtype=object)
        frames.append(
            {
                "source": source,
                "record_id": record_ids,
                "source_key": key,
                "golden_id": contacts["golden_id"].to_numpy(dtype=object)[owner],
                "contact_id": contacts["contact_id"].to_numpy(dtype=object)[owner],
                "role": np.full(len(owner), "contact", dtype=object),
                **_take(verdict, owner),
            }
        )
    columns = {
        c: np.concatenate([f[c] for f in frames])
        if frames
        else np.empty(0, dtype="datetime64[ns]" if c in ("due_date", "delete_after") else object)
        for c in MANIFEST_COLUMNS
    }
    # sort on integer keys (source, day), stable: ties keep the records' order
    source_code = pd.factorize(columns["source"], sort=True)[0]
    day = columns["due_date"].view(np.int64)
    order = np.lexsort([day, source_code])
    return pd.DataFrame(
        {
            c: pd.array(values[order], dtype="string") if c in _TEXT else values[order]
            for c, values in columns.items()
        }
    )


def _column(frame: pd.DataFrame, name: str, rows: npt.NDArray[np.intp]) -> npt.NDArray[Any]:
    if name not in frame.columns:
        return np.full(len(rows), None, dtype=object)
    return _objects(frame[name].iloc[rows])


def _objects(values: pd.Series) -> npt.NDArray[np.object_]:
    """A column as an object array with None for missing values (comparable elementwise)."""
    out: npt.NDArray[np.object_] = values.to_numpy(dtype=object)
    out[pd.isna(out)] = None
    return out
