"""A customer's bookings as documents: what the accountant meant, in integer cents.

Transactions arrive one row per booking line. Before anything is added up they become:

- **invoices**: invoice lines netted per (customer, document number): the lines of one invoice
  (several revenue accounts) add up, and a reversal (``Generalumkehr``) with the same number
  cancels it; a fully cancelled invoice disappears. Lines without a number are one invoice each.
- **debits** that are not invoices (refunds paid out, other positive lines): they consume
  payments like an invoice but are no revenue.
- **credits** (payments, credit notes, cash discounts, write-offs, unmatched reversals): what
  lowers the customer's balance, as positive cents.
- **revenue lines**: netted invoices (at the invoice date) plus credit notes and returns and
  reversals that match no invoice (at their own date).

Only rows dated on or before the as-of day count; amounts in other currencies are converted with
the configured rates or kept apart (listed per customer in ``other_currencies``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from dq.enrich.settings import ValueSettings

__all__ = ["Ledger", "build_ledger"]

log = logging.getLogger(__name__)

# Document types that lower revenue (they are credit notes of some kind).
REVENUE_CREDITS = ("credit_note", "return")


@dataclass(frozen=True)
class Ledger:
    """The documents of every customer (codes index ``customers``)."""

    customers: pd.Index
    invoices: pd.DataFrame  # code, number, date, due, cents (> 0)
    debits: pd.DataFrame  # code, date, cents (> 0): non-invoice debits (refunds …)
    credits: pd.DataFrame  # code, number, date, cents (> 0)
    revenue: pd.DataFrame  # code, date, cents (signed)
    credit_notes: pd.DataFrame  # code, date: one row per credit note or return line
    other_currencies: pd.Series  # per customer code: ";"-joined currencies kept apart
    unlinked: int  # rows whose golden_id is not a golden customer
    undated: int  # rows without a document date
    future: int  # rows dated after as-of
    kept_apart: int  # rows in a currency without a rate
    no_amount: int  # rows without an amount


def _cents(transactions: pd.DataFrame, settings: ValueSettings) -> tuple[pd.Series, pd.Series]:
    """Amounts in main-currency cents, and the currency of each row without a rate (else NA)."""
    currency = transactions["currency"].astype("string").str.strip().str.upper()
    currency = currency.fillna(settings.main_currency).replace("", settings.main_currency)
    rates = {**settings.exchange_rates, settings.main_currency: 1.0}
    rate = currency.map(rates).astype("float64")
    amount = pd.to_numeric(transactions["amount"], errors="coerce").astype("float64")
    cents = (amount * rate * 100).round()
    apart = currency.where(rate.isna())
    return cents, apart


def build_ledger(
    customers: pd.Index, transactions: pd.DataFrame, settings: ValueSettings, as_of: date
) -> Ledger:
    """Turn transaction rows (with ``golden_id``) into the documents of each customer."""
    tx = transactions
    code = customers.get_indexer(pd.Index(tx["golden_id"].astype("string")))
    doc_date = pd.to_datetime(tx["doc_date"], errors="coerce")
    cents, apart = _cents(tx, settings)
    linked = code >= 0
    dated = doc_date.notna().to_numpy()
    in_time = (doc_date <= pd.Timestamp(as_of)).to_numpy()
    has_amount = pd.to_numeric(tx["amount"], errors="coerce").notna().to_numpy()
    keep_base = linked & dated & in_time & has_amount
    if (linked & ~has_amount).any():
        log.warning("%d transactions have no amount", int((linked & ~has_amount).sum()))

    frame = pd.DataFrame(
        {
            "code": code,
            "type": tx["doc_type"].astype("string").fillna("other").to_numpy(),
            "number": tx["doc_number"].astype("string").str.strip().replace("", pd.NA).array,
            "date": doc_date.to_numpy(),
            "due": pd.to_datetime(tx["due_date"], errors="coerce").to_numpy(),
        }
    )
    is_apart = apart.notna().to_numpy() & keep_base
    other = (
        pd.DataFrame({"code": code[is_apart], "cur": apart.to_numpy()[is_apart]})
        .drop_duplicates()
        .sort_values(["code", "cur"])
        .groupby("code")["cur"]
        .agg(";".join)
    )
    keep = keep_base & ~is_apart
    frame = frame[keep].reset_index(drop=True)
    frame["cents"] = cents.to_numpy()[keep].astype(np.int64)

    n_numbers = frame["number"].nunique()
    number_code = pd.factorize(frame["number"], use_na_sentinel=True)[0].astype(np.int64)
    # A line without a number is a document of its own.
    alone = number_code < 0
    number_code[alone] = n_numbers + np.flatnonzero(alone)
    span = n_numbers + len(frame) + 1
    key = frame["code"].to_numpy(dtype=np.int64) * span + number_code

    is_invoice = (frame["type"] == "invoice").to_numpy()
    is_reversal = (frame["type"] == "reversal").to_numpy()
    cents_arr = frame["cents"].to_numpy()
    cancels = is_reversal & (cents_arr < 0) & np.isin(key, key[is_invoice]) & ~alone
    in_invoice = is_invoice | cancels

    inv = frame[in_invoice].assign(key=key[in_invoice], pos=is_invoice[in_invoice])
    inv["first"] = inv["date"].where(inv["pos"])
    inv["due_first"] = inv["due"].where(inv["pos"])
    docs = inv.groupby("key", sort=False).agg(
        code=("code", "first"),
        number=("number", "first"),
        date=("first", "min"),
        due=("due_first", "min"),
        cents=("cents", "sum"),
    )
    docs = docs.reset_index(drop=True)
    over = docs[docs["cents"] < 0]  # reversed by more than was invoiced: the excess is a credit
    invoices = docs[docs["cents"] > 0].reset_index(drop=True)

    rest = frame[~in_invoice]
    rest_cents = rest["cents"].to_numpy()
    debits = rest.loc[rest_cents > 0, ["code", "date", "cents"]].reset_index(drop=True)
    credits = pd.concat(
        [
            rest.loc[rest_cents < 0, ["code", "number", "date", "cents"]].assign(
                cents=lambda f: -f["cents"]
            ),
            over[["code", "number", "date", "cents"]].assign(cents=lambda f: -f["cents"]),
        ],
        ignore_index=True,
    )

    lowers = rest["type"].isin(REVENUE_CREDITS).to_numpy() | (
        (rest["type"] == "reversal").to_numpy() & (rest_cents < 0)
    )
    revenue = pd.concat(
        [docs[["code", "date", "cents"]], rest.loc[lowers, ["code", "date", "cents"]]],
        ignore_index=True,
    )
    notes = rest.loc[rest["type"].isin(REVENUE_CREDITS).to_numpy(), ["code", "date"]]
    return Ledger(
        customers=customers,
        invoices=invoices,
        debits=debits,
        credits=credits,
        revenue=revenue,
        credit_notes=notes.reset_index(drop=True),
        other_currencies=other,
        unlinked=int((~linked).sum()),
        undated=int((linked & ~dated).sum()),
        future=int((linked & dated & ~in_time).sum()),
        kept_apart=int(is_apart.sum()),
        no_amount=int((linked & ~has_amount).sum()),
    )
