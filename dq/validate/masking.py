"""Masking personal values in reports: ``"Müller"`` → ``"M****r"``, once per distinct value."""

from __future__ import annotations

import pandas as pd

__all__ = ["mask_value", "mask_values"]


def mask_value(value: str) -> str:
    """Keep the first and last character, star the rest; short values are starred entirely.

    >>> mask_value("Müller")
    'M****r'
    >>> mask_value("ab")
    '**'
    """
    if len(value) <= 3:
        return "*" * len(value)
    return value[0] + "*" * (len(value) - 2) + value[-1]


def mask_values(values: pd.Series) -> pd.Series:
    """:func:`mask_value` over a Series of strings; nulls stay null."""
    text = values.astype("string")
    codes, uniques = pd.factorize(text, use_na_sentinel=True)
    masked = pd.array([mask_value(str(u)) for u in uniques] + [pd.NA], dtype="string")
    return pd.Series(masked[codes], index=values.index, dtype="string")
