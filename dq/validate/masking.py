"""Masking personal values in reports: ``"Müller"`` → ``"M****r"``, once per distinct value."""

from __future__ import annotations

import pandas as pd

from dq.csv_safety import FORMULA_TRIGGERS

__all__ = ["NON_PERSONAL_COLUMNS", "mask_value", "mask_values"]

# Canonical columns whose values say nothing about a person: reports show them unmasked.
NON_PERSONAL_COLUMNS = frozenset(
    [
        "source",
        "party_type",
        "legal_form",
        "industry",
        "employees",
        "salutation",
        "title",
        "country",
        "created_at",
        "updated_at",
        "last_activity_at",
        "marketing_consent",
        "consent_at",
        "consent_withdrawn_at",
        "doc_type",
        "doc_date",
        "due_date",
        "currency",
        "channel",
        "kind",
        "date",
    ]
)


def mask_value(value: str) -> str:
    """Keep the first and last character, star the rest; short values are starred entirely.

    A first character that would start a spreadsheet formula (``=``, ``+``, ``-``, ``@``, tab,
    CR) is starred too, so a masked value never opens as a formula.

    >>> mask_value("Müller")
    'M****r'
    >>> mask_value("ab")
    '**'
    >>> mask_value("=HYPERLINK()")
    '***********)'
    """
    if len(value) <= 3:
        return "*" * len(value)
    first = "*" if value[0] in FORMULA_TRIGGERS else value[0]
    return first + "*" * (len(value) - 2) + value[-1]


def mask_values(values: pd.Series) -> pd.Series:
    """:func:`mask_value` over a Series of strings; nulls stay null."""
    text = values.astype("string")
    codes, uniques = pd.factorize(text, use_na_sentinel=True)
    masked = pd.array([mask_value(str(u)) for u in uniques] + [pd.NA], dtype="string")
    return pd.Series(masked[codes], index=values.index, dtype="string")
