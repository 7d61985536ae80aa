"""Build the named tables of one retention scenario (tests/gdpr/data/scenarios.yaml)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from dq.schema import INTERACTION_COLUMNS, RECORD_COLUMNS, TRANSACTION_COLUMNS, conform

DATA = Path(__file__).resolve().parent / "data"
GOLDEN_ID = "g-0001"


def load_scenarios() -> list[dict[str, Any]]:
    """The scenarios, each a dict as written in the YAML file."""
    return yaml.safe_load((DATA / "scenarios.yaml").read_text(encoding="utf-8"))


def _date(value: Any) -> Any:
    return pd.Timestamp(value) if value is not None else pd.NaT


def build_tables(scenario: dict[str, Any]) -> dict[str, pd.DataFrame]:
    """golden, records, transactions, interactions, contacts and matched privacy requests."""
    customer = {"party_type": "company", "company_name": "Muster Handel GmbH", "legal_form": "GMBH"}
    customer.update(scenario.get("customer") or {})
    golden = conform(pd.DataFrame([{**customer, "record_id": "x:1"}]), RECORD_COLUMNS)
    golden = golden.drop(columns=["record_id", "source", "source_key", "source_file", "source_row"])
    golden.insert(0, "golden_id", GOLDEN_ID)

    records = [
        {"record_id": f"{r['source']}:{i}", "source": r["source"], "source_key": str(1000 + i),
         **{k: v for k, v in r.items() if k != "source"}}
        for i, r in enumerate(scenario.get("records") or [{"source": "datev"}])
    ]  # fmt: skip
    records_frame = conform(pd.DataFrame(records), RECORD_COLUMNS)
    records_frame["golden_id"] = GOLDEN_ID

    bookings = [b if isinstance(b, dict) else {"date": b} for b in scenario.get("bookings") or []]
    transactions = conform(
        pd.DataFrame(
            {
                "record_id": [records[0]["record_id"]] * len(bookings),
                "source": [b.get("source", "datev") for b in bookings],
                "doc_type": "invoice",
                "doc_date": [_date(b["date"]) for b in bookings],
                "amount": 100.0,
            }
        ),
        TRANSACTION_COLUMNS,
    )
    transactions["golden_id"] = GOLDEN_ID

    notes = scenario.get("interactions") or []
    interactions = conform(
        pd.DataFrame(
            {
                "record_id": [records[-1]["record_id"]] * len(notes),
                "source": "notes",
                "date": [_date(x["date"]) for x in notes],
                "kind": [x["kind"] for x in notes],
                "channel": "email",
            }
        ),
        INTERACTION_COLUMNS,
    )
    interactions["golden_id"] = GOLDEN_ID

    contact_rows = [
        {k: v for k, v in c.items() if k != "expect"} for c in scenario.get("contacts") or []
    ]
    contacts = pd.DataFrame(
        {
            "contact_id": pd.Series([c["contact_id"] for c in contact_rows], dtype="string"),
            "golden_id": GOLDEN_ID,
            "first_name": pd.Series([c.get("first_name") for c in contact_rows], dtype="string"),
            "last_name": pd.Series([c.get("last_name") for c in contact_rows], dtype="string"),
            "consent_withdrawn_at": [_date(c.get("consent_withdrawn_at")) for c in contact_rows],
            "record_ids": pd.Series([records[-1]["record_id"]] * len(contact_rows), dtype="string"),
        }
    )
    asks = scenario.get("requests") or []
    requests = pd.DataFrame(
        {
            "request_id": [f"r{i}" for i in range(len(asks))],
            "type": [r["type"] for r in asks],
            "received_at": [_date(r["received_at"]) for r in asks],
            "status": "matched",
            "golden_id": GOLDEN_ID,
            "contact_id": pd.Series([r.get("contact") for r in asks], dtype="string"),
        }
    )
    return {
        "golden": golden,
        "records": records_frame,
        "transactions": transactions,
        "interactions": interactions,
        "contacts": contacts,
        "privacy_requests": requests,
    }


def as_of(scenario: dict[str, Any]) -> dt.date:
    value = scenario["as_of"]
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
