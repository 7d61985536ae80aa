"""Invariants of the verdicts on random customers (hypothesis)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from dq.gdpr.policy import load_policy
from dq.gdpr.retention import retention

POLICY = load_policy()
DAYS = st.dates(min_value=dt.date(2005, 1, 1), max_value=dt.date(2026, 12, 31))
CUSTOMER = st.fixed_dictionaries(
    {
        "bookings": st.lists(DAYS, max_size=3),
        "letters": st.lists(
            st.tuples(DAYS, st.sampled_from(["offer", "order", "other"])), max_size=2
        ),
        "activity": st.one_of(st.none(), DAYS),
        "erasure": st.one_of(st.none(), DAYS),
        "hold": st.booleans(),
    }
)


def _tables(customers: list[dict]) -> dict[str, pd.DataFrame]:
    ids = [f"G{i}" for i in range(len(customers))]
    golden = pd.DataFrame(
        {
            "golden_id": ids,
            "party_type": "company",
            "legal_form": "GMBH",
            "last_activity_at": pd.to_datetime([c["activity"] for c in customers]),
            "created_at": pd.Timestamp("2004-06-01"),
        }
    )
    tx = [(g, d) for g, c in zip(ids, customers, strict=True) for d in c["bookings"]]
    transactions = pd.DataFrame(
        {
            "golden_id": [g for g, _ in tx],
            "source": "datev",
            "doc_date": pd.to_datetime([d for _, d in tx]),
        }
    )
    ix = [(g, d, k) for g, c in zip(ids, customers, strict=True) for d, k in c["letters"]]
    interactions = pd.DataFrame(
        {"golden_id": [g for g, _, _ in ix], "date": pd.to_datetime([d for _, d, _ in ix]),
         "kind": [k for _, _, k in ix]}
    )  # fmt: skip
    asks = [
        (g, "erasure", c["erasure"]) for g, c in zip(ids, customers, strict=True) if c["erasure"]
    ]
    asks += [
        (g, "hold", dt.date(2005, 1, 1)) for g, c in zip(ids, customers, strict=True) if c["hold"]
    ]
    requests = pd.DataFrame(
        {"golden_id": [g for g, _, _ in asks], "type": [t for _, t, _ in asks],
         "received_at": pd.to_datetime([d for _, _, d in asks]), "status": "matched"}
    )  # fmt: skip
    return {"golden": golden, "transactions": transactions, "interactions": interactions,
            "requests": requests}  # fmt: skip


def _verdicts(tables: dict[str, pd.DataFrame], as_of: dt.date) -> pd.DataFrame:
    return retention(
        tables["golden"],
        POLICY,
        as_of,
        transactions=tables["transactions"],
        interactions=tables["interactions"],
        requests=tables["requests"],
    ).retention


@settings(max_examples=60)
@given(st.lists(CUSTOMER, min_size=1, max_size=8), DAYS, st.integers(min_value=1, max_value=4000))
def test_verdict_invariants(customers: list[dict], as_of: dt.date, later_by: int) -> None:
    tables = _tables(customers)
    today = pd.Timestamp(as_of)
    out = _verdicts(tables, as_of)
    keep, restrict, delete = (out["action"] == a for a in ("keep", "restrict", "delete"))
    held = out["rule"] == "legal_hold"
    assert (keep | restrict | delete).all()
    assert out.loc[keep, "due_date"].isna().all()
    assert out.loc[restrict, "due_date"].notna().all()
    assert (out.loc[restrict, "delete_after"] > today).all()
    assert (
        out.loc[delete, "due_date"].notna().all() and out.loc[delete, "delete_after"].isna().all()
    )
    assert held.eq(pd.Series([c["hold"] for c in customers])).all()
    # a kept customer's next step lies ahead; restricted and deleted ones have none
    pending = keep & ~held & out["next_due"].notna()
    assert (out.loc[pending, "next_due"] > today).all()
    assert out.loc[~keep, "next_due"].isna().all()
    # customers are those with bookings, and their last booking is the latest booking
    booked = pd.Series([bool(c["bookings"]) for c in customers])
    assert out["customer_status"].eq(booked.map({True: "customer", False: "prospect"})).all()
    # time only moves verdicts forward: a deleted customer is never kept or restricted later
    after = _verdicts(tables, as_of + dt.timedelta(days=later_by))
    assert (after.loc[delete, "action"] == "delete").all()
    assert not ((after["action"] == "keep") & restrict & ~held).any()
