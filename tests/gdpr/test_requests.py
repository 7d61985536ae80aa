"""Privacy requests matched to golden customers and contacts (dq.gdpr.requests)."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dq.gdpr.requests import PRIVACY_REQUEST_COLUMNS, match_requests

GOLDEN = pd.DataFrame(
    {
        "golden_id": ["G-muster", "G-anna-hh", "G-anna-m", "G-meier", "G-shared1", "G-shared2"],
        "party_type": ["company", "person", "person", "company", "company", "company"],
        "company_name": ["Muster GmbH", None, None, "Hans Meier e.K.", "Alpha GmbH", "Beta GmbH"],
        "first_name": [None, "Anna", "Anna", None, None, None],
        "last_name": [None, "Schmidt", "Schmidt", None, None, None],
        "postcode": ["10115", "20095", "80331", "50667", "01067", "01069"],
        "email": ["info@muster.de", "anna@example.org", None, "hans@meier-handel.de", None, None],
        "phone": ["+493012345678", None, None, None, "+49351111111", "+49351111111"],
        "customer_number": ["10001", "10002", "10003", "10004", "10005", "10006"],
    }
)
CONTACTS = pd.DataFrame(
    {
        "contact_id": ["C-weber", "C-klein"],
        "golden_id": ["G-muster", "G-muster"],
        "first_name": ["Jörg", "Petra"],
        "last_name": ["Weber", "Klein"],
        "email": ["j.weber@muster.de", "p.klein@muster.de"],
        "phone": [None, None],
        "mobile": ["+491701234567", None],
    }
)


def _one(**fields: str) -> pd.Series:
    request = {"request_id": "R1", "type": "erasure", "received_at": "2025-11-20", **fields}
    return match_requests(pd.DataFrame([request]), GOLDEN, CONTACTS).iloc[0]


@pytest.mark.parametrize(
    ("fields", "golden_id", "contact_id", "evidence"),
    [
        ({"email": "J.Weber@Muster.DE "}, "G-muster", "C-weber", "email"),
        ({"phone": "0170 1234567"}, "G-muster", "C-weber", "phone"),
        ({"customer_number": "10003"}, "G-anna-m", None, "customer_number"),
        ({"name": "Schmidt, Anna", "postcode": "20095"}, "G-anna-hh", None, "name+postcode"),
        ({"name": "Frau Anna Schmidt", "postcode": "80331"}, "G-anna-m", None, "name+postcode"),
        ({"email": "hans@meier-handel.de", "customer_number": "10004"}, "G-meier", None,
         "customer_number,email"),
        # the company's customer number and the contact's e-mail: the contact is the person
        ({"email": "p.klein@muster.de", "customer_number": "10001"}, "G-muster", "C-klein",
         "customer_number,email"),
    ],
)  # fmt: skip
def test_matched(
    fields: dict[str, str], golden_id: str, contact_id: str | None, evidence: str
) -> None:
    row = _one(**fields)
    assert row["status"] == "matched"
    assert row["golden_id"] == golden_id
    assert (None if pd.isna(row["contact_id"]) else row["contact_id"]) == contact_id
    assert row["evidence"] == evidence


@pytest.mark.parametrize(
    ("fields", "candidates"),
    [
        # a name alone is no evidence: both Anna Schmidts are listed, neither is chosen
        ({"name": "Anna Schmidt"}, "G-anna-hh;G-anna-m"),
        # one phone number shared by two customers
        ({"phone": "0351 111111"}, "G-shared1;G-shared2"),
        # e-mail says one person, customer number another
        ({"email": "anna@example.org", "customer_number": "10003"}, "G-anna-hh;G-anna-m"),
        # two contacts at the same customer
        ({"email": "p.klein@muster.de", "phone": "+49 170 1234567"}, "G-muster/C-klein;G-muster/C-weber"),
        # a name that sounds alike (the matcher's phonetic key) is a candidate, not a match
        ({"name": "Anna Schmitt", "postcode": "20095"}, "G-anna-hh;G-anna-m"),
        # even when only one person fits the name: a name alone is never evidence
        ({"name": "Jörg Weber"}, "G-muster/C-weber"),
        ({"first_name": "Joerg", "last_name": "Webber"}, "G-muster/C-weber"),
    ],
)  # fmt: skip
def test_ambiguous_lists_candidates(fields: dict[str, str], candidates: str) -> None:
    row = _one(**fields)
    assert row["status"] == "ambiguous"
    assert row["candidates"] == candidates
    assert pd.isna(row["golden_id"]) and pd.isna(row["contact_id"])


@pytest.mark.parametrize(
    "fields",
    [
        {"email": "nobody@example.org"},
        {"customer_number": "99999"},
        {"name": "Erika Mustermann", "postcode": "10115"},
        {},
    ],
)
def test_unmatched(fields: dict[str, str]) -> None:
    row = _one(**fields)
    assert row["status"] == "unmatched"
    assert pd.isna(row["golden_id"])


@pytest.mark.parametrize(
    ("type_", "received", "reason"),
    [
        ("Kündigung", "2025-11-20", "unknown request type"),
        ("erasure", "", "received_at is missing"),
        ("erasure", "sometime", "received_at is missing or not a date"),
    ],
)
def test_invalid_requests_keep_their_row(type_: str, received: str, reason: str) -> None:
    frame = pd.DataFrame(
        [{"request_id": "R9", "type": type_, "received_at": received, "email": "info@muster.de"}]
    )
    row = match_requests(frame, GOLDEN, CONTACTS).iloc[0]
    assert row["status"] == "invalid"
    assert reason in row["reason"]
    assert pd.isna(row["golden_id"])


def test_answer_due_one_month_and_columns() -> None:
    frame = pd.DataFrame(
        [
            {"request_id": "R1", "type": "Access", "received_at": "2024-01-31"},
            {"request_id": "R2", "type": "objection", "received_at": "2025-03-31"},
        ]
    )
    out = match_requests(frame, GOLDEN, CONTACTS)
    assert tuple(out.columns) == PRIVACY_REQUEST_COLUMNS
    assert out["type"].tolist() == ["access", "objection"]
    assert out["answer_due"].tolist() == [pd.Timestamp("2024-02-29"), pd.Timestamp("2025-04-30")]
    # no identifying value of the requester is copied into the table
    assert not {"email", "name", "phone", "postcode"} & set(out.columns)


_FIELD = st.sampled_from(
    ["info@muster.de", "anna@example.org", "10001", "10003", "Anna Schmidt", "+49351111111", "x"]
)


@settings(max_examples=25)
@given(st.lists(st.tuples(_FIELD, _FIELD), min_size=1, max_size=6))
def test_every_request_ends_in_exactly_one_row(values: list[tuple[str, str]]) -> None:
    frame = pd.DataFrame(
        {
            "request_id": [f"R{i}" for i in range(len(values))],
            "type": "erasure",
            "received_at": "2025-01-01",
            "email": [a if "@" in a else None for a, _ in values],
            "customer_number": [b if b.isdigit() else None for _, b in values],
            "name": [a if " " in a else None for a, _ in values],
        }
    )
    out = match_requests(frame, GOLDEN, CONTACTS)
    assert out["request_id"].tolist() == frame["request_id"].tolist()
    assert out["status"].isin(["matched", "ambiguous", "unmatched", "invalid"]).all()
    matched = out["status"] == "matched"
    assert out.loc[matched, "golden_id"].notna().all()
    assert out.loc[~matched, "golden_id"].isna().all()


def test_long_candidate_lists_are_cut() -> None:
    many = pd.DataFrame(
        {
            "golden_id": [f"G{i:02d}" for i in range(14)],
            "party_type": "person",
            "first_name": "Thomas",
            "last_name": "Müller",
            "postcode": [f"{10000 + i}" for i in range(14)],
        }
    )
    frame = pd.DataFrame(
        [
            {
                "request_id": "R1",
                "type": "access",
                "received_at": "2025-01-01",
                "name": "Thomas Müller",
            }
        ]
    )
    row = match_requests(frame, many).iloc[0]
    assert row["status"] == "ambiguous"
    assert row["candidates"] == ";".join(f"G{i:02d}" for i in range(10)) + ";(+4 more)"


def test_a_whole_name_in_one_field_is_split_for_matching() -> None:
    """A request log with one `Name` column ("Claudia Sommer") matches like first + last name."""
    from dq.gdpr.requests import _standardized

    requests = pd.DataFrame(
        {
            "name": ["Claudia Sommer", "Herr Dr. Hans Schmidt", None],
            "last_name": [None, None, "Meier"],
            "first_name": [None, None, "Anna"],
        }
    )
    std = _standardized(requests)
    assert std[["first_name", "last_name"]].values.tolist() == [
        ["Claudia", "Sommer"],
        ["Hans", "Schmidt"],
        ["Anna", "Meier"],
    ]
    assert std["name_key"].notna().all()
