"""Customer value: one row per golden customer from its bookings and its sales dialogue.

``customer_value(golden, transactions, interactions, settings, as_of)`` is a pure function: the
transactions and interactions carry ``golden_id`` (all linked records, so two debtor accounts of
one customer add up), nothing is read or written, and every step is a vectorised reduction over
customer codes. The columns are a public interface; ``docs/value.md`` explains each.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd

from dq.enrich._grouped import (
    first_label,
    group_count,
    group_max,
    group_min,
    group_quantile,
    group_sum,
)
from dq.enrich.ledger import build_ledger
from dq.enrich.payments import settle
from dq.enrich.rhythm import order_rhythm
from dq.enrich.segments import (
    abc_classes,
    load_segments,
    quintile_scores,
    rfm_segments,
    value_tiers,
)
from dq.enrich.settings import ValueSettings

__all__ = [
    "VALUE_COLUMNS",
    "ValueCounts",
    "ValueTable",
    "compute_value",
    "customer_value",
    "months_back",
]

VALUE_COLUMNS = (
    "golden_id",
    "revenue_12m",
    "revenue_prev_12m",
    "revenue_total",
    "revenue_trend",
    "invoices_12m",
    "credit_notes_12m",
    "first_invoice",
    "last_invoice",
    "median_order_gap_days",
    "reorder_due",
    "reorder_overdue",
    "open_balance",
    "overdue_balance",
    "days_to_pay_median",
    "days_late_median",
    "payment_class",
    "prepayment_recommended",
    "complaints_12m",
    "returns_12m",
    "last_complaint",
    "last_contact",
    "abc",
    "rfm_r",
    "rfm_f",
    "rfm_m",
    "rfm_segment",
    "lifecycle",
    "value_tier",
    "currency",
    "other_currencies",
)


@dataclass(frozen=True)
class ValueCounts:
    """Transactions that did not count, by reason (none is dropped silently): not linked to a
    golden customer, without a date, dated after as-of, in a currency without a rate, without
    an amount."""

    unlinked: int
    undated: int
    after_as_of: int
    other_currency: int
    no_amount: int


def months_back(day: date, months: int) -> date:
    """``day`` minus ``months`` calendar months, clamped to the month's last day
    (2024-02-29 minus 12 months is 2023-02-28)."""
    total = day.year * 12 + day.month - 1 - months
    year, month = divmod(total, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _window(dates: npt.NDArray[np.datetime64], start: date, end: date) -> npt.NDArray[np.bool_]:
    """Dates in the half-open window (start, end]."""
    return (dates > np.datetime64(start, "ns")) & (dates <= np.datetime64(end, "ns"))


def _days(
    later: npt.NDArray[np.datetime64], earlier: npt.NDArray[np.datetime64]
) -> npt.NDArray[np.float64]:
    delta = (later.astype("datetime64[D]") - earlier.astype("datetime64[D]")).astype(np.float64)
    return np.where(np.isnat(later) | np.isnat(earlier), np.nan, delta)


_NAT = np.datetime64("NaT", "ns")


def _latest(
    a: npt.NDArray[np.datetime64], b: npt.NDArray[np.datetime64]
) -> npt.NDArray[np.datetime64]:
    """Element-wise later date; NaT only where both are NaT."""
    ints = np.maximum(
        a.astype("datetime64[ns]").astype(np.int64), b.astype("datetime64[ns]").astype(np.int64)
    )
    return ints.astype("datetime64[ns]")


def _money(cents: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
    return cents / 100.0


@dataclass(frozen=True)
class ValueTable:
    """The ``customer_value`` table and the transactions that did not count."""

    table: pd.DataFrame
    counts: ValueCounts


def customer_value(
    golden: pd.DataFrame,
    transactions: pd.DataFrame,
    interactions: pd.DataFrame,
    settings: ValueSettings,
    as_of: date,
) -> pd.DataFrame:
    """One row per golden customer with the columns of :data:`VALUE_COLUMNS` as of ``as_of``."""
    return compute_value(golden, transactions, interactions, settings, as_of).table


def compute_value(
    golden: pd.DataFrame,
    transactions: pd.DataFrame,
    interactions: pd.DataFrame,
    settings: ValueSettings,
    as_of: date,
    *,
    segments_path: Path | None = None,
) -> ValueTable:
    """:func:`customer_value` plus the counts of transactions that could not count (not linked
    to a golden customer, undated, dated after as-of, in a currency without a rate)."""
    ids = pd.Index(golden["golden_id"].astype("string"))
    n = len(ids)
    today = np.datetime64(as_of, "ns")
    y1, y2 = months_back(as_of, 12), months_back(as_of, 24)
    ledger = build_ledger(ids, transactions, settings, as_of)

    # Revenue: netted invoices at their date, credit notes and cancelling reversals at theirs.
    rv = ledger.revenue
    rv_code = rv["code"].to_numpy(dtype=np.int64)
    rv_date = rv["date"].to_numpy(dtype="datetime64[ns]")
    rv_cents = rv["cents"].to_numpy(dtype=np.int64)
    rev_12 = group_sum(rv_code, np.where(_window(rv_date, y1, as_of), rv_cents, 0), n)
    rev_prev = group_sum(rv_code, np.where(_window(rv_date, y2, y1), rv_cents, 0), n)
    rev_total = group_sum(rv_code, rv_cents, n)
    with np.errstate(divide="ignore", invalid="ignore"):
        trend = np.where(rev_prev != 0, (rev_12 - rev_prev) / np.abs(rev_prev) * 100, np.nan)

    inv = ledger.invoices
    i_code = inv["code"].to_numpy(dtype=np.int64)
    i_date = inv["date"].to_numpy(dtype="datetime64[ns]")
    invoices_12 = group_count(i_code[_window(i_date, y1, as_of)], n)
    n_invoices = group_count(i_code, n)
    first, last = group_min(i_code, i_date, n), group_max(i_code, i_date, n)
    cn = ledger.credit_notes
    cn_code = cn["code"].to_numpy(dtype=np.int64)
    cn_in = _window(cn["date"].to_numpy(dtype="datetime64[ns]"), y1, as_of)
    credit_notes_12 = group_count(cn_code[cn_in], n)

    rhythm = order_rhythm(
        i_code,
        i_date,
        n,
        min_invoices=settings.min_invoices_for_rhythm,
        percentile=settings.reorder_gap_percentile,
    )
    usual = np.ceil(rhythm.usual_gap)
    reorder_due = np.where(
        np.isnan(usual), _NAT, last + np.nan_to_num(usual).astype("timedelta64[D]")
    )
    has_rhythm = ~np.isnan(usual)
    reorder_overdue = pd.array(today > reorder_due, dtype="boolean")
    reorder_overdue[~has_rhythm] = pd.NA

    # Payments: balance, overdue part, days to pay and days late over paid invoices.
    st = settle(ledger, settings.payment_term_days)
    past_due = st.open_due < today
    overdue = group_sum(st.open_code[past_due], st.open_cents[past_due], n)
    worst = np.full(n, -np.inf)
    np.maximum.at(worst, st.open_code, _days(np.full(len(st.open_due), today), st.open_due))
    credit = group_sum(
        ledger.credits["code"].to_numpy(dtype=np.int64),
        ledger.credits["cents"].to_numpy(dtype=np.int64),
        n,
    )
    debit = group_sum(i_code, inv["cents"].to_numpy(dtype=np.int64), n) + group_sum(
        ledger.debits["code"].to_numpy(dtype=np.int64),
        ledger.debits["cents"].to_numpy(dtype=np.int64),
        n,
    )
    balance = debit - credit
    paid = ~np.isnat(st.invoice_settled)
    to_pay = group_quantile(i_code[paid], _days(st.invoice_settled, i_date)[paid], 0.5, n)
    late = group_quantile(i_code[paid], _days(st.invoice_settled, st.invoice_due)[paid], 0.5, n)
    risky = (worst > settings.risky_days_past_due) | (
        (balance > 0) & (balance > settings.risky_open_share * rev_12)
    )
    buyer = n_invoices > 0
    payment_class = first_label(
        [buyer & risky, buyer & (late > settings.late_days), buyer],
        ["risky", "late", "on_time"],
        n,
    )

    # The sales dialogue.
    it = interactions
    t_code = ids.get_indexer(pd.Index(it["golden_id"].astype("string")))
    t_date = pd.to_datetime(it["date"], errors="coerce").to_numpy(dtype="datetime64[ns]")
    ok = (t_code >= 0) & ~np.isnat(t_date) & (t_date <= today)
    t_code, t_date = t_code[ok], t_date[ok]
    kind = it["kind"].astype("string").to_numpy(dtype=object)[ok]
    t_in = _window(t_date, y1, as_of)
    complaint, ret = kind == "complaint", kind == "return"
    complaints_12 = group_count(t_code[complaint & t_in], n)
    returns_12 = group_count(t_code[ret & t_in], n) + credit_notes_12
    last_complaint = group_max(t_code[complaint], t_date[complaint], n)
    activity = (
        pd.to_datetime(golden["last_activity_at"], errors="coerce").to_numpy(dtype="datetime64[ns]")
        if "last_activity_at" in golden
        else np.full(n, _NAT)
    )
    activity = np.where(activity <= today, activity, _NAT)
    last_contact = _latest(group_max(t_code, t_date, n), activity)

    # Classes over customers.
    rev12 = _money(rev_12)
    abc = abc_classes(rev12, settings.abc_shares, ids)
    recency = np.where(buyer, _days(np.full(n, today), last), np.nan)
    r = np.full(n, np.nan)
    f = np.full(n, np.nan)
    m = np.full(n, np.nan)
    r[buyer] = quintile_scores(recency[buyer], higher_is_better=False)
    f[buyer] = quintile_scores(n_invoices[buyer].astype(np.float64))
    m[buyer] = quintile_scores(_money(rev_total)[buyer])
    fm = np.floor((f + m) / 2 + 0.5)
    segment = rfm_segments(r, fm, load_segments(segments_path), settings.segment_labels)

    since_last = _days(np.full(n, today), last)
    since_first = _days(np.full(n, today), first)
    lost_cut = np.datetime64(months_back(as_of, settings.lost_months), "ns")
    slipping = has_rhythm & (since_last > settings.at_risk_gap_factor * usual)
    overdue_flag = has_rhythm & (today > reorder_due)
    lifecycle = first_label(
        [
            ~buyer,
            last <= lost_cut,
            since_first <= settings.new_days,
            overdue_flag | slipping,
            buyer,
        ],
        ["prospect", "lost", "new", "at_risk", "active"],
        n,
    )
    tier = value_tiers(rev12, payment_class, settings.tiers)

    other = pd.Series(ledger.other_currencies).reindex(range(n))
    out = pd.DataFrame(
        {
            "golden_id": ids.array,
            "revenue_12m": rev12,
            "revenue_prev_12m": _money(rev_prev),
            "revenue_total": _money(rev_total),
            "revenue_trend": np.round(trend, 2),
            "invoices_12m": invoices_12,
            "credit_notes_12m": credit_notes_12,
            "first_invoice": first,
            "last_invoice": last,
            "median_order_gap_days": rhythm.median_gap,
            "reorder_due": reorder_due,
            "reorder_overdue": reorder_overdue,
            "open_balance": _money(balance),
            "overdue_balance": _money(overdue),
            "days_to_pay_median": to_pay,
            "days_late_median": late,
            "payment_class": pd.array(payment_class, dtype="string"),
            "prepayment_recommended": payment_class == "risky",
            "complaints_12m": complaints_12,
            "returns_12m": returns_12,
            "last_complaint": last_complaint,
            "last_contact": last_contact,
            "abc": pd.array(abc, dtype="string"),
            "rfm_r": pd.array(r, dtype="Int64"),
            "rfm_f": pd.array(f, dtype="Int64"),
            "rfm_m": pd.array(m, dtype="Int64"),
            "rfm_segment": pd.array(segment, dtype="string"),
            "lifecycle": pd.array(lifecycle, dtype="string"),
            "value_tier": pd.array(tier, dtype="string"),
            "currency": settings.main_currency,
            "other_currencies": pd.array(other.to_numpy(dtype=object), dtype="string"),
        },
        columns=list(VALUE_COLUMNS),
    )
    counts = ValueCounts(
        unlinked=ledger.unlinked,
        undated=ledger.undated,
        after_as_of=ledger.future,
        other_currency=ledger.kept_apart,
        no_amount=ledger.no_amount,
    )
    return ValueTable(out, counts)
