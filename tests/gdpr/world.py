"""A small world of four customers for manifest, redaction and stage tests (as of 2025-12-07).

G1 purpose ended in 2023, books run to 2030 → restrict; two records (DATEV, CRM) and a contact.
G2 everything expired → delete. G3 active → keep, restriction upcoming 2029-01-01.
G4 expired but under legal hold → keep.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from dq.schema import INTERACTION_COLUMNS, RECORD_COLUMNS, TRANSACTION_COLUMNS, conform

AS_OF = dt.date(2025, 12, 7)


def world() -> dict[str, pd.DataFrame]:
    golden = pd.DataFrame(
        {
            "golden_id": ["G1", "G2", "G3", "G4"],
            "party_type": ["company"] * 4,
            "company_name": ["Alpha Handel GmbH", "Hans Meier e.K.", "Gamma AG", "Delta KG"],
            "legal_form": ["GMBH", "EK", "AG", "KG"],
            "email": ["info@alpha.de", "hans@meier.de", "info@gamma.de", "info@delta.de"],
            "iban": ["DE02120300000000202051"] * 4,
            "customer_number": ["10001", "10002", "10003", "10004"],
            "industry": ["Handel"] * 4,
        }
    )
    records = conform(
        pd.DataFrame(
            {
                "record_id": ["datev:10001", "crm:0011", "crm:0031", "datev:10002", "datev:10003",
                              "datev:10004"],
                "source": ["datev", "crm", "crm", "datev", "datev", "datev"],
                "source_key": ["10001", "0011", "0031", "10002", "10003", "10004"],
                "company_name": ["Alpha Handel GmbH", "Alpha Handel", None, "Hans Meier e.K.",
                                 "Gamma AG", "Delta KG"],
                "first_name": [None, None, "Jörg", None, None, None],
                "last_name": [None, None, "Weber", None, None, None],
                "email": ["info@alpha.de", "info@alpha.de", "j.weber@alpha.de", "hans@meier.de",
                          "info@gamma.de", "info@delta.de"],
                "iban": ["DE02120300000000202051", None, None, None, None, None],
            }
        ),
        RECORD_COLUMNS,
    )  # fmt: skip
    records["golden_id"] = ["G1", "G1", "G1", "G2", "G3", "G4"]
    records["contact_id"] = pd.array([None, None, "C1", None, None, None], dtype="string")
    transactions = conform(
        pd.DataFrame(
            {
                "record_id": ["datev:10001", "datev:10002", "datev:10003", "datev:10004"],
                "source": "bookings",
                "doc_type": "invoice",
                "doc_date": pd.to_datetime(
                    ["2019-03-15", "2012-06-30", "2025-05-01", "2012-06-30"]
                ),
                "amount": 119.0,
            }
        ),
        TRANSACTION_COLUMNS,
    )
    transactions["golden_id"] = ["G1", "G2", "G3", "G4"]
    interactions = conform(
        pd.DataFrame(
            {
                "record_id": ["crm:0011", "datev:10002"],
                "source": "notes",
                "date": pd.to_datetime(["2019-02-01", "2012-01-01"]),
                "channel": "call",
                "kind": "other",
                "text": ["Rückruf wegen Lieferung", "Reklamation"],
            }
        ),
        INTERACTION_COLUMNS,
    )
    interactions["golden_id"] = ["G1", "G2"]
    contacts = pd.DataFrame(
        {
            "contact_id": pd.array(["C1"], dtype="string"),
            "golden_id": pd.array(["G1"], dtype="string"),
            "first_name": ["Jörg"],
            "last_name": ["Weber"],
            "email": ["j.weber@alpha.de"],
            "record_ids": pd.array(["crm:0031"], dtype="string"),
        }
    )
    crosswalk = pd.DataFrame(
        {
            "record_id": records["record_id"],
            "golden_id": records["golden_id"],
            "contact_id": records["contact_id"],
            "role": ["customer", "customer", "contact", "customer", "customer", "customer"],
        }
    )
    requests = pd.DataFrame(
        {
            "request_id": ["R1", "R2"],
            "type": ["hold", "access"],
            "received_at": ["2025-01-10", "2025-11-30"],
            "customer_number": ["10004", None],
            "email": [None, "nobody@example.org"],
        }
    )
    return {
        "golden": golden,
        "records": records,
        "transactions": transactions,
        "interactions": interactions,
        "contacts": contacts,
        "crosswalk": crosswalk,
        "_requests": requests,  # as the ingest stage hands the request log on
    }
