"""Which credit settled which invoice, and what is still open: allocation without a loop.

First, credits that carry an invoice's document number (DATEV Belegfeld 1 / OPOS reference) go to
that invoice, oldest credit first; what exceeds the invoice joins the pool. Then the pool (credits
without a matching number, and those excesses) settles the remaining debits oldest first (FIFO).
Both steps are cumulative sums per customer and a binary search over them: a debit is settled by
the credit at which the customer's cumulative credits reach its cumulative debits.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from dq.enrich.ledger import Columns, Ledger, concat

__all__ = ["Settlement", "settle"]

_NAT = np.datetime64("NaT", "ns")


@dataclass(frozen=True)
class Settlement:
    """Per invoice: when it was settled (NaT while open) and what is open; per open item, its
    due date and open cents (invoices and other debits together)."""

    invoice_settled: npt.NDArray[np.datetime64]
    invoice_due: npt.NDArray[np.datetime64]
    open_code: npt.NDArray[np.int64]
    open_due: npt.NDArray[np.datetime64]
    open_cents: npt.NDArray[np.int64]


def _match_by_number(
    ledger: Ledger,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.datetime64], npt.NDArray[np.datetime64], Columns]:
    """Step 1: allocate numbered credits to their invoice. Returns (cents still open per invoice,
    date the invoice was fully paid by its numbered credits or NaT, date of the last numbered
    credit that paid part of it or NaT, the pool of credits left)."""
    inv, cred = ledger.invoices, ledger.credits
    amount = inv["cents"]
    target = np.full(len(cred["cents"]), -1, dtype=np.int64)
    inv_number = inv["number"]
    cred_number = cred["number"]
    numbered = cred_number >= 0
    if numbered.any() and (inv_number >= 0).any():
        span = int(max(inv_number.max(), cred_number.max())) + 1
        inv_key = np.where(
            inv_number >= 0,
            inv["code"].astype(np.int64) * span + inv_number,
            -1 - np.arange(len(amount)),
        )
        cred_key = cred["code"][numbered].astype(np.int64) * span + cred_number[numbered]
        # Invoice keys are unique (netted per number; negative: no number, never matched).
        target[numbered] = pd.Index(inv_key).get_indexer(pd.Index(cred_key))
        del inv_key, cred_key
    paid_at = np.full(len(amount), _NAT)
    last_matched = np.full(len(amount), np.iinfo(np.int64).min, dtype=np.int64)
    remaining = amount.copy()
    unmatched = target < 0
    pool_parts: list[Columns] = [
        {
            "code": cred["code"][unmatched],
            "date": cred["date"][unmatched],
            "cents": cred["cents"][unmatched],
        }
    ]
    del unmatched
    matched = np.flatnonzero(target >= 0)
    if len(matched):
        # Matched credits per invoice, oldest first; each temporary is dropped once used (at
        # ten million bookings each is some 25 MB).
        rows = matched[np.lexsort((cred["date"][matched], target[matched]))]
        del matched
        tgt = target[rows]
        m_cents = cred["cents"][rows]
        cum = np.cumsum(m_cents)
        starts = np.r_[True, tgt[1:] != tgt[:-1]]
        cum -= np.maximum.accumulate(np.where(starts, cum - m_cents, 0))
        del starts  # cum: cumulative credit per invoice, this credit included
        amt = amount[tgt]
        prev = cum - m_cents
        used = np.minimum(cum, amt) - np.minimum(prev, amt)
        np.subtract.at(remaining, tgt, used)
        closes = (cum >= amt) & (prev < amt)
        del cum, prev, amt
        m_date = cred["date"][rows]
        paid_at[tgt[closes]] = m_date[closes]
        del closes
        counted = used > 0
        np.maximum.at(last_matched, tgt[counted], m_date[counted].astype(np.int64))
        del counted, tgt
        m_cents -= used  # what exceeds the invoice
        del used
        spill = m_cents > 0
        pool_parts.append(
            {"code": cred["code"][rows[spill]], "date": m_date[spill], "cents": m_cents[spill]}
        )
    pool = concat(*pool_parts)
    return remaining, paid_at, last_matched.astype("datetime64[ns]"), pool


def settle(ledger: Ledger, payment_term_days: int) -> Settlement:
    """Allocate every customer's credits to its invoices and other debits (see module doc)."""
    inv = ledger.invoices
    inv_date = inv["date"]
    due = inv["due"]
    due = np.where(np.isnat(due), inv_date + np.timedelta64(payment_term_days, "D"), due)
    remaining, paid_at, last_matched, pool = _match_by_number(ledger)

    # Step 2, FIFO: open invoice remainders and other debits against the pool.
    still = np.flatnonzero(remaining > 0)
    deb = ledger.debits
    d_code = np.concatenate([inv["code"][still], deb["code"]])
    d_date = np.concatenate([inv_date[still], deb["date"]])
    d_due = np.concatenate([due[still], deb["date"]])
    d_cents = np.concatenate([remaining[still], deb["cents"]])
    d_inv = np.concatenate([still, np.full(len(deb["cents"]), -1, dtype=np.int64)])
    del remaining, still
    order = np.lexsort((d_inv < 0, d_date, d_code))
    d_code, d_date, d_due, d_cents, d_inv = (
        a[order] for a in (d_code, d_date, d_due, d_cents, d_inv)
    )
    del order
    cum_d = np.cumsum(d_cents)
    first_d = np.r_[True, d_code[1:] != d_code[:-1]] if len(d_code) else np.zeros(0, dtype=bool)
    cum_d = cum_d - np.maximum.accumulate(np.where(first_d, cum_d - d_cents, 0))

    porder = np.lexsort((pool["date"], pool["code"]))
    p_code, p_date, p_cents = (pool.pop(name)[porder] for name in ("code", "date", "cents"))
    del porder
    n = len(ledger.customers)
    total = np.bincount(p_code, weights=p_cents, minlength=n).astype(np.int64)
    before = np.concatenate(([0], np.cumsum(total)[:-1]))
    global_cum = np.cumsum(p_cents)

    cust_total = total[d_code]
    covered = cum_d <= cust_total
    k = np.searchsorted(global_cum, before[d_code] + cum_d, side="left")
    settled_on = np.full(len(d_code), _NAT)
    settled_on[covered] = p_date[k[covered]]
    open_cents = np.clip(cum_d - cust_total, 0, d_cents)

    is_inv = d_inv >= 0
    idx = d_inv[is_inv]
    # Paid partly by number and the rest from the pool: settled when the later of both came.
    paid_at[idx] = np.where(
        np.isnat(settled_on[is_inv]),
        settled_on[is_inv],
        np.maximum(settled_on[is_inv].astype(np.int64), last_matched[idx].astype(np.int64)).astype(
            "datetime64[ns]"
        ),
    )
    # A payment received before the invoice (prepayment) settles it on the invoice date.
    paid_at = np.where(np.isnat(paid_at), paid_at, np.maximum(paid_at, inv_date))
    has_open = open_cents > 0
    return Settlement(
        invoice_settled=paid_at,
        invoice_due=due,
        open_code=d_code[has_open],
        open_due=d_due[has_open],
        open_cents=open_cents[has_open],
    )
