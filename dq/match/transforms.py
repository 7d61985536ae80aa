"""Value transforms used by blocking keys, computed once per distinct value.

A key part is written ``column|transform`` (``name_core|prefix:3``, ``last_name|cologne``); the
transforms are looked up by name here, so a new key is data, not code. Each transform maps a
Series of distinct values to an aligned Series (null where a value yields no key).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from dq.match.columns import ColumnCache, IntArray, ObjArray
from dq.match.phonetic import cologne_codes, cologne_series

__all__ = ["PORTABLE", "TRANSFORMS", "transformed"]


def _tokens(values: pd.Series, index: int) -> pd.Series:
    return values.map(lambda v: (v.split() or [""])[index], na_action="ignore")


TRANSFORMS: dict[str, Callable[[pd.Series, str], pd.Series]] = {
    "exact": lambda values, arg: values,
    "prefix": lambda values, arg: values.str.slice(0, int(arg or 1)),
    "suffix": lambda values, arg: values.str.slice(-int(arg or 1)),
    "initial": lambda values, arg: values.str.slice(0, 1),
    "cologne": lambda values, arg: cologne_codes(values),
    "fingerprint": lambda values, arg: values.map(
        lambda v: " ".join(sorted(set(v.split()))), na_action="ignore"
    ),
    "first_token": lambda values, arg: _tokens(values, 0),
    "last_token": lambda values, arg: _tokens(values, -1),
    "digits": lambda values, arg: values.str.replace(r"\D+", "", regex=True),
    "nospace": lambda values, arg: values.str.replace(r"[\s\-.]+", "", regex=True),
}


# Transforms whose fast form yields frame-local results (integer IDs of one frame), with a form
# that means the same in every frame: equal results in one are equal in the other. Partitioned
# engines need these, because a key from one partition must meet the same key from another.
PORTABLE: dict[str, Callable[[pd.Series, str], pd.Series]] = {
    "cologne": lambda values, arg: cologne_series(values),
}


def transformed(
    cache: ColumnCache, part: str, *, portable: bool = False
) -> tuple[IntArray, ObjArray]:
    """Codes per record (and distinct results) of a key part ``column|transform[:arg]``.

    Values are lower-cased before the transform; records without a result get -1. With
    ``portable`` the distinct results mean the same in any frame (see :data:`PORTABLE`).
    """
    column, _, transform = part.partition("|")
    name, _, arg = (transform or "exact").partition(":")
    func = TRANSFORMS[name]
    if portable and name in PORTABLE:
        func, transform = PORTABLE[name], f"portable:{transform}"

    def run(distinct: pd.Series) -> pd.Series:
        return func(distinct.str.lower(), arg)

    if not cache.has(column):
        return np.full(cache.n, -1, dtype=np.int64), np.zeros(0, dtype=object)
    return cache.derived(column, transform or "exact", run)
