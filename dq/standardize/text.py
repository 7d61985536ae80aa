"""Text basics every standardiser shares: Unicode clean-up, folding keys and placeholder values.

``clean_text`` is what a value looks like after standardisation (NFC, one space between words).
``fold`` builds matching keys: lower case, accents stripped, punctuation gone. Its two variants
differ only for German umlauts: ``"plain"`` maps ä→a (what an ASCII keyboard types) and
``"expanded"`` maps ä→ae (how Germans transliterate); both map ß→ss. Matching compares both.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from typing import Literal

import pandas as pd

from dq.standardize._tables import load_table
from dq.standardize._vector import map_distinct

__all__ = [
    "FoldVariant",
    "clean_text",
    "clean_text_series",
    "fold",
    "fold_series",
    "is_placeholder",
    "is_placeholder_value",
]

FoldVariant = Literal["plain", "expanded"]

# Invisible or exotic spaces that Excel, PDFs and web forms leave in values.
_SPACES = re.compile(r"[\s\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = re.compile(r"[\u00ad\u200b-\u200d\u2060\ufeff\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_NON_WORD = re.compile(r"[\W_]+")

# Letters that do not decompose under NFKD but have a conventional ASCII spelling.
_SPECIAL = str.maketrans(
    {
        "ß": "ss",
        "ẞ": "ss",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "ø": "o",
        "Ø": "o",
        "ł": "l",
        "Ł": "l",
        "đ": "d",
        "Đ": "d",
        "ð": "d",
        "þ": "th",
        "ı": "i",
        "&": " und ",
    }
)
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "ae", "Ö": "oe", "Ü": "ue"})


def clean_text(value: str) -> str:
    """NFC, invisible characters dropped, whitespace collapsed: ``" a\u00a0 b "`` → ``"a b"``."""
    text = unicodedata.normalize("NFC", value)
    text = _INVISIBLE.sub("", text)
    return _SPACES.sub(" ", text).strip()


def clean_text_series(values: pd.Series) -> pd.Series:
    """:func:`clean_text` per distinct value; blank results become null."""
    return map_distinct(values, lambda v: clean_text(v) or None)


def fold(value: str, variant: FoldVariant = "plain") -> str:
    """A matching key: lower case, no accents, ß→ss, punctuation to spaces, ``&`` → ``und``.

    ``fold("Müller & Söhne GmbH")`` → ``"muller und sohne gmbh"``;
    ``fold("Müller", "expanded")`` → ``"mueller"``.
    """
    text = _INVISIBLE.sub("", unicodedata.normalize("NFC", value))
    if variant == "expanded":
        text = text.translate(_UMLAUTS)
    text = text.translate(_SPECIAL)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.casefold().translate(_SPECIAL)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", text).strip()


def fold_series(values: pd.Series, variant: FoldVariant = "plain") -> pd.Series:
    """:func:`fold` per distinct value; values that fold to nothing become null."""
    return map_distinct(values, lambda v: fold(v, variant) or None)


@cache
def _placeholders() -> frozenset[str]:
    table = load_table("placeholders")
    return frozenset(fold(str(v)) for v in table["values"])


def is_placeholder_value(value: str) -> bool:
    """True for values meaning "no value": ``n/a``, ``-``, ``xxx``, ``0000``, ``k.A.``, ``test``."""
    stripped = clean_text(value)
    if not stripped:
        return False
    if len(stripped) > 1 and len(set(stripped.casefold())) == 1:
        return True  # "xxx", "0000", "---", "...."
    if not any(ch.isalnum() for ch in stripped):
        return True  # "-", "?", "/", "*"
    key = fold(stripped)
    return key in _placeholders() or (len(set(key.replace(" ", ""))) == 1 and len(key) > 1)


def is_placeholder(values: pd.Series) -> pd.Series:
    """Nullable boolean Series: True where a value is a placeholder, NA where it is blank."""
    return map_distinct(
        values, lambda v: is_placeholder_value(v) if clean_text(v) else None, dtype="boolean"
    )
