"""Defects of hand-typed and re-imported customer data, applied to a chosen subset of values.

Each function takes the values to damage (already selected at random by the caller, so the
share of damaged records is the caller's parameter) and returns new values. Written from how
such defects arise in practice:

- typing: a neighbouring key on a German QWERTZ keyboard, a dropped or doubled letter, two
  letters swapped;
- OCR of scanned forms and faxes: ``0``/``O``, ``1``/``l``, ``5``/``S``, ``rn``/``m``;
- mojibake: UTF-8 bytes read as Windows-1252 by an import (``Schäfer`` → ``SchÃ¤fer``);
- transliteration where a system had no umlauts (``Müller`` → ``Mueller``, ``ß`` → ``ss``);
- upper case from old ERP systems and abbreviations (``Straße`` → ``Str.``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

__all__ = ["mojibake", "ocr", "transliterate", "typo", "upper_ascii"]

_QWERTZ = [
    "1234567890ß",
    "qwertzuiopü",
    "asdfghjklöä",
    "yxcvbnm",
]
_NEIGHBOURS: dict[str, str] = {}
for row_index, row in enumerate(_QWERTZ):
    for col, ch in enumerate(row):
        near = [row[c] for c in (col - 1, col + 1) if 0 <= c < len(row)]
        for other in (row_index - 1, row_index + 1):
            if 0 <= other < len(_QWERTZ):
                near += [_QWERTZ[other][c] for c in (col, col + 1) if c < len(_QWERTZ[other])]
        _NEIGHBOURS[ch] = "".join(near)


def typo(rng: np.random.Generator, values: Sequence[str]) -> list[str]:
    """One typing error per value: neighbour key, deletion, doubled letter or swap."""
    kinds = rng.integers(0, 4, size=len(values))
    out = []
    for value, kind in zip(values, kinds, strict=True):
        letters = [i for i, c in enumerate(value) if c.isalpha()]
        if len(letters) < 3:
            out.append(value)
            continue
        i = letters[int(rng.integers(1, len(letters)))]  # the first letter is rarely mistyped
        c = value[i]
        if kind == 0:
            near = _NEIGHBOURS.get(c.lower(), "")
            if near:
                new = near[int(rng.integers(0, len(near)))]
                value = value[:i] + (new.upper() if c.isupper() else new) + value[i + 1 :]
        elif kind == 1:
            value = value[:i] + value[i + 1 :]
        elif kind == 2:
            value = value[:i] + c + value[i:]
        elif i + 1 < len(value):
            value = value[:i] + value[i + 1] + c + value[i + 2 :]
        out.append(value)
    return out


_OCR_TEXT = [("0", "O"), ("1", "l"), ("5", "S"), ("8", "B"), ("rn", "m"), ("m", "rn"), ("O", "0")]


def ocr(rng: np.random.Generator, values: Sequence[str]) -> list[str]:
    """One OCR confusion per value where one applies (``23048`` → ``23O48``)."""
    out = []
    for value in values:
        options = [(a, b) for a, b in _OCR_TEXT if a in value]
        if not options:
            out.append(value)
            continue
        a, b = options[int(rng.integers(0, len(options)))]
        starts = [m.start() for m in re.finditer(re.escape(a), value)]
        at = starts[int(rng.integers(0, len(starts)))]
        out.append(value[:at] + b + value[at + len(a) :])
    return out


def mojibake(values: Sequence[str]) -> list[str]:
    """UTF-8 text decoded as Windows-1252 (what a wrong import setting does)."""
    out = []
    for value in values:
        raw = value.encode("utf-8")
        try:
            out.append(raw.decode("cp1252"))
        except UnicodeDecodeError:
            out.append(raw.decode("latin-1"))
    return out


_TRANSLIT = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}
)


def transliterate(values: Sequence[str]) -> list[str]:
    """Umlauts and ß written out, as systems without them store names."""
    return [v.translate(_TRANSLIT) for v in values]


def upper_ascii(values: Sequence[str]) -> list[str]:
    """Upper case without umlauts, as old ERP masks store names (``MUELLER GMBH``)."""
    return [v.translate(_TRANSLIT).upper() for v in values]
