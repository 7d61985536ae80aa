"""VAT IDs and IBANs of DE, AT and CH with real check digits, their errors and written forms.

Check digits follow the published algorithms (ISO 7064 MOD 11,10 for German VAT IDs, the Luhn
variant of the Austrian UID, the weighted MOD 11 of the Swiss UID, ISO 13616 MOD 97-10 for IBANs),
computed column-wise over digit matrices: one numpy operation per digit position, not per value.
"""

from __future__ import annotations

import numpy as np

from benchmarks.suite.transcribed.pools import TEXT, text

# width of the compact form and the slice that holds digits (the part errors may touch)
VAT_LAYOUT = {"DE": (11, 2), "AT": (11, 3), "CH": (12, 3)}
IBAN_LAYOUT = {"DE": (22, 2), "AT": (20, 2), "CH": (21, 2)}
_IBAN_COUNTRY_DIGITS = {"DE": (1, 3, 1, 4), "AT": (1, 0, 2, 9), "CH": (1, 2, 1, 7)}
_OCR_LETTER = {ord("0"): "O", ord("1"): "I", ord("5"): "S", ord("8"): "B"}


def _digits(rng: np.random.Generator, n: int, width: int, first_min: int = 0) -> np.ndarray:
    m = rng.integers(0, 10, size=(n, width), dtype=np.int64)
    if first_min:
        m[:, 0] = rng.integers(first_min, 10, size=n)
    return m


def _as_text(prefix: str, digits: np.ndarray) -> np.ndarray:
    """Digit matrix -> strings ``prefix + digits`` (ASCII bytes viewed as fixed-width strings)."""
    raw = np.ascontiguousarray((digits + 48).astype(np.uint8))
    body = raw.view(f"S{digits.shape[1]}").ravel().astype(TEXT)
    return np.strings.add(text(prefix), body) if prefix else body


def mod_11_10(digits: np.ndarray) -> np.ndarray:
    """ISO 7064 MOD 11,10 check digit of each row (German VAT IDs)."""
    check = np.full(digits.shape[0], 5, dtype=np.int64)
    for col in digits.T:
        check = ((np.where(check == 0, 10, check) * 2) % 11 + col) % 10
    return (1 - (np.where(check == 0, 10, check) * 2) % 11) % 10


def luhn_at(digits: np.ndarray) -> np.ndarray:
    """Check digit of the Austrian UID (ATU + 7 digits + check), a Luhn variant."""
    doubled = digits[:, 1::2] * 2
    total = digits[:, 0::2].sum(axis=1) + (doubled // 10 + doubled % 10).sum(axis=1)
    return (6 - total % 10) % 10


def mod_11_ch(digits: np.ndarray) -> np.ndarray:
    """Check digit of the Swiss UID (CHE + 8 digits + check); 10 means the number is unusable."""
    weights = np.array([5, 4, 3, 2, 7, 6, 5, 4])
    return (11 - (digits * weights).sum(axis=1) % 11) % 11


def mod_97(digits: np.ndarray) -> np.ndarray:
    """Remainder modulo 97 of each row read as one decimal number."""
    rest = np.zeros(digits.shape[0], dtype=np.int64)
    for col in digits.T:
        rest = (rest * 10 + col) % 97
    return rest


def vat_ids(rng: np.random.Generator, country: np.ndarray) -> np.ndarray:
    """A valid VAT ID (compact form) for each row's country: DE, AT or CH."""
    out = np.full(len(country), "", dtype=TEXT)
    sel = country == "DE"
    body = _digits(rng, int(sel.sum()), 8, first_min=1)
    out[sel] = _as_text("DE", np.column_stack([body, mod_11_10(body)]))
    sel = country == "AT"
    body = _digits(rng, int(sel.sum()), 7)
    out[sel] = _as_text("ATU", np.column_stack([body, luhn_at(body)]))
    sel = np.flatnonzero(country == "CH")
    body = _digits(rng, len(sel), 8, first_min=1)
    check = mod_11_ch(body)
    while (bad := check == 10).any():  # no valid UID with these eight digits: draw again
        body[bad] = _digits(rng, int(bad.sum()), 8, first_min=1)
        check = mod_11_ch(body)
    out[sel] = _as_text("CHE", np.column_stack([body, check]))
    return out


def ibans(rng: np.random.Generator, country: np.ndarray) -> np.ndarray:
    """A valid IBAN (compact form) for each row's country: DE, AT or CH."""
    out = np.full(len(country), "", dtype=TEXT)
    for code, (width, _) in IBAN_LAYOUT.items():
        sel = country == code
        n = int(sel.sum())
        bban = _digits(rng, n, width - 4, first_min=1)
        tail = np.tile(np.array([*_IBAN_COUNTRY_DIGITS[code], 0, 0]), (n, 1))
        check = 98 - mod_97(np.column_stack([bban, tail]))
        out[sel] = _as_text(code, np.column_stack([check // 10, check % 10, bban]))
    return out


def _bytes(values: np.ndarray, width: int) -> np.ndarray:
    return values.astype(f"S{width}").view(np.uint8).reshape(len(values), width).copy()


def _from_bytes(matrix: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(matrix).view(f"S{matrix.shape[1]}").ravel().astype(TEXT)


def corrupt(
    values: np.ndarray,
    country: np.ndarray,
    hit: np.ndarray,
    rng: np.random.Generator,
    layout: dict[str, tuple[int, int]],
) -> np.ndarray:
    """Copy of ``values`` with one transcription error in the digits of each ``hit`` row.

    The error is an adjacent transposition (40 %), a wrong digit (30 %) or an OCR letter for a
    digit (30 %: 0→O, 1→I, 5→S, 8→B). Each changes the value; most break the check digits,
    a few keep them valid, as in real data.
    """
    out = values.copy()
    for code, (width, lo) in layout.items():
        rows = np.flatnonzero(hit & (country == code) & (np.strings.str_len(values) == width))
        if not len(rows):
            continue
        m = _bytes(values[rows], width)
        n = len(rows)
        mode = np.searchsorted([0.4, 0.7], rng.random(n), side="right")
        pos = rng.integers(lo, width - 1, size=n)
        r = np.arange(n)
        a, b = m[r, pos], m[r, pos + 1]
        mode[(mode == 0) & (a == b)] = 1  # swapping equal digits would change nothing
        ocr_ok = np.isin(m[:, lo:], list(_OCR_LETTER))
        mode[(mode == 2) & ~ocr_ok.any(axis=1)] = 1
        t = mode == 0
        m[r[t], pos[t]], m[r[t], pos[t] + 1] = b[t], a[t]
        s = mode == 1
        m[r[s], pos[s]] = (m[r[s], pos[s]] - 48 + rng.integers(1, 10, size=int(s.sum()))) % 10 + 48
        o = np.flatnonzero(mode == 2)
        pick = np.argmax(ocr_ok[o] * rng.random((len(o), width - lo)), axis=1) + lo
        lut = np.arange(256, dtype=np.uint8)
        for digit, letter in _OCR_LETTER.items():
            lut[digit] = ord(letter)
        m[o, pick] = lut[m[o, pick]]
        out[rows] = _from_bytes(m)
    return out


def format_vat(values: np.ndarray, country: np.ndarray, style: np.ndarray) -> np.ndarray:
    """Written forms of compact VAT IDs; style 0 keeps the compact form.

    1 ``DE 123 456 789`` / ``ATU 1234 5678`` / ``CHE-123.456.789``, 2 lower case,
    3 a dash after the prefix, 4 the number without the country prefix (DATEV's split field;
    for CH: ``CHE-123.456.789 MWST``, the form printed on Swiss invoices).
    """
    out = values.copy()
    s = np.strings

    def cut(v: np.ndarray, a: int, b: int | None = None) -> np.ndarray:
        return s.slice(v, a, b)

    for code, (width, lo) in VAT_LAYOUT.items():
        base = (country == code) & (s.str_len(values) == width)
        for st in (1, 2, 3, 4):
            rows = np.flatnonzero(base & (style == st))
            v = values[rows]
            if st == 2:
                new = s.lower(v)
            elif st == 3:
                new = s.add(s.add(cut(v, 0, lo), "-"), cut(v, lo))
            elif code == "CH":
                dotted = s.add(
                    s.add(s.add(s.add(s.add("CHE-", cut(v, 3, 6)), "."), cut(v, 6, 9)), "."),
                    cut(v, 9),
                )
                new = dotted if st == 1 else s.add(dotted, " MWST")
            elif st == 4:
                new = cut(v, lo)
            elif code == "DE":
                new = s.add(s.add(s.add(s.add("DE ", cut(v, 2, 5)), " "), cut(v, 5, 8)), " ")
                new = s.add(new, cut(v, 8))
            else:
                new = s.add(s.add(s.add("ATU ", cut(v, 3, 7)), " "), cut(v, 7))
            out[rows] = new
    return out


def format_iban(values: np.ndarray, style: np.ndarray) -> np.ndarray:
    """Written forms of compact IBANs: 1 in groups of four (as printed), 2 lower case,
    3 groups of four in lower case; 0 keeps the compact form."""
    out = values.copy()
    grouped_rows = np.flatnonzero((style == 1) | (style == 3))
    v = values[grouped_rows]
    grouped = np.strings.slice(v, 0, 4)
    for start in range(4, 24, 4):
        part = np.strings.slice(v, start, start + 4)
        grouped = np.where(part == "", grouped, np.strings.add(np.strings.add(grouped, " "), part))
    out[grouped_rows] = grouped
    lower = (style == 2) | (style == 3)
    out[lower] = np.strings.lower(out[lower])
    return out
