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
from typing import Any

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
    positions,
)
from dq.enrich.ledger import Columns, Ledger, build_ledger
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


@dataclass(frozen=True)
class _Day:
    """The as-of day and the window boundaries every section compares with."""

    as_of: date
    today: np.datetime64
    y1: date  # as-of - 12 months
    y2: date  # as-of - 24 months

    @classmethod
    def of(cls, as_of: date) -> _Day:
        return cls(
            as_of, np.datetime64(as_of, "ns"), months_back(as_of, 12), months_back(as_of, 24)
        )

    def since(self, dates: npt.NDArray[np.datetime64]) -> npt.NDArray[np.float64]:
        """Days from each date to as-of (NaN for NaT)."""
        return _days(np.full(len(dates), self.today), dates)


Out = dict[str, Any]


def _revenue(ledger: Ledger, n: int, day: _Day) -> Out:
    """Revenue: netted invoices at their date, credit notes and cancelling reversals at theirs."""
    rv = ledger.revenue
    code = rv["code"]
    dates = rv["date"]
    cents = rv["cents"]
    r12 = group_sum(code, np.where(_window(dates, day.y1, day.as_of), cents, 0), n)
    prev = group_sum(code, np.where(_window(dates, day.y2, day.y1), cents, 0), n)
    with np.errstate(divide="ignore", invalid="ignore"):
        trend = np.where(prev != 0, (r12 - prev) / np.abs(prev) * 100, np.nan)
    return {
        "revenue_12m": _money(r12),
        "revenue_prev_12m": _money(prev),
        "revenue_total": _money(group_sum(code, cents, n)),
        "revenue_trend": np.round(trend, 2),
    }


def _invoices(ledger: Ledger, n: int, day: _Day, settings: ValueSettings) -> Out:
    """Invoice and credit-note counts, first and last invoice, order rhythm and reorder due."""
    code = ledger.invoices["code"]
    dates = ledger.invoices["date"]
    cn_code = ledger.credit_notes["code"]
    cn_date = ledger.credit_notes["date"]
    rhythm = order_rhythm(
        code,
        dates,
        n,
        min_invoices=settings.min_invoices_for_rhythm,
        percentile=settings.reorder_gap_percentile,
    )
    last = group_max(code, dates, n)
    usual = np.ceil(rhythm.usual_gap)
    has_rhythm = ~np.isnan(usual)
    due = np.where(has_rhythm, last + np.nan_to_num(usual).astype("timedelta64[D]"), _NAT)
    overdue = pd.array(day.today > due, dtype="boolean")
    overdue[~has_rhythm] = pd.NA
    return {
        "invoices_12m": group_count(code[_window(dates, day.y1, day.as_of)], n),
        "credit_notes_12m": group_count(cn_code[_window(cn_date, day.y1, day.as_of)], n),
        "first_invoice": group_min(code, dates, n),
        "last_invoice": last,
        "median_order_gap_days": rhythm.median_gap,
        "reorder_due": due,
        "reorder_overdue": overdue,
        "_invoices": group_count(code, n),
        "_usual_gap": usual,
    }


def _payments(ledger: Ledger, n: int, day: _Day, settings: ValueSettings, cols: Out) -> Out:
    """Open and overdue balance, days to pay and late, payment class (needs revenue_12m)."""
    st = settle(ledger, settings.payment_term_days)
    i_code = ledger.invoices["code"]
    i_date = ledger.invoices["date"]
    past_due = st.open_due < day.today
    worst = np.full(n, -np.inf)
    np.maximum.at(worst, st.open_code, day.since(st.open_due))

    def total(frame: Columns) -> npt.NDArray[np.int64]:
        return group_sum(frame["code"], frame["cents"], n)

    balance = total(ledger.invoices) + total(ledger.debits) - total(ledger.credits)
    paid = ~np.isnat(st.invoice_settled)
    late = group_quantile(i_code[paid], _days(st.invoice_settled, st.invoice_due)[paid], 0.5, n)
    revenue = np.round(cols["revenue_12m"] * 100)
    risky = (worst > settings.risky_days_past_due) | (
        (balance > 0) & (balance > settings.risky_open_share * revenue)
    )
    buyer = cols["_invoices"] > 0
    payment_class = first_label(
        [buyer & risky, buyer & (late > settings.late_days), buyer],
        ["risky", "late", "on_time"],
        n,
    )
    return {
        "open_balance": _money(balance),
        "overdue_balance": _money(group_sum(st.open_code[past_due], st.open_cents[past_due], n)),
        "days_to_pay_median": group_quantile(
            i_code[paid], _days(st.invoice_settled, i_date)[paid], 0.5, n
        ),
        "days_late_median": late,
        "payment_class": payment_class,
        "prepayment_recommended": payment_class == "risky",
    }


def _dialogue(
    golden: pd.DataFrame, interactions: pd.DataFrame, ids: pd.Index, day: _Day, cols: Out
) -> Out:
    """Complaints, returns (notes + credit notes), last complaint, last contact."""
    n = len(ids)
    code = positions(interactions["golden_id"], ids)
    dates = pd.to_datetime(interactions["date"], errors="coerce").to_numpy(dtype="datetime64[ns]")
    ok = (code >= 0) & ~np.isnat(dates) & (dates <= day.today)
    code, dates = code[ok], dates[ok]
    kind = interactions["kind"].astype("string").to_numpy(dtype=object)[ok]
    recent = _window(dates, day.y1, day.as_of)
    complaint, ret = kind == "complaint", kind == "return"
    activity = (
        pd.to_datetime(golden["last_activity_at"], errors="coerce").to_numpy(dtype="datetime64[ns]")
        if "last_activity_at" in golden
        else np.full(n, _NAT)
    )
    activity = np.where(activity <= day.today, activity, _NAT)
    return {
        "complaints_12m": group_count(code[complaint & recent], n),
        "returns_12m": group_count(code[ret & recent], n) + cols["credit_notes_12m"],
        "last_complaint": group_max(code[complaint], dates[complaint], n),
        "last_contact": _latest(group_max(code, dates, n), activity),
    }


def _classes(
    ids: pd.Index, day: _Day, settings: ValueSettings, segments: Path | None, cols: Out
) -> Out:
    """ABC, RFM scores and segment, lifecycle and value tier over all customers."""
    n = len(ids)
    buyer = cols["_invoices"] > 0
    scores = {}
    for name, values, higher in (
        ("rfm_r", day.since(cols["last_invoice"]), False),
        ("rfm_f", cols["_invoices"].astype(np.float64), True),
        ("rfm_m", cols["revenue_total"], True),
    ):
        score = np.full(n, np.nan)
        score[buyer] = quintile_scores(values[buyer], higher_is_better=higher)
        scores[name] = score
    fm = np.floor((scores["rfm_f"] + scores["rfm_m"]) / 2 + 0.5)
    segment = rfm_segments(scores["rfm_r"], fm, load_segments(segments), settings.segment_labels)

    usual = cols["_usual_gap"]
    has_rhythm = ~np.isnan(usual)
    slipping = has_rhythm & (day.since(cols["last_invoice"]) > settings.at_risk_gap_factor * usual)
    overdue = has_rhythm & (day.today > cols["reorder_due"])
    lost_cut = np.datetime64(months_back(day.as_of, settings.lost_months), "ns")
    lifecycle = first_label(
        [
            ~buyer,
            cols["last_invoice"] <= lost_cut,
            day.since(cols["first_invoice"]) <= settings.new_days,
            overdue | slipping,
            buyer,
        ],
        ["prospect", "lost", "new", "at_risk", "active"],
        n,
    )
    return {
        "abc": abc_classes(cols["revenue_12m"], settings.abc_shares, ids),
        **scores,
        "rfm_segment": segment,
        "lifecycle": lifecycle,
        "value_tier": value_tiers(cols["revenue_12m"], cols["payment_class"], settings.tiers),
    }


_DTYPES: dict[str, str] = {
    "payment_class": "string",
    "abc": "string",
    "rfm_r": "Int64",
    "rfm_f": "Int64",
    "rfm_m": "Int64",
    "rfm_segment": "string",
    "lifecycle": "string",
    "value_tier": "string",
    "other_currencies": "string",
}


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
    day = _Day.of(as_of)
    ledger = build_ledger(ids, transactions, settings, as_of)
    counts = ValueCounts(
        unlinked=ledger.unlinked,
        undated=ledger.undated,
        after_as_of=ledger.future,
        other_currency=ledger.kept_apart,
        no_amount=ledger.no_amount,
    )
    cols: Out = {"golden_id": ids.array}
    cols["other_currencies"] = ledger.other_currencies.reindex(range(n)).to_numpy(dtype=object)
    cols |= _revenue(ledger, n, day)
    cols |= _invoices(ledger, n, day, settings)
    cols |= _payments(ledger, n, day, settings, cols)
    del ledger  # the documents are done with: the table below reuses their memory
    cols |= _dialogue(golden, interactions, ids, day, cols)
    cols |= _classes(ids, day, settings, segments_path, cols)
    cols["currency"] = settings.main_currency
    out = pd.DataFrame({name: cols[name] for name in VALUE_COLUMNS}, columns=list(VALUE_COLUMNS))
    out = out.astype(_DTYPES)
    return ValueTable(out, counts)
