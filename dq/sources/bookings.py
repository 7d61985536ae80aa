"""DATEV bookings (Buchungsstapel) as customer transactions.

A booking line names two accounts; the customer is the one in the debtor range. Its amount is
signed from the customer's side (positive: the customer owes more), Belegdatum ``TTMM`` gets its
year from the header's period, and the document type follows from sign and contra account.
Lines that touch no debtor account are general-ledger bookings: skipped, with the reason.
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
# File columns the derivation reads.
BOOKING_COLUMNS = frozenset(
    {AMOUNT, SIDE, ACCOUNT, CONTRA, DOC_DATE, REF2, SERVICE_DATE, "WKZ Umsatz"}
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


def _due_dates(values: pd.Series) -> pd.Series:
    """Belegfeld 2 often holds a due date TTMMJJ; anything else is not a date."""
    text = values.astype("string").str.strip()
    return pd.to_datetime(
        text.where(text.str.fullmatch(r"\d{6}").fillna(False)), format="%d%m%y", errors="coerce"
    )


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
    other = contra.where(debtor_is_account, account)
    is_bank = pd.Series(False, index=raw.index)
    for b_lo, b_hi in rules.bank_accounts:
        is_bank |= other.between(b_lo, b_hi)
    doc_type = np.select(
        [signed > 0, (signed < 0) & is_bank, signed < 0],
        ["invoice", "payment", "credit_note"],
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
    frame["_due_date"] = _due_dates(raw[REF2]) if REF2 in raw else pd.NaT
    frame["_doc_type"] = doc_type
    frame["_contra"] = other.astype("Int64").astype("string")
    if "WKZ Umsatz" in raw:
        own = raw["WKZ Umsatz"].astype("string").str.strip()
        frame["_currency"] = own.where(own != "").fillna(header.currency or "")
    else:
        frame["_currency"] = header.currency

    rejects = list(table.rejects)
    bad = ~has_debtor | failed | amount.isna()
    for pos in np.flatnonzero(bad.to_numpy()):
        if bool(failed.iloc[pos]) or pd.isna(amount.iloc[pos]):
            reason, column = "amount is not a number", AMOUNT
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
