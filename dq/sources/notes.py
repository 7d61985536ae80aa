"""Interactions from sales notes: the kind of a note (complaint, return, offer, order) read from
its subject and text with the keyword table ``data/notes.yaml`` where the source gives none."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pandas as pd
import yaml

__all__ = ["classify_kind", "complete_interactions"]

_KEYWORDS = Path(__file__).with_name("data") / "notes.yaml"


@cache
def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    table: dict[str, list[str]] = yaml.safe_load(_KEYWORDS.read_text(encoding="utf-8"))
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
    """Fill ``kind`` from the words where missing, and ``channel`` with ``note`` where missing;
    channel values outside the vocabulary become ``note``."""
    out = frame.copy()
    missing = out["kind"].isna()
    if missing.any():
        out.loc[missing, "kind"] = classify_kind(
            out.loc[missing, "subject"], out.loc[missing, "text"]
        )
    known = out["channel"].isin(["call", "email", "visit", "meeting", "note"])
    out["channel"] = out["channel"].where(known, "note")
    return out
