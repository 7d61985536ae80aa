"""Value transforms used by blocking keys, computed once per distinct value.

A key part is written ``column|transform`` (``name_core|prefix:3``, ``last_name|cologne``); the
transforms are looked up by name here, so a new key is data, not code.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from dq.match.phonetic import cologne_series

__all__ = ["TRANSFORMS", "apply_transform"]


def _prefix(values: pd.Series, arg: str) -> pd.Series:
    return values.str.slice(0, int(arg or 1))


def _suffix(values: pd.Series, arg: str) -> pd.Series:
    return values.str.slice(-int(arg or 1))


def _fingerprint(values: pd.Series, arg: str) -> pd.Series:
    return values.map(lambda v: " ".join(sorted(set(v.split()))), na_action="ignore")


def _tokens(values: pd.Series, index: int) -> pd.Series:
    return values.map(lambda v: (v.split() or [""])[index], na_action="ignore")


TRANSFORMS: dict[str, Callable[[pd.Series, str], pd.Series]] = {
    "exact": lambda values, arg: values,
    "prefix": _prefix,
    "suffix": _suffix,
    "initial": lambda values, arg: values.str.slice(0, 1),
    "cologne": lambda values, arg: cologne_series(values),
    "fingerprint": _fingerprint,
    "first_token": lambda values, arg: _tokens(values, 0),
    "last_token": lambda values, arg: _tokens(values, -1),
    "digits": lambda values, arg: values.str.replace(r"\D+", "", regex=True),
    "nospace": lambda values, arg: values.str.replace(r"[\s\-.]+", "", regex=True),
}


def apply_transform(values: pd.Series, transform: str) -> pd.Series:
    """Apply ``transform`` (``name`` or ``name:arg``) to each distinct value of ``values``.

    Returns a string Series aligned with ``values``; nulls and empty results are null.
    """
    name, _, arg = transform.partition(":")
    func = TRANSFORMS[name]
    codes, uniques = pd.factorize(values.astype("string"), use_na_sentinel=True)
    distinct = pd.Series(uniques, dtype="string").str.strip().str.lower()
    done = func(distinct, arg).astype("string")
    done = done.mask(done.str.len() == 0)
    mapped = done.to_numpy(dtype=object)
    mapped[done.isna().to_numpy()] = None
    out = np.full(len(values), None, dtype=object)
    present = codes >= 0
    out[present] = mapped[codes[present]]
    return pd.Series(out, index=values.index, dtype="string")
