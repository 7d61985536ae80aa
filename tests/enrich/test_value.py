"""customer_value on hand-built ledgers: exact values for every column.

Each expected number is worked out by hand in the comments, from the issue's definitions.
"""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pandas as pd
import pytest

from dq.enrich.settings import TierRule, ValueSettings
from dq.enrich.value import VALUE_COLUMNS, compute_value, customer_value, months_back
from tests.enrich.ledgers import golden, ledger, notes

AS_OF = date(2025, 1, 15)


def row(table: pd.DataFrame, gid: str) -> dict[str, object]:
    found = table[table["golden_id"] == gid]
    assert len(found) == 1
    out: dict[str, object] = {}
    for key, value in found.iloc[0].items():
        if value is pd.NA or value is pd.NaT:
            value = None
        elif isinstance(value, np.generic):
            value = value.item()
        out[str(key)] = value
    return out


def values(series: pd.Series) -> list[object]:
    return [None if v is pd.NA else v for v in series.tolist()]


def ts(day: str) -> pd.Timestamp:
    return pd.Timestamp(day)


def test_regular_customer_every_column() -> None:
    """Invoices over a year boundary, payments by number and without, a partial payment, a
    credit note, a complaint and a return note."""
    tx = ledger(
        # R-1 paid by number after 11 days; due = invoice + 14 days = 2023-12-04: 3 days early.
        ("A", "invoice", "R-1", "2023-11-20", 1000.0),
        ("A", "payment", "R-1", "2023-12-01", -1000.0),
        # R-2 due 2024-01-31 (from the booking): 300 without number on 02-10, 200 by number on
        # 02-20 -> settled 2024-02-20: 41 days to pay, 20 days late.
        ("A", "invoice", "R-2", "2024-01-10", 500.0, "2024-01-31"),
        ("A", "payment", None, "2024-02-10", -300.0),
        ("A", "payment", "R-2", "2024-02-20", -200.0),
        # R-3 on new year's eve, due 2025-01-14; a credit note (no matching number) of 100 and a
        # partial payment of 400 leave 300 open, one day past due at as-of.
        ("A", "invoice", "R-3", "2024-12-31", 800.0),
        ("A", "credit_note", "GS-1", "2025-01-05", -100.0),
        ("A", "payment", None, "2025-01-10", -400.0),
    )
    it = notes(
        ("A", "2024-06-01", "complaint"),
        ("A", "2024-06-03", "return"),
        ("A", "2023-12-24", "complaint"),
    )
    out = customer_value(golden("A", activity={"A": "2024-11-30"}), tx, it, ValueSettings(), AS_OF)
    assert list(out.columns) == list(VALUE_COLUMNS)
    got = row(out, "A")
    expected = {
        "golden_id": "A",
        # 12 months = (2024-01-15, 2025-01-15]: R-3 800 - GS-1 100.
        "revenue_12m": 700.0,
        # (2023-01-15, 2024-01-15]: R-1 1000 + R-2 500.
        "revenue_prev_12m": 1500.0,
        "revenue_total": 2200.0,
        "revenue_trend": -53.33,  # (700 - 1500) / 1500
        "invoices_12m": 1,
        "credit_notes_12m": 1,
        "first_invoice": ts("2023-11-20"),
        "last_invoice": ts("2024-12-31"),
        # gaps 51 and 356 days (2024 is a leap year): median 203.5, 80th percentile
        # 51 + 0.8 * 305 = 295 -> next order due 2024-12-31 + 295 days.
        "median_order_gap_days": 203.5,
        "reorder_due": ts("2025-10-22"),
        "reorder_overdue": False,
        "open_balance": 300.0,
        "overdue_balance": 300.0,
        "days_to_pay_median": 26.0,  # median(11, 41)
        "days_late_median": 8.5,  # median(-3, 20)
        # not risky: 1 day past due, open 300 <= 50 % of 700; late: 8.5 > 7
        "payment_class": "late",
        "prepayment_recommended": False,
        "complaints_12m": 1,
        "returns_12m": 2,  # one return note + one credit note
        "last_complaint": ts("2024-06-01"),
        "last_contact": ts("2024-11-30"),  # the record's activity date is later than the notes
        "abc": "A",
        "rfm_r": 5,
        "rfm_f": 5,
        "rfm_m": 5,
        "rfm_segment": "Champions",
        "lifecycle": "active",
        "value_tier": "bronze",  # a late payer below the silver floor of 2,000
        "currency": "EUR",
        "other_currencies": None,
    }
    assert got == expected


def test_one_invoice_customer_has_no_rhythm() -> None:
    tx = ledger(("B", "invoice", "R-1", "2024-12-01", 2500.0))
    got = row(customer_value(golden("B"), tx, notes(), ValueSettings(), AS_OF), "B")
    assert got["median_order_gap_days"] is None or math.isnan(got["median_order_gap_days"])
    assert got["reorder_due"] is None
    assert got["reorder_overdue"] is None
    assert got["lifecycle"] == "new"  # first invoice 45 days before as-of
    assert got["open_balance"] == 2500.0
    assert got["overdue_balance"] == 2500.0  # due 2024-12-15
    assert got["payment_class"] == "risky"  # 2,500 open > 50 % of 2,500 revenue
    assert got["prepayment_recommended"] is True
    assert got["value_tier"] == "watch"
    assert math.isnan(got["days_to_pay_median"])


def test_prospect_without_invoices() -> None:
    got = row(
        customer_value(
            golden("P"), ledger(), notes(("P", "2024-05-05", "offer")), ValueSettings(), AS_OF
        ),
        "P",
    )
    assert got["lifecycle"] == "prospect"
    assert got["payment_class"] is None
    assert got["prepayment_recommended"] is False
    assert got["revenue_12m"] == 0.0 and got["revenue_total"] == 0.0
    assert got["revenue_trend"] is None or math.isnan(got["revenue_trend"])
    assert got["abc"] is None and got["rfm_segment"] is None and got["rfm_r"] is None
    assert got["last_contact"] == ts("2024-05-05")
    assert got["invoices_12m"] == 0


def test_two_debtor_accounts_add_up() -> None:
    # Two records of one golden customer (DATEV 10001 and 10017): one row, summed.
    tx = ledger(
        ("G", "invoice", "R-1", "2024-10-01", 100.0), ("G", "invoice", "R-9", "2024-11-01", 50.0)
    )
    tx.loc[1, "record_id"] = "datev:10017"
    out = customer_value(golden("G"), tx, notes(), ValueSettings(), AS_OF)
    assert len(out) == 1
    assert row(out, "G")["revenue_12m"] == 150.0


@pytest.mark.parametrize(
    ("as_of", "in_12m", "in_prev"),
    [
        # Leap day: 12 months before 2024-02-29 is 2023-02-28; the window is (2023-02-28, 2024-02-29].
        (date(2024, 2, 29), ["2023-03-01", "2024-02-29"], ["2023-02-28", "2022-03-01"]),
        # A year later the window (2024-02-28, 2025-02-28] holds the leap day.
        (date(2025, 2, 28), ["2024-02-29", "2025-02-28"], ["2024-02-28", "2023-03-01"]),
        # Year end: (2023-12-31, 2024-12-31].
        (date(2024, 12, 31), ["2024-01-01", "2024-12-31"], ["2023-12-31", "2023-01-01"]),
    ],
)
def test_window_boundaries(as_of: date, in_12m: list[str], in_prev: list[str]) -> None:
    days = [*in_12m, *in_prev, "2030-01-01"]  # the last is after as-of: ignored, counted
    amounts = [1.0, 2.0, 10.0, 20.0, 1000.0]
    tx = ledger(
        *[
            ("W", "invoice", f"R-{i}", d, a)
            for i, (d, a) in enumerate(zip(days, amounts, strict=True))
        ]
    )
    result = compute_value(golden("W"), tx, notes(), ValueSettings(), as_of)
    got = row(result.table, "W")
    assert (got["revenue_12m"], got["revenue_prev_12m"], got["revenue_total"]) == (3.0, 30.0, 33.0)
    assert got["invoices_12m"] == 2
    assert result.counts.after_as_of == 1


def test_months_back_clamps_to_month_end() -> None:
    assert months_back(date(2024, 2, 29), 12) == date(2023, 2, 28)
    assert months_back(date(2024, 2, 29), 48) == date(2020, 2, 29)
    assert months_back(date(2025, 3, 31), 1) == date(2025, 2, 28)
    assert months_back(date(2025, 1, 15), 24) == date(2023, 1, 15)


def test_two_currencies() -> None:
    tx = ledger(
        ("C", "invoice", "R-1", "2024-06-01", 1000.0),
        ("C", "invoice", "U-1", "2024-07-01", 200.0, None, "USD"),
        ("C", "invoice", "S-1", "2024-08-01", 300.0, None, "CHF"),
        ("C", "payment", "S-1", "2024-08-10", -300.0, None, "CHF"),
    )
    # USD has a rate: converted; CHF has none: kept apart and flagged.
    settings = ValueSettings(exchange_rates={"usd": 0.9})
    result = compute_value(golden("C"), tx, notes(), settings, AS_OF)
    got = row(result.table, "C")
    assert got["revenue_12m"] == 1180.0  # 1000 + 200 * 0.9
    assert got["other_currencies"] == "CHF"
    assert got["open_balance"] == 1180.0
    assert result.counts.other_currency == 2
    # Without rates both foreign currencies are kept apart.
    got = row(customer_value(golden("C"), tx, notes(), ValueSettings(), AS_OF), "C")
    assert got["revenue_12m"] == 1000.0
    assert got["other_currencies"] == "CHF;USD"


def test_reversal_cancels_the_invoice() -> None:
    tx = ledger(
        ("R", "invoice", "R-1", "2024-10-01", 500.0),
        ("R", "reversal", "R-1", "2024-10-03", -500.0),
        ("R", "invoice", "R-2", "2024-11-01", 700.0),
        ("R", "reversal", None, "2024-11-05", -100.0),  # matches no invoice: lowers revenue
    )
    got = row(customer_value(golden("R"), tx, notes(), ValueSettings(), AS_OF), "R")
    assert got["invoices_12m"] == 1
    assert got["first_invoice"] == ts("2024-11-01")
    assert got["revenue_12m"] == 600.0
    assert got["open_balance"] == 600.0


def test_fully_reversed_customer_is_a_prospect() -> None:
    tx = ledger(
        ("Z", "invoice", "R-1", "2024-10-01", 500.0), ("Z", "reversal", "R-1", "2024-10-02", -500.0)
    )
    got = row(customer_value(golden("Z"), tx, notes(), ValueSettings(), AS_OF), "Z")
    assert got["lifecycle"] == "prospect"
    assert got["open_balance"] == 0.0


def test_write_off_refund_and_discount() -> None:
    tx = ledger(
        # 1000 invoiced, 980 paid + 20 discount: closed; revenue stays 1000.
        ("W", "invoice", "R-1", "2024-09-01", 1000.0),
        ("W", "payment", "R-1", "2024-09-10", -980.0),
        ("W", "discount", "R-1", "2024-09-10", -20.0),
        # 400 invoiced, written off: not a credit note, not a return, revenue stays.
        ("W", "invoice", "R-2", "2024-10-01", 400.0),
        ("W", "write_off", "R-2", "2024-12-01", -400.0),
        # An overpayment of 50 paid back.
        ("W", "payment", None, "2024-12-05", -50.0),
        ("W", "refund", None, "2024-12-06", 50.0),
    )
    got = row(customer_value(golden("W"), tx, notes(), ValueSettings(), AS_OF), "W")
    assert got["revenue_12m"] == 1400.0
    assert got["credit_notes_12m"] == 0 and got["returns_12m"] == 0
    assert got["open_balance"] == 0.0 and got["overdue_balance"] == 0.0
    assert got["days_to_pay_median"] == 35.0  # median(9, 61): write-off settles R-2 on 12-01


def test_risky_when_an_invoice_is_long_past_due() -> None:
    tx = ledger(
        ("L", "invoice", "R-1", "2024-09-01", 100.0),  # due 09-15, 122 days past due
        ("L", "invoice", "R-2", "2024-12-01", 10000.0),
        ("L", "payment", "R-2", "2024-12-05", -10000.0),
    )
    got = row(customer_value(golden("L"), tx, notes(), ValueSettings(), AS_OF), "L")
    assert got["payment_class"] == "risky"
    assert got["prepayment_recommended"] is True
    assert got["value_tier"] == "watch"
    # A threshold of 150 days makes the same customer an on-time payer (gold: >= 10,000).
    settings = ValueSettings(risky_days_past_due=150)
    got = row(customer_value(golden("L"), tx, notes(), settings, AS_OF), "L")
    assert (got["payment_class"], got["value_tier"]) == ("on_time", "gold")


def test_regular_buyer_with_overdue_reorder_is_at_risk() -> None:
    # Monthly buyer (gaps 30/31 days), last order 2024-10-15: usual gap ceil(p80) = 31 days
    # -> due 2024-11-15, overdue on 2025-01-15.
    days = ["2024-06-15", "2024-07-15", "2024-08-15", "2024-09-15", "2024-10-15"]
    tx = ledger(*[("M", "invoice", f"R-{i}", d, 100.0) for i, d in enumerate(days)])
    tx = pd.concat(
        [tx, ledger(*[("M", "payment", f"R-{i}", d, -100.0) for i, d in enumerate(days)])]
    )
    got = row(customer_value(golden("M"), tx, notes(), ValueSettings(), AS_OF), "M")
    assert got["median_order_gap_days"] == 30.5  # gaps 30, 31, 31, 30
    assert got["reorder_due"] == ts("2024-11-15")
    assert got["reorder_overdue"] is True
    assert got["lifecycle"] == "at_risk"
    assert got["days_to_pay_median"] == 0.0 and got["payment_class"] == "on_time"


def test_lost_after_24_months() -> None:
    tx = ledger(
        ("O", "invoice", "R-1", "2023-01-15", 100.0), ("O", "payment", "R-1", "2023-01-20", -100.0)
    )
    got = row(customer_value(golden("O"), tx, notes(), ValueSettings(), AS_OF), "O")
    assert got["lifecycle"] == "lost"  # last invoice exactly 24 months before as-of
    tx = ledger(
        ("O", "invoice", "R-1", "2023-01-16", 100.0), ("O", "payment", "R-1", "2023-01-20", -100.0)
    )
    got = row(customer_value(golden("O"), tx, notes(), ValueSettings(), AS_OF), "O")
    assert got["lifecycle"] == "active"


def test_same_day_invoices_count_once_for_the_rhythm() -> None:
    days = ["2024-10-01", "2024-10-01", "2024-11-01", "2024-12-01"]
    tx = ledger(*[("S", "invoice", f"R-{i}", d, 10.0) for i, d in enumerate(days)])
    got = row(customer_value(golden("S"), tx, notes(), ValueSettings(), AS_OF), "S")
    assert got["median_order_gap_days"] == 30.5  # gaps 31 and 30
    assert got["invoices_12m"] == 4


def test_abc_classes_by_cumulative_share() -> None:
    # Revenue 700, 200, 60, 40 of 1000: shares before each 0, 70 %, 90 %, 96 %: the customer
    # that crosses 80 % is still A.
    ids = ["a", "b", "c", "d", "e"]
    tx = ledger(
        *[
            (g, "invoice", "R", "2024-12-01", v)
            for g, v in zip(ids[:4], [700.0, 200.0, 60.0, 40.0], strict=True)
        ]
    )
    out = customer_value(golden(*ids), tx, notes(), ValueSettings(), AS_OF)
    assert values(out["abc"]) == ["A", "A", "B", "C", None]


def test_rfm_scores_and_german_labels() -> None:
    # Five buyers, each better than the previous in recency, frequency and money.
    rows = []
    for i, gid in enumerate(["r1", "r2", "r3", "r4", "r5"]):
        for k in range(i + 1):
            rows.append(
                (gid, "invoice", f"{gid}-{k}", f"2024-{2 + 2 * i:02d}-{1 + k:02d}", 100.0 * (i + 1))
            )
    out = customer_value(
        golden("r1", "r2", "r3", "r4", "r5"),
        ledger(*rows),
        notes(),
        ValueSettings(segment_labels="de"),
        AS_OF,
    )
    assert out["rfm_r"].tolist() == [1, 2, 3, 4, 5]
    assert out["rfm_f"].tolist() == [1, 2, 3, 4, 5]
    assert out["rfm_m"].tolist() == [1, 2, 3, 4, 5]
    assert out["rfm_segment"].tolist() == [
        "Verloren",
        "Schlafend",
        "Brauchen Aufmerksamkeit",
        "Treue Kunden",
        "Champions",
    ]


def test_custom_tiers() -> None:
    tiers = [TierRule(name="key", min_revenue_12m=100), TierRule(name="rest")]
    tx = ledger(
        ("a", "invoice", "R", "2024-12-20", 150.0), ("b", "invoice", "R", "2024-12-20", 50.0)
    )
    out = customer_value(golden("a", "b", "c"), tx, notes(), ValueSettings(tiers=tiers), AS_OF)
    assert out["value_tier"].tolist() == ["key", "rest", "rest"]


def test_rows_that_cannot_count_are_counted() -> None:
    tx = ledger(
        ("A", "invoice", "R-1", "2024-12-01", 10.0),
        ("X", "invoice", "R-2", "2024-12-01", 10.0),
        ("A", "invoice", "R-3", None, 5.0),
    )
    result = compute_value(golden("A"), tx, notes(), ValueSettings(), AS_OF)
    assert (result.counts.unlinked, result.counts.undated) == (1, 1)
    assert row(result.table, "A")["revenue_total"] == 10.0


def test_one_row_per_golden_customer_in_golden_order() -> None:
    out = customer_value(
        golden("z", "a", "m"),
        ledger(("a", "invoice", "R", "2024-12-01", 1.0)),
        notes(),
        ValueSettings(),
        AS_OF,
    )
    assert out["golden_id"].tolist() == ["z", "a", "m"]
