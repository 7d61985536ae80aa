"""Payment allocation: invariants over random ledgers, and the two matching steps by hand."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from dq.enrich.ledger import build_ledger
from dq.enrich.payments import settle
from dq.enrich.settings import ValueSettings
from tests.enrich.ledgers import ledger

AS_OF = date(2025, 6, 30)

_row = st.tuples(
    st.sampled_from(["a", "b", "c"]),
    st.sampled_from(["invoice", "payment", "credit_note", "refund", "write_off", "reversal"]),
    st.sampled_from([None, "R-1", "R-2", "R-3"]),
    st.dates(date(2024, 1, 1), date(2025, 6, 30)).map(str),
    st.integers(1, 100_000).map(lambda c: c / 100),
)


def _signed(rows: list[tuple[str, str, str | None, str, float]]) -> list[tuple[object, ...]]:
    credit = {"payment", "credit_note", "write_off"}
    return [(g, t, n, d, -a if t in credit else a) for g, t, n, d, a in rows]


@given(st.lists(_row, max_size=40), st.booleans())
def test_open_items_add_up_to_the_positive_balance(rows: list, reversed_sign: bool) -> None:
    tx = ledger(*_signed(rows))
    if reversed_sign and len(tx):
        tx.loc[tx["doc_type"] == "reversal", "amount"] *= -1
    customers = pd.Index(["a", "b", "c"], dtype="string")
    led = build_ledger(customers, tx, ValueSettings(), AS_OF)
    result = settle(led, 14)
    open_per = np.bincount(result.open_code, weights=result.open_cents, minlength=3)
    cents = (tx["amount"] * 100).round().astype(np.int64)
    balance = (
        cents.groupby(tx["golden_id"].astype(str)).sum().reindex(["a", "b", "c"], fill_value=0)
    )
    # Every cent is accounted for: what is open is the balance where the customer owes money.
    assert open_per.tolist() == np.maximum(balance.to_numpy(), 0).tolist()
    # A settled invoice is settled on or after its date.
    settled = ~np.isnat(result.invoice_settled)
    assert (result.invoice_settled[settled] >= led.invoices["date"][settled]).all()


def test_number_first_then_oldest_open_invoice() -> None:
    tx = ledger(
        ("a", "invoice", "R-1", "2025-01-01", 100.0),
        ("a", "invoice", "R-2", "2025-02-01", 100.0),
        ("a", "invoice", "R-3", "2025-03-01", 100.0),
        ("a", "payment", "R-3", "2025-03-05", -100.0),  # by number: R-3, although R-1 is older
        ("a", "payment", None, "2025-03-10", -150.0),  # oldest first: R-1, half of R-2
    )
    led = build_ledger(pd.Index(["a"], dtype="string"), tx, ValueSettings(), AS_OF)
    result = settle(led, 14)
    assert [str(d)[:10] for d in result.invoice_settled] == ["2025-03-10", "NaT", "2025-03-05"]
    assert result.open_cents.tolist() == [5000]
    assert str(result.open_due[0])[:10] == "2025-02-15"


def test_overpaid_number_spills_to_the_next_invoice() -> None:
    tx = ledger(
        ("a", "invoice", "R-1", "2025-01-01", 100.0),
        ("a", "invoice", "R-2", "2025-01-02", 100.0),
        ("a", "payment", "R-2", "2025-01-20", -200.0),
    )
    led = build_ledger(pd.Index(["a"], dtype="string"), tx, ValueSettings(), AS_OF)
    result = settle(led, 14)
    assert [str(d)[:10] for d in result.invoice_settled] == ["2025-01-20", "2025-01-20"]
    assert len(result.open_cents) == 0


def test_prepayment_settles_on_the_invoice_date() -> None:
    tx = ledger(
        ("a", "payment", None, "2025-01-01", -50.0), ("a", "invoice", "R-1", "2025-01-10", 50.0)
    )
    led = build_ledger(pd.Index(["a"], dtype="string"), tx, ValueSettings(), AS_OF)
    assert str(settle(led, 14).invoice_settled[0])[:10] == "2025-01-10"


def test_invoice_lines_with_one_number_are_one_invoice() -> None:
    # DATEV books one invoice over two revenue accounts as two lines with one Belegfeld 1.
    tx = ledger(
        ("a", "invoice", "R-1", "2025-01-01", 100.0), ("a", "invoice", "R-1", "2025-01-01", 19.0)
    )
    led = build_ledger(pd.Index(["a"], dtype="string"), tx, ValueSettings(), AS_OF)
    assert led.invoices["cents"].tolist() == [11900]
