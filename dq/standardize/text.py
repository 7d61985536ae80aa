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
from typing import Any, Literal

import numpy as np
import pandas as pd

from dq.standardize._tables import load_table
from dq.standardize._vector import arrow_mask, arrow_text, as_text, map_distinct

__all__ = [
    "FoldVariant",
    "clean_text",
    "clean_text_series",
    "fold",
    "fold_series",
    "is_placeholder",
    "is_placeholder_value",
    "placeholder_mask",
    "repair_mojibake",
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


# UTF-8 read as Windows-1252 or Latin-1 ("SchÃ¤fer", "MÃ¼ller", "â€“"): a lead byte shown as
# Â, Ã (two-byte sequences: all of Latin-1, the umlauts, ß, é …), Å (Œ, Š, Ž …) or â (three-byte
# sequences: €, dashes, quotes) followed by continuation bytes, shown as Windows-1252 or as
# C1 controls. Real German, Austrian or Swiss text does not hold these pairs. Lead letters are
# matched in either case, so that upper- or lower-casing a cleaned value never creates a new
# sequence to repair (cleaning stays idempotent after a case change).
_CONTINUATION = (
    "\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201a\u201c-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a"
    "\u20ac\u2122\u00ff"  # ÿ: the lower case of Ÿ (0x9F), read as Ÿ
)
_MOJIBAKE = re.compile(
    f"[\u00c2\u00e2][{_CONTINUATION}]{{2}}|[\u00c2\u00c3\u00c5\u00e2\u00e3\u00e5][{_CONTINUATION}]"
)


def _as_bytes(text: str) -> bytes:
    """The bytes a Windows-1252 (else Latin-1) decoder turned into ``text``."""
    out = bytearray()
    for ch in text:
        if ch == "\u00ff":  # a case change turned Ÿ (0x9F) into ÿ
            out += b"\x9f"
            continue
        try:
            out += ch.encode("cp1252")
        except UnicodeEncodeError:
            out += ch.encode("latin-1")  # C1 controls: bytes Windows-1252 leaves undefined
    return bytes(out)


def _decoded(seq: str) -> str | None:
    """The printable character whose UTF-8 bytes ``seq`` shows, or None."""
    try:
        fixed = _as_bytes(seq).decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return None
    return fixed if fixed.isprintable() else None


def _repair_one(match: re.Match[str]) -> str:
    # Â/â start a two-byte sequence (Â©) or, where that gives a control character, a
    # three-byte one (â€“); either case of the lead letter reads the same, and so does either
    # case of Œ/œ, Š/š, Ž/ž in a three-byte one (â€œ and â€Œ: the upper-case one would be an
    # invisible joiner, which no customer record holds)
    found = match.group(0)
    two = _decoded(found[0].upper() + found[1])
    if two is not None:
        return two + found[2:]
    if len(found) == 3:
        three = _decoded("\u00e2" + found[1:].lower())
        if three is not None:
            return three
    return found


def repair_mojibake(value: str) -> str:
    """UTF-8 that was read as Windows-1252/Latin-1, repaired: ``"SchÃ¤fer"`` → ``"Schäfer"``.

    Each such sequence is decoded on its own, so correct umlauts next to it stay as they are;
    a sequence that is no UTF-8 of a printable character is left unchanged.
    """
    while True:  # text encoded twice ("ÃƒÂ¤") needs two rounds; each round shortens it
        repaired = _MOJIBAKE.sub(_repair_one, value)
        if repaired == value:
            return value
        value = repaired


def clean_text(value: str) -> str:
    """NFC, mojibake repaired, invisible characters dropped, whitespace collapsed.

    ``" a\u00a0 b "`` → ``"a b"``, ``"SchÃ¤fer"`` → ``"Schäfer"`` (see :func:`repair_mojibake`).
    """
    # printable: no invisible characters and no whitespace but " "; the common case
    simple = value.isprintable() and "  " not in value
    if simple and (
        value.isascii() or (unicodedata.is_normalized("NFC", value) and not _MOJIBAKE.search(value))
    ):
        return value.strip(" ")
    text = value
    while True:  # dropping an invisible character may join a mojibake sequence
        done = _INVISIBLE.sub("", unicodedata.normalize("NFC", repair_mojibake(text)))
        if done == text:
            break
        text = done
    return _SPACES.sub(" ", text).strip()


def clean_text_series(values: pd.Series) -> pd.Series:
    """:func:`clean_text` per value; blank results become null.

    ASCII values without control characters or double spaces only lose their edge spaces, which
    Arrow does for the whole column; the others go through :func:`clean_text` once per
    distinct value.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    text = as_text(values)
    array = arrow_text(text)
    simple = pc.and_(
        pc.string_is_ascii(array),
        pc.invert(pc.match_substring_regex(array, r"[\x00-\x1f\x7f]|  ")),
    )
    simple_np = np.asarray(pc.fill_null(simple, False).to_numpy(zero_copy_only=False), dtype=bool)
    cleaned = pc.utf8_trim(array, " ")
    rest = ~simple_np & text.notna().to_numpy(dtype=bool)
    if rest.any():
        others = np.full(len(text), None, dtype=object)
        done = map_distinct(text[rest], lambda v: clean_text(v) or None)
        others[rest] = [None if v is pd.NA else v for v in done.to_numpy(dtype=object)]
        cleaned = pc.if_else(pa.array(simple_np), cleaned, pa.array(others, type=pa.string()))
    cleaned = pc.if_else(pc.equal(cleaned, ""), None, cleaned)
    # Arrow-backed: the next kernels and look-ups read it without converting
    out = pd.Series(pd.arrays.ArrowStringArray(cleaned), index=text.index, name=values.name)
    return out


def _fold_slow(value: str, variant: FoldVariant) -> str:
    text = _INVISIBLE.sub("", unicodedata.normalize("NFC", value))
    if variant == "expanded":
        text = text.translate(_UMLAUTS)
    text = text.translate(_SPECIAL)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.casefold().translate(_SPECIAL)
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch))


# Code points folded by table lookup: ASCII, Latin-1, Latin Extended A/B and Additional, general
# punctuation. Anything else (Greek, Cyrillic, CJK …) takes the full Unicode path.
_TABLE_RANGES = (range(0, 0x250), range(0x1E00, 0x1F00), range(0x2000, 0x2070))


@cache
def _fold_table(variant: FoldVariant) -> dict[int, str]:
    table: dict[int, str] = {}
    for block in _TABLE_RANGES:
        for cp in block:
            folded = _NON_WORD.sub(" ", _fold_slow(chr(cp), variant))
            if folded.isascii():
                table[cp] = folded
    return table


def fold(value: str, variant: FoldVariant = "plain") -> str:
    """A matching key: lower case, no accents, ß→ss, punctuation to spaces, ``&`` → ``und``.

    ``fold("Müller & Söhne GmbH")`` → ``"muller und sohne gmbh"``;
    ``fold("Müller", "expanded")`` → ``"mueller"``. Latin text is folded by one table look-up
    per character; other scripts take the full Unicode decomposition (same result).
    """
    text = unicodedata.normalize("NFC", value)
    quick = text.translate(_fold_table(variant))
    if quick.isascii():
        return " ".join(quick.split())
    return _NON_WORD.sub(" ", _fold_slow(text, variant)).strip()


def fold_series(values: pd.Series, variant: FoldVariant = "plain") -> pd.Series:
    """:func:`fold` per distinct value; values that fold to nothing become null."""
    return map_distinct(values, lambda v: fold(v, variant) or None)


_LONGEST_PLACEHOLDER = 30  # characters; longer values are never placeholders (beyond "xxxx…")


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
    if len(stripped) > _LONGEST_PLACEHOLDER:
        return False
    key = fold(stripped)
    return key in _placeholders() or (len(set(key.replace(" ", ""))) == 1 and len(key) > 1)


def placeholder_mask(values: pd.Series) -> pd.Series:
    """Plain boolean Series: :func:`is_placeholder_value` per value (False for nulls), vectorised.

    Each distinct ASCII value is decided with Arrow string kernels (lower case, punctuation to
    spaces, look up; "all characters equal" as the string equal to itself shifted by one); the
    few others go through the Python function. Same answers as :func:`is_placeholder_value`
    (a test checks).
    """
    import pyarrow.compute as pc

    text = as_text(values)
    encoded = arrow_text(text).dictionary_encode()
    per_value = _placeholder_mask(encoded.dictionary)
    indices = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False)
    picked = np.append(per_value, False)[indices]  # null → the appended False
    return pd.Series(picked, index=values.index, dtype=bool)


def _placeholder_mask(array: Any) -> np.ndarray:
    """:func:`is_placeholder_value` for an Arrow array of distinct non-null strings."""
    import pyarrow as pa
    import pyarrow.compute as pc

    control = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"
    visible = array
    if arrow_mask(pc.match_substring_regex(array, control)).any():
        visible = pc.replace_substring_regex(array, control, "")
    stripped = pc.utf8_trim_whitespace(visible)
    length = np.asarray(pc.utf8_length(stripped).to_numpy(zero_copy_only=False))
    ascii_ = arrow_mask(pc.string_is_ascii(stripped))
    lowered = pc.utf8_lower(stripped)
    no_alnum = ~arrow_mask(pc.match_substring_regex(lowered, "[a-z0-9]"))
    repeated = (length > 1) & arrow_mask(
        pc.equal(pc.utf8_slice_codeunits(lowered, 1), pc.utf8_slice_codeunits(lowered, 0, -1))
    )
    # "all one character" and "no letter or digit" hold at any length ("::::…:{{{")
    result: np.ndarray = (length > 0) & ascii_ & (no_alnum | repeated)
    short = np.flatnonzero((length > 0) & (length <= _LONGEST_PLACEHOLDER) & ascii_ & ~result)
    if len(short):
        key = pc.replace_substring(lowered.take(pa.array(short)), "&", " und ")
        key = pc.utf8_trim(pc.replace_substring_regex(key, r"[^a-z0-9]+", " "), " ")
        listed = arrow_mask(pc.is_in(key, value_set=pa.array(sorted(_placeholders()))))
        squeezed = pc.replace_substring(key, " ", "")
        same_chars = arrow_mask(
            pc.equal(pc.utf8_slice_codeunits(squeezed, 1), pc.utf8_slice_codeunits(squeezed, 0, -1))
        )
        squeezed_len = np.asarray(pc.utf8_length(squeezed).to_numpy(zero_copy_only=False))
        key_len = np.asarray(pc.utf8_length(key).to_numpy(zero_copy_only=False))
        result[short] = listed | (same_chars & (squeezed_len > 0) & (key_len > 1))
    other = np.flatnonzero((length > 0) & ~ascii_)
    if len(other):
        values = array.take(pa.array(other)).to_pylist()
        result[other] = [is_placeholder_value(v) for v in values]
    return result


def is_placeholder(values: pd.Series) -> pd.Series:
    """Nullable boolean Series: True where a value is a placeholder, NA where it is blank."""
    blank = values.isna() | (values.astype("string").map(clean_text, na_action="ignore") == "")
    return placeholder_mask(values).astype("boolean").mask(blank.fillna(True).astype(bool))
