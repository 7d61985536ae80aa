"""Order rhythm: the gaps between a customer's invoice days, its usual gap, and when it is due
to order again. Invoices on one day count once; fewer invoice days than the configured minimum
(default 3) give no rhythm."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from dq.enrich._grouped import group_count, group_quantile

__all__ = ["Rhythm", "order_rhythm"]


@dataclass(frozen=True)
class Rhythm:
    """Per customer: median gap and usual gap in days (NaN without rhythm), and the number of
    distinct invoice days."""

    median_gap: npt.NDArray[np.float64]
    usual_gap: npt.NDArray[np.float64]
    invoice_days: npt.NDArray[np.int64]


def order_rhythm(
    codes: npt.NDArray[np.int64],
    dates: npt.NDArray[np.datetime64],
    n: int,
    *,
    min_invoices: int,
    percentile: float,
) -> Rhythm:
    """Gaps between consecutive distinct invoice days per customer; ``percentile`` (0–100) of
    them is the usual gap."""
    day = dates.astype("datetime64[D]").astype(np.int64)
    low = int(day.min()) if len(day) else 0
    key = np.sort((codes.astype(np.int64) << 32) | (day - low))
    key = key[np.r_[True, key[1:] != key[:-1]]] if len(key) else key
    c, d = key >> 32, (key & 0xFFFFFFFF) + low
    days = group_count(c, n)
    same = np.r_[False, c[1:] == c[:-1]] if len(c) else np.zeros(0, dtype=bool)
    gap_code = c[same]
    gaps = (d[same] - d[np.flatnonzero(same) - 1]).astype(np.float64)
    enough = days >= min_invoices
    median = np.where(enough, group_quantile(gap_code, gaps, 0.5, n), np.nan)
    usual = np.where(enough, group_quantile(gap_code, gaps, percentile / 100, n), np.nan)
    return Rhythm(median_gap=median, usual_gap=usual, invoice_days=days)
