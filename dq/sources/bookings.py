"""DATEV bookings (Buchungsstapel) as customer transactions, read as the accountant meant them.

A booking line names two accounts; the customer is the one in the debtor range. Its amount is
signed from the customer's side (positive: the customer owes more), Belegdatum ``TTMM`` gets its
year from the header's period, and the document type follows from sign and contra account:

- debtor debited against revenue: ``invoice``; credited against revenue: ``credit_note``;
- credited against a bank/cash account or offset against a creditor account: ``payment`` (with a
  ``Skonto`` amount on the line the customer is credited payment plus discount, so the invoice
  closes); debited against a bank account: ``refund`` (money paid back to the customer);
- against a cash-discount account (Gewährte Skonti): ``discount``;
- against a bad-debt account (Forderungsverluste): ``write_off`` (not a credit note: revenue
  stays, the receivable is closed);
- a line flagged ``Generalumkehr`` (column ``Generalumkehr`` = 1, or a two-digit BU-Schlüssel
  whose correction key is 2) is a ``reversal``: the amount is negated so that it cancels the
  original booking with the same Belegfeld 1.

The due date is ``Fälligkeit`` (TTMMJJJJ) where given, else Belegfeld 2 when it holds TTMMJJ.
Lines that touch no debtor account are skipped with the reason: a creditor (supplier) booking,
or a general-ledger booking.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from dq.sources.datev import DatevHeader
from dq.sources.delimited import RawTable, Reject
from dq.sources.profiles import DatevRules
from dq.sources.values import parse_decimal

__all__ = [
    "BOOKING_COLUMNS",
    "DERIVED_COLUMNS",
    "creditor_range",
    "debtor_range",
    "derive_bookings",
    "keep_debtors",
]

AMOUNT, SIDE, ACCOUNT, CONTRA, DOC_DATE, REF2, SERVICE_DATE = (
    "Umsatz (ohne Soll/Haben-Kz)",
    "Soll/Haben-Kennzeichen",
    "Konto",
    "Gegenkonto (ohne BU-Schlüssel)",
    "Belegdatum",
    "Belegfeld 2",
    "Leistungsdatum",
)
BU_KEY, DISCOUNT, DUE, REVERSAL = "BU-Schlüssel", "Skonto", "Fälligkeit", "Generalumkehr"
_REVERSAL_NAMES = (REVERSAL, "Generalumkehr (GU)")
# File columns the derivation reads.
BOOKING_COLUMNS = frozenset(
    {
        AMOUNT,
        SIDE,
        ACCOUNT,
        CONTRA,
        DOC_DATE,
        REF2,
        SERVICE_DATE,
        "WKZ Umsatz",
        BU_KEY,
        DISCOUNT,
        DUE,
        *_REVERSAL_NAMES,
    }
)
# Columns added to the raw table for the profile to map.
DERIVED_COLUMNS = (
    "_debtor",
    "_amount",
    "_doc_date",
    "_due_date",
    "_doc_type",
    "_contra",
    "_currency",
)


def debtor_range(header: DatevHeader, rules: DatevRules) -> tuple[int, int]:
    if rules.debtor_accounts is not None:
        return rules.debtor_accounts
    length = header.account_length or 4
    return 10**length, 7 * 10**length - 1


def creditor_range(header: DatevHeader, rules: DatevRules) -> tuple[int, int]:
    """Creditor (supplier) accounts: from the end of the debtor range to the next power of ten."""
    if rules.creditor_accounts is not None:
        return rules.creditor_accounts
    _, hi = debtor_range(header, rules)
    length = header.account_length or 4
    return hi + 1, 10 ** (length + 1) - 1


def _in_ranges(values: pd.Series, ranges: list[tuple[int, int]]) -> pd.Series:
    hit = pd.Series(False, index=values.index)
    for lo, hi in ranges:
        hit |= values.between(lo, hi)
    return hit


def _is_reversal(raw: pd.DataFrame) -> pd.Series:
    """Generalumkehr: the GU column says 1, or a two-digit BU-Schlüssel starts with 2."""
    flag = pd.Series(False, index=raw.index)
    for name in _REVERSAL_NAMES:
        if name in raw:
            flag |= raw[name].astype("string").str.strip().eq("1").fillna(False)
    if BU_KEY in raw:
        key = raw[BU_KEY].astype("string").str.strip()
        flag |= key.str.fullmatch(r"2\d").fillna(False)
    return flag


def _years(header: DatevHeader, ddmm: pd.Series) -> pd.Series:
    """The year of each TTMM date: the one that puts it inside the header's period."""
    start = header.period_from or header.fiscal_year_start
    end = header.period_to
    if start is None:
        return pd.Series(np.nan, index=ddmm.index)
    month = pd.to_numeric(ddmm.str[2:4], errors="coerce")
    if end is None or end.year == start.year:
        return pd.Series(float(start.year), index=ddmm.index)
    # A period spanning new year: months before the start month belong to the end year.
    return pd.Series(np.where(month >= start.month, start.year, end.year), index=ddmm.index)


def _dates(header: DatevHeader, values: pd.Series) -> pd.Series:
    text = values.astype("string").str.strip().str.zfill(4)
    ok = text.str.fullmatch(r"\d{4}").fillna(False)
    years = _years(header, text)
    iso = years.astype("Int64").astype("string") + "-" + text.str[2:4] + "-" + text.str[0:2]
    return pd.to_datetime(iso.where(ok), format="%Y-%m-%d", errors="coerce")


def _due_dates(raw: pd.DataFrame) -> pd.Series:
    """``Fälligkeit`` (TTMMJJJJ) where given, else Belegfeld 2 when it holds a date TTMMJJ."""
    due = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[ns]")
    if DUE in raw:
        text = raw[DUE].astype("string").str.strip().str.zfill(8)
        due = pd.to_datetime(
            text.where(text.str.fullmatch(r"\d{8}").fillna(False)), format="%d%m%Y", errors="coerce"
        )
    if REF2 in raw:
        text = raw[REF2].astype("string").str.strip()
        ref2 = pd.to_datetime(
            text.where(text.str.fullmatch(r"\d{6}").fillna(False)), format="%d%m%y", errors="coerce"
        )
        due = due.fillna(ref2)
    return due


def derive_bookings(table: RawTable, header: DatevHeader, rules: DatevRules) -> RawTable:
    """Add the derived booking columns to ``table``; lines without a debtor become rejects."""
    raw = table.frame
    lo, hi = debtor_range(header, rules)
    account = pd.to_numeric(raw[ACCOUNT], errors="coerce")
    contra = pd.to_numeric(raw[CONTRA], errors="coerce")
    amount, failed = parse_decimal(raw[AMOUNT], decimal=",")
    side = raw[SIDE].astype("string").str.strip().str.upper()
    debtor_is_account = account.between(lo, hi)
    debtor_is_contra = ~debtor_is_account & contra.between(lo, hi)
    has_debtor = debtor_is_account | debtor_is_contra

    # "S" debits Konto and credits Gegenkonto: the customer owes more when it is debited.
    debit = side == "S"
    customer_debited = (debtor_is_account & debit) | (debtor_is_contra & ~debit)
    signed = amount.where(customer_debited, -amount)
    if DISCOUNT in raw:
        discount, _ = parse_decimal(raw[DISCOUNT], decimal=",")
        # The Skonto field of a payment line: the customer is credited payment plus discount.
        signed = signed.where(customer_debited, signed - discount.abs().fillna(0.0))
    reversal = _is_reversal(raw)
    signed = signed.where(~reversal, -signed)
    other = contra.where(debtor_is_account, account)
    settles = _in_ranges(other, rules.bank_accounts) | other.between(*creditor_range(header, rules))
    doc_type = np.select(
        [
            reversal,
            _in_ranges(other, rules.write_off_accounts),
            _in_ranges(other, rules.discount_accounts),
            (signed < 0) & settles,
            (signed > 0) & settles,
            signed > 0,
            signed < 0,
        ],
        ["reversal", "write_off", "discount", "payment", "refund", "invoice", "credit_note"],
        "other",
    )

    frame = raw.copy()
    frame["_debtor"] = account.where(debtor_is_account, contra).astype("Int64").astype("string")
    frame["_amount"] = signed
    frame["_doc_date"] = _dates(header, raw[DOC_DATE])
    if SERVICE_DATE in raw:
        service = pd.to_datetime(
            raw[SERVICE_DATE].astype("string").str.strip(), format="%d%m%Y", errors="coerce"
        )
        frame["_doc_date"] = frame["_doc_date"].fillna(service)
    frame["_due_date"] = _due_dates(raw)
    frame["_doc_type"] = doc_type
    frame["_contra"] = other.astype("Int64").astype("string")
    if "WKZ Umsatz" in raw:
        own = raw["WKZ Umsatz"].astype("string").str.strip()
        frame["_currency"] = own.where(own != "").fillna(header.currency or "")
    else:
        frame["_currency"] = header.currency

    rejects = list(table.rejects)
    c_lo, c_hi = creditor_range(header, rules)
    supplier = account.between(c_lo, c_hi) | contra.between(c_lo, c_hi)
    bad = ~has_debtor | failed | amount.isna()
    for pos in np.flatnonzero(bad.to_numpy()):
        if bool(failed.iloc[pos]) or pd.isna(amount.iloc[pos]):
            reason, column = "amount is not a number", AMOUNT
        elif bool(supplier.iloc[pos]):
            reason, column = (
                "skipped: a supplier booking (creditor account), not a customer's",
                ACCOUNT,
            )
        else:
            reason, column = "skipped: no debtor account (a general-ledger booking)", ACCOUNT
        rejects.append(Reject(table.lines[pos], reason, table.raw[pos], column))
    keep = ~bad.to_numpy()
    lines = [ln for ln, k in zip(table.lines, keep, strict=True) if k]
    raw_kept = [r for r, k in zip(table.raw, keep, strict=True) if k]
    frame = frame[keep].reset_index(drop=True)
    return replace(table, frame=frame, lines=lines, rejects=rejects, raw=raw_kept)


def keep_debtors(table: RawTable, header: DatevHeader, rules: DatevRules) -> RawTable:
    """Master data: keep debtor accounts; creditors (suppliers) become rejects with the reason."""
    lo, hi = debtor_range(header, rules)
    account = pd.to_numeric(table.frame["Konto"], errors="coerce")
    keep = account.between(lo, hi).to_numpy()
    rejects = list(table.rejects)
    for pos in np.flatnonzero(~keep):
        reason = f"skipped: account outside the debtor range {lo}-{hi} (creditor or ledger account)"
        rejects.append(Reject(table.lines[pos], reason, table.raw[pos], "Konto"))
    lines = [ln for ln, k in zip(table.lines, keep, strict=True) if k]
    raw_kept = [r for r, k in zip(table.raw, keep, strict=True) if k]
    frame = table.frame[keep].reset_index(drop=True)
    return replace(table, frame=frame, lines=lines, rejects=rejects, raw=raw_kept)
