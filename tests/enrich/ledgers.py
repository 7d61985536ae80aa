"""Hand-built ledgers for the customer-value tests: one line per booking, read like a journal."""

from __future__ import annotations

import pandas as pd

from dq.schema import INTERACTION_COLUMNS, TRANSACTION_COLUMNS, conform


def ledger(*rows: tuple[object, ...]) -> pd.DataFrame:
    """Rows of (golden_id, doc_type, doc_number, doc_date, amount[, due_date[, currency]])."""
    full = [(*r, *(None, "EUR")[len(r) - 5 :]) for r in rows]
    frame = pd.DataFrame(
        full,
        columns=[
            "golden_id",
            "doc_type",
            "doc_number",
            "doc_date",
            "amount",
            "due_date",
            "currency",
        ],
    )
    frame["record_id"] = "datev:" + frame["golden_id"].astype(str)
    out = conform(frame, TRANSACTION_COLUMNS)
    out["golden_id"] = out["golden_id"].astype("string")
    return out


def notes(*rows: tuple[str, str, str]) -> pd.DataFrame:
    """Rows of (golden_id, date, kind)."""
    frame = pd.DataFrame(rows, columns=["golden_id", "date", "kind"])
    frame["record_id"] = "notes:" + frame["golden_id"]
    out = conform(frame, INTERACTION_COLUMNS)
    out["golden_id"] = out["golden_id"].astype("string")
    return out


def golden(*ids: str, activity: dict[str, str] | None = None) -> pd.DataFrame:
    activity = activity or {}
    return pd.DataFrame(
        {
            "golden_id": pd.array(ids, dtype="string"),
            "party_type": "company",
            "last_activity_at": pd.to_datetime([activity.get(i) for i in ids]),
        }
    )
