"""Interactions from sales notes: the kind of a note (complaint, return, payment reminder, offer,
order) read from its category, subject and text with the keyword table ``data/notes.yaml``,
German and English.

A category the source gives is kept when it is one of the kinds; any other category (an
unmapped ``Rückruf``, a typo, a CRM's own label) never passes through as ``kind``: the kind is
read from the words instead, and the source's category is kept in ``kind_raw``.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pandas as pd
import yaml

from dq.schema import CHANNELS, INTERACTION_KINDS

__all__ = ["classify_kind", "complete_interactions"]

_KEYWORDS = Path(__file__).with_name("data") / "notes.yaml"


@cache
def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    table: dict[str, list[str]] = yaml.safe_load(_KEYWORDS.read_text(encoding="utf-8"))
    unknown = set(table) - set(INTERACTION_KINDS)
    if unknown:
        raise ValueError(f"{_KEYWORDS}: kinds not in INTERACTION_KINDS: {sorted(unknown)}")
    return [
        (kind, re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + ")", re.IGNORECASE))
        for kind, words in table.items()
    ]


def classify_kind(subject: pd.Series, text: pd.Series) -> pd.Series:
    """The kind of each note from its words; ``other`` where no keyword matches."""
    both = subject.astype("string").fillna("") + " " + text.astype("string").fillna("")
    kind = pd.Series("other", index=both.index, dtype="string")
    decided = pd.Series(False, index=both.index)
    for name, pattern in _patterns():
        hit = both.str.contains(pattern, regex=True).fillna(False) & ~decided
        kind = kind.mask(hit, name)
        decided |= hit
    return kind


def complete_interactions(frame: pd.DataFrame) -> pd.DataFrame:
    """Fill ``kind`` from the words where missing or not one of the kinds (the source's category
    then stays in ``kind_raw``), and ``channel`` with ``note`` where missing or unknown."""
    out = frame.copy()
    given = out["kind"].astype("string").str.strip()
    known = given.str.lower().where(given.str.lower().isin(INTERACTION_KINDS))
    unknown = given.notna() & (given != "") & known.isna()
    todo = known.isna()
    if todo.any():
        words = (
            given.where(unknown, "").fillna("") + " " + out["subject"].astype("string").fillna("")
        )
        known = known.mask(todo, classify_kind(words[todo], out.loc[todo, "text"]))
    out["kind"] = known.astype("string")
    if unknown.any():
        out["kind_raw"] = given.where(unknown)
    channel_known = out["channel"].isin(CHANNELS)
    out["channel"] = out["channel"].where(channel_known, "note")
    return out
