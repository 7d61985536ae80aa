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
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from dq.enrich._grouped import CodeArray, factorize, positions
from dq.enrich.settings import ValueSettings

__all__ = ["Columns", "Ledger", "build_ledger", "concat", "take"]

log = logging.getLogger(__name__)

# Document types that lower revenue (they are credit notes of some kind).
REVENUE_CREDITS = ("credit_note", "return")


Columns = dict[str, npt.NDArray[Any]]
"""Columns of equal length as plain numpy arrays: no pandas block copies at ten million rows."""


def take(columns: Columns, rows: npt.NDArray[Any]) -> Columns:
    """The rows ``rows`` (a mask or positions) of every column."""
    return {name: values[rows] for name, values in columns.items()}


def concat(*parts: Columns) -> Columns:
    """Stack tables with the same column names."""
    return {name: np.concatenate([p[name] for p in parts]) for name in parts[0]}


@dataclass(frozen=True)
class Ledger:
    """The documents of every customer (int32 codes index ``customers``). ``number`` columns
    hold an int32 code per document number (equal numbers, equal codes; -1: no number)."""

    customers: pd.Index
    invoices: Columns  # code, number, date, due, cents (> 0)
    debits: Columns  # code, date, cents (> 0): non-invoice debits (refunds …)
    credits: Columns  # code, number, date, cents (> 0)
    revenue: Columns  # code, date, cents (signed)
    credit_notes: Columns  # code, date: one row per credit note or return line
    other_currencies: pd.Series  # per customer code: ";"-joined currencies kept apart
    unlinked: int  # rows whose golden_id is not a golden customer
    undated: int  # rows without a document date
    future: int  # rows dated after as-of
    kept_apart: int  # rows in a currency without a rate
    no_amount: int  # rows without an amount


def _cents(
    transactions: pd.DataFrame, settings: ValueSettings
) -> tuple[npt.NDArray[np.float64], CodeArray, list[str | None], npt.NDArray[np.bool_]]:
    """Amounts in main-currency cents (NaN without amount or rate); per row the index of its
    currency among the distinct ones; per distinct currency its name if it has no rate; and
    per row whether it has an amount."""
    codes, uniques = factorize(transactions["currency"])
    names = pd.Series(uniques.astype("string")).str.strip().str.upper()
    names = names.where(names.notna() & (names != ""), settings.main_currency)
    rates = {**settings.exchange_rates, settings.main_currency: 1.0}
    # One entry per distinct currency, plus a last one for rows without (the main currency).
    rate_u = np.append(names.map(rates).astype("float64").to_numpy(), 1.0)
    apart_u: list[str | None] = [*(None if n in rates else str(n) for n in names), None]
    pick = np.where(codes >= 0, codes, np.int32(len(names)))
    del codes
    amount = pd.to_numeric(transactions["amount"], errors="coerce").to_numpy(dtype=np.float64)
    # amount * rate * 100, rounded, in one buffer (products commute exactly in IEEE 754)
    cents = rate_u[pick]
    cents *= amount
    cents *= 100
    np.round(cents, out=cents)
    return cents, pick, apart_u, ~np.isnan(amount)


def _dates(values: pd.Series) -> npt.NDArray[np.datetime64]:
    return pd.to_datetime(values, errors="coerce").to_numpy(dtype="datetime64[ns]")


def _first_per_key(
    key: npt.NDArray[np.int64],
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """(order that sorts ``key``, start of each run of equal keys in that order)."""
    order = np.argsort(key, kind="stable")
    sorted_key = key[order]
    starts = np.flatnonzero(np.r_[True, sorted_key[1:] != sorted_key[:-1]]) if len(key) else key
    return order, starts


def _isin(values: npt.NDArray[np.int64], among: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
    """Whether each of ``values`` (few) is in ``among`` (many), hashing only the few: ``among``
    is first cut to its members that are among ``values``."""
    hits = among[pd.Series(among).isin(values).to_numpy()]
    return np.asarray(pd.Series(values).isin(hits).to_numpy(), dtype=bool)


def build_ledger(
    customers: pd.Index, transactions: pd.DataFrame, settings: ValueSettings, as_of: date
) -> Ledger:
    """Turn transaction rows (with ``golden_id``) into the documents of each customer.

    Per-row arrays are int32 codes where they can be and each is dropped once used: at ten
    million rows every full-length column costs 40 to 80 MB.
    """
    tx = transactions
    # Document numbers are hashed first, while only the inputs are in memory: at ten million
    # rows their hash table is the largest transient of the stage.
    number_all = factorize(tx["doc_number"])[0]
    type_all, types = factorize(tx["doc_type"])
    code = positions(tx["golden_id"], customers)
    doc_date = _dates(tx["doc_date"])
    cents_f, currency, apart_names, has_amount = _cents(tx, settings)
    linked = code >= 0
    dated = ~np.isnat(doc_date)
    in_time = doc_date <= np.datetime64(as_of, "ns")
    keep = linked & dated & in_time & has_amount
    if (linked & ~has_amount).any():
        log.warning("%d transactions have no amount", int((linked & ~has_amount).sum()))
    counts = {
        "unlinked": int((~linked).sum()),
        "undated": int((linked & ~dated).sum()),
        "future": int((linked & dated & ~in_time).sum()),
        "no_amount": int((linked & ~has_amount).sum()),
    }
    del linked, dated, in_time, has_amount

    apart_codes = [i for i, name in enumerate(apart_names) if name is not None]
    is_apart = np.isin(currency, apart_codes) & keep
    other = (
        pd.DataFrame({"code": code[is_apart], "cur": currency[is_apart]})
        .drop_duplicates()
        .assign(cur=lambda f: [apart_names[i] for i in f["cur"]])
        .sort_values(["code", "cur"])
        .groupby("code")["cur"]
        .agg(";".join)
    )
    keep &= ~is_apart
    counts["kept_apart"] = int(is_apart.sum())
    del currency, is_apart

    kinds = type_all[keep]
    del type_all
    type_of = {name: i for i, name in enumerate(types)}
    is_invoice, is_reversal, is_note = (
        np.isin(kinds, [type_of[n] for n in names if n in type_of])
        for names in (("invoice",), ("reversal",), REVENUE_CREDITS)
    )
    del kinds
    c = code[keep]
    del code
    number = number_all[keep]
    del number_all
    d = doc_date[keep]
    del doc_date
    cents = cents_f[keep].astype(np.int64)
    del cents_f
    n_rows = len(c)
    alone = number < 0
    span = int(number.max(initial=-1)) + 1 + n_rows

    def key_of(rows: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        """(customer, document) of the lines ``rows`` as one integer; a line without a number
        is a document of its own."""
        doc = np.where(alone[rows], span - n_rows + rows, number[rows])
        return c[rows].astype(np.int64) * (span + 1) + doc

    # A reversal with an invoice's number cancels (part of) it.
    in_invoice = is_invoice.copy()
    candidates = np.flatnonzero(is_reversal & (cents < 0) & ~alone)
    if len(candidates):
        in_invoice[candidates] = _isin(key_of(candidates), key_of(np.flatnonzero(is_invoice)))

    # Invoices netted per (customer, number): the invoice lines' first date and due date.
    rows = np.flatnonzero(in_invoice)
    order, starts = _first_per_key(key_of(rows))
    rows = rows[order]
    del order
    due = _dates(tx["due_date"])[keep][rows]
    big = np.iinfo(np.int64).max
    invoice_line = is_invoice[rows]
    first = np.where(invoice_line, d[rows].astype(np.int64), big)
    first_due = np.where(invoice_line & ~np.isnat(due), due.astype(np.int64), big)
    del due, invoice_line
    doc_date_min = np.minimum.reduceat(first, starts) if len(rows) else first
    doc_due_min = np.minimum.reduceat(first_due, starts) if len(rows) else first_due
    del first, first_due
    nat = np.iinfo(np.int64).min
    heads = rows[starts]
    docs: Columns = {
        "code": c[heads],
        "number": np.where(alone[heads], -1, number[heads]),
        "date": np.where(doc_date_min == big, nat, doc_date_min).astype("datetime64[ns]"),
        "due": np.where(doc_due_min == big, nat, doc_due_min).astype("datetime64[ns]"),
        "cents": np.add.reduceat(cents[rows], starts) if len(rows) else cents[rows],
    }
    del rows, starts, heads, doc_date_min, doc_due_min

    rest = ~in_invoice
    del in_invoice
    notes = rest & is_note
    lowers = notes | (rest & is_reversal & (cents < 0))
    revenue = concat(
        {"code": docs["code"], "date": docs["date"], "cents": docs["cents"]},
        {"code": c[lowers], "date": d[lowers], "cents": cents[lowers]},
    )
    del lowers
    # Reversed by more than was invoiced: the excess is a credit.
    over = take(docs, docs["cents"] < 0)
    del over["due"]
    invoices = take(docs, docs["cents"] > 0)
    del docs

    lines: Columns = {"code": c, "number": number, "date": d, "cents": cents}
    debits = take({"code": c, "date": d, "cents": cents}, rest & (cents > 0))
    # Credits as positive cents; built a column at a time, not as a second whole table.
    credit = rest & (cents < 0)
    credits = {name: np.concatenate([col[credit], over[name]]) for name, col in lines.items()}
    np.negative(credits["cents"], out=credits["cents"])
    return Ledger(
        customers=customers,
        invoices=invoices,
        debits=debits,
        credits=credits,
        revenue=revenue,
        credit_notes={"code": c[notes], "date": d[notes]},
        other_currencies=other,
        unlinked=counts["unlinked"],
        undated=counts["undated"],
        future=counts["future"],
        kept_apart=counts["kept_apart"],
        no_amount=counts["no_amount"],
    )
