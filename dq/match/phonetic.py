"""Cologne phonetics (Kölner Phonetik): a phonetic code for German names.

Names that sound alike get the same code ("Meier", "Mayer", "Maier" → "67"), so a blocking key on
the code pairs records despite spelling variants. :func:`cologne_series` computes the code once per
distinct value and maps it back, so a column of a million names costs as much as its vocabulary.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["cologne", "cologne_codes", "cologne_raw", "cologne_series"]

_FOLD = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "s", "é": "e", "è": "e", "á": "a"})
# Letters with a code independent of their neighbours.
_SIMPLE = {
    **dict.fromkeys("aeijouy", "0"),
    "b": "1",
    **dict.fromkeys("fvw", "3"),
    **dict.fromkeys("gkq", "4"),
    "l": "5",
    **dict.fromkeys("mn", "6"),
    "r": "7",
    **dict.fromkeys("sz", "8"),
}
_C_HARD_START = frozenset("ahkloqrux")
_C_HARD = frozenset("ahkoqux")


def cologne_raw(text: str) -> str:
    """The per-letter codes of one word before duplicates and zeros are removed."""
    word = "".join(ch for ch in text.lower().translate(_FOLD) if "a" <= ch <= "z")
    out: list[str] = []
    last = len(word) - 1
    for i, ch in enumerate(word):
        nxt = word[i + 1] if i < last else ""
        prev = word[i - 1] if i > 0 else ""
        code = _SIMPLE.get(ch)
        if code is None:
            if ch == "h":
                continue
            if ch == "p":
                code = "3" if nxt == "h" else "1"
            elif ch in "dt":
                code = "8" if nxt in ("c", "s", "z") and nxt else "2"
            elif ch == "x":
                code = "8" if prev in ("c", "k", "q") and prev else "48"
            elif ch == "c":
                if i == 0:
                    code = "4" if nxt in _C_HARD_START and nxt else "8"
                elif prev in ("s", "z"):
                    code = "8"
                else:
                    code = "4" if nxt in _C_HARD and nxt else "8"
            else:  # pragma: no cover - every a-z letter is handled above
                continue
        out.append(code)
    return "".join(out)


def _collapse(raw: str) -> str:
    if not raw:
        return ""
    kept = [raw[0]]
    for ch in raw[1:]:
        if ch != kept[-1]:
            kept.append(ch)
    return kept[0] + "".join(ch for ch in kept[1:] if ch != "0")


def cologne(text: str) -> str:
    """The Cologne phonetic code of ``text``, word by word, joined by spaces.

    >>> cologne("Müller-Lüdenscheidt")
    '65752682'
    >>> cologne("Meier Bau")
    '67 1'
    """
    words = text.replace("-", "").split()
    return " ".join(code for code in (_collapse(cologne_raw(w)) for w in words) if code)


def cologne_series(values: pd.Series) -> pd.Series:
    """Cologne codes of a text column, computed once per distinct word; nulls stay null."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    words: dict[str, str] = {}

    def word_code(word: str) -> str:
        code = words.get(word)
        if code is None:
            code = words[word] = _collapse(cologne_raw(word))
        return code

    mapped = np.array(
        [
            " ".join(c for c in map(word_code, str(v).replace("-", "").split()) if c) or None
            for v in uniques
        ],
        dtype=object,
    )
    out = np.full(len(values), None, dtype=object)
    present = codes >= 0
    out[present] = mapped[codes[present]]
    return pd.Series(out, index=values.index, dtype="string")


def cologne_codes(values: pd.Series) -> pd.Series:
    """An integer per value identifying its word-by-word Cologne code (0 → null).

    Equal integers mean equal codes (a 64-bit polynomial hash over per-word code IDs). Only
    distinct *words* run through Python; splitting, hashing and grouping are vectorised, which
    makes this the fast path for blocking keys.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    index = values.index
    text = pa.array(values.astype("string").array, type=pa.string())
    # split and group words in Arrow: only distinct words run through Python
    split = pc.utf8_split_whitespace(pc.replace_substring(text, "-", ""))
    words = pc.list_flatten(split)
    owner = np.asarray(pc.list_parent_indices(split).to_numpy(), dtype=np.int64)
    encoded = pc.dictionary_encode(words)
    word_codes = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    word_uniques = encoded.dictionary.to_pylist()
    phon = np.array([_collapse(cologne_raw(w)) for w in word_uniques], dtype=object)
    phon_ids, _ = pd.factorize(phon)
    # 0 for words without a code (digits only), so they do not change the hash
    ids = np.where(np.asarray([bool(p) for p in phon]), phon_ids + 1, 0).astype(np.uint64)
    per_word = ids[word_codes] if len(ids) else np.zeros(len(word_codes), dtype=np.uint64)
    kept = per_word > 0
    owner, per_word = owner[kept], per_word[kept]  # owner ascending: a value's words in a run
    out = np.zeros(len(values), dtype=np.uint64)
    if len(owner):
        starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
        at = np.arange(len(owner))
        position = (at - np.repeat(starts, np.diff(np.r_[starts, len(owner)]))).astype(np.uint64)
        with np.errstate(over="ignore"):
            contrib = per_word * (np.uint64(1_000_003) ** position) + position
            out[owner[starts]] = np.add.reduceat(contrib, starts)
    result = pd.Series(out.astype(np.int64), index=index, dtype="Int64")
    return result.mask(result == 0)
