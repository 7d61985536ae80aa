"""Date arithmetic of the deletion concept, for whole columns at once.

Dates are ``datetime64[ns]`` arrays with NaT for "no such event". A period's end is the first
day on which the action is due: counted from the event's day, or from the first day after the
end of the event's calendar year (3 years after the end of 2020 → 2024-01-01).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from dq.gdpr.policy import Period

__all__ = ["NAT", "DateArray", "as_dates", "earliest_per", "end_of_period", "later", "latest_per"]

DateArray = npt.NDArray[np.datetime64]
NAT = np.datetime64("NaT", "ns")
_MIN = np.iinfo(np.int64).min  # NaT as int64
_MAX = np.iinfo(np.int64).max


def as_dates(values: pd.Series | npt.ArrayLike) -> DateArray:
    """Any date-like column as ``datetime64[ns]`` days (time of day dropped, bad values NaT)."""
    series = values if isinstance(values, pd.Series) else pd.Series(values)
    if not pd.api.types.is_datetime64_any_dtype(series.dtype):
        series = pd.to_datetime(series, errors="coerce")
    elif getattr(series.dt, "tz", None) is not None:
        series = series.dt.tz_localize(None)
    out: DateArray = series.dt.normalize().to_numpy(dtype="datetime64[ns]")
    return out


def end_of_period(start: DateArray, period: Period, from_end_of_year: bool) -> DateArray:
    """The first day after ``period`` counted from ``start`` (or from the end of its year)."""
    if from_end_of_year:
        start = (start.astype("datetime64[Y]") + np.timedelta64(1, "Y")).astype("datetime64[ns]")
    base = pd.DatetimeIndex(start)
    if period.unit == "d":
        shifted = base + pd.Timedelta(days=period.amount)
    else:
        months = period.amount * (12 if period.unit == "y" else 1)
        shifted = base + pd.DateOffset(months=months) if months else base
    out: DateArray = shifted.to_numpy(dtype="datetime64[ns]")
    return out


def _reduce(codes: npt.NDArray[np.intp], dates: DateArray, n: int, *, latest: bool) -> DateArray:
    values = dates.astype("datetime64[ns]").view(np.int64)
    keep = (codes >= 0) & (values != _MIN)
    out = np.full(n, _MIN if latest else _MAX, dtype=np.int64)
    (np.maximum if latest else np.minimum).at(out, codes[keep], values[keep])
    if not latest:
        out[out == _MAX] = _MIN
    result: DateArray = out.view("datetime64[ns]")
    return result


def latest_per(codes: npt.NDArray[np.intp], dates: DateArray, n: int) -> DateArray:
    """Per group 0..n-1 the latest date among rows with that code (NaT when none; code -1 skips)."""
    return _reduce(codes, dates, n, latest=True)


def earliest_per(codes: npt.NDArray[np.intp], dates: DateArray, n: int) -> DateArray:
    """Per group 0..n-1 the earliest date among rows with that code (NaT when none)."""
    return _reduce(codes, dates, n, latest=False)


def later(*dates: DateArray) -> DateArray:
    """Elementwise the latest of several date arrays, NaT only where all are NaT."""
    stacked = np.vstack([d.astype("datetime64[ns]").view(np.int64) for d in dates])
    result: DateArray = stacked.max(axis=0).view("datetime64[ns]")
    return result
