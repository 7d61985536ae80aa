"""Valid identifiers in bulk: VAT IDs (DE, AT, CH UID) and IBANs (DE, AT, CH), vectorised.

The check digits follow the published algorithms (the same ones python-stdnum implements; the
tests check every generated value with python-stdnum):

- DE USt-IdNr.: 8 digits + ISO 7064 MOD 11,10 check digit (BZSt);
- AT UID: "U" + 7 digits + check digit (6 − Luhn checksum of the 7 digits) mod 10 (BMF);
- CH UID: 8 digits + (11 − Σ wᵢdᵢ) mod 11 with weights 5 4 3 2 7 6 5 4; 10 is never issued;
- IBAN: ISO 13616 check digits 98 − (BBAN + country letters as numbers + "00") mod 97.

Every function takes a numpy ``Generator`` and returns arrays of strings; one loop runs over
digit positions (≤ 30), never over records.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

__all__ = [
    "corrupt_digits",
    "iban",
    "iban_valid",
    "vat_ids",
    "vat_valid",
]

_BBAN = {"DE": (8, 10), "AT": (5, 11), "CH": (5, 12)}  # bank code digits, account digits


def _digits(rng: np.random.Generator, n: int, width: int, first_nonzero: bool) -> np.ndarray:
    d = rng.integers(0, 10, size=(n, width), dtype=np.int64)
    if first_nonzero and width:
        d[:, 0] = rng.integers(1, 10, size=n)
    return d


def _join(d: np.ndarray) -> np.ndarray:
    """Rows of digits to strings."""
    if d.shape[1] == 0:
        return np.full(d.shape[0], "", dtype=object)
    return np.array(d.astype(np.uint8) + ord("0")).view(f"S{d.shape[1]}").ravel().astype(str)


def _mod_11_10(d: np.ndarray) -> np.ndarray:
    check = np.full(d.shape[0], 5, dtype=np.int64)
    for k in range(d.shape[1]):
        check = (np.where(check == 0, 10, check) * 2 % 11 + d[:, k]) % 10
    return check


def _de_check(d: np.ndarray) -> np.ndarray:
    return (1 - np.where((c := _mod_11_10(d)) == 0, 10, c) * 2 % 11) % 10


def _luhn(d: np.ndarray) -> np.ndarray:
    rev = d[:, ::-1]
    plain = rev[:, ::2].sum(axis=1)
    doubled = rev[:, 1::2] * 2
    return (plain + (doubled // 10 + doubled % 10).sum(axis=1)) % 10


_CH_WEIGHTS = np.array([5, 4, 3, 2, 7, 6, 5, 4])


def vat_ids(rng: np.random.Generator, countries: np.ndarray) -> np.ndarray:
    """One valid VAT ID per row, compact form (``DE123456788``, ``ATU12345675``, ``CHE…``)."""
    n = len(countries)
    out = np.empty(n, dtype=object)
    de = countries == "DE"
    d = _digits(rng, int(de.sum()), 8, True)
    out[de] = np.char.add(np.char.add("DE", _join(d)), _de_check(d).astype(str))
    at = countries == "AT"
    d = _digits(rng, int(at.sum()), 7, False)
    out[at] = np.char.add(np.char.add("ATU", _join(d)), ((6 - _luhn(d)) % 10).astype(str))
    ch = countries == "CH"
    d = _digits(rng, int(ch.sum()), 8, True)
    check = (11 - (d * _CH_WEIGHTS).sum(axis=1)) % 11
    while (bad := check == 10).any():  # 10 is never issued: draw the last digit again
        d[bad, 7] = (d[bad, 7] + 1) % 10
        check = (11 - (d * _CH_WEIGHTS).sum(axis=1)) % 11
    out[ch] = np.char.add(np.char.add("CHE", _join(d)), check.astype(str))
    return out


def _digit_block(values: np.ndarray, prefix: str, width: int) -> tuple[np.ndarray, np.ndarray]:
    """Rows of ``prefix`` + ``width`` digits as a digit matrix, and where they are."""
    s = np.asarray(values, dtype=str)
    mask = np.char.startswith(s, prefix) & (np.char.str_len(s) == len(prefix) + width)
    tail = np.array([v[len(prefix) :] for v in s[mask]], dtype=f"S{width}")
    mask[np.flatnonzero(mask)[~np.char.isdigit(tail.astype(str))]] = False
    tail = np.array([v[len(prefix) :] for v in s[mask]], dtype=f"S{width}")
    d = np.frombuffer(tail.tobytes(), dtype=np.uint8).reshape(-1, width).astype(np.int64) - 48
    return d, mask


def vat_valid(numbers: np.ndarray) -> np.ndarray:
    """Check-digit test of compact DE, AT and CH VAT IDs (``DE…``, ``ATU…``, ``CHE…``)."""
    result = np.zeros(len(numbers), dtype=bool)
    d, mask = _digit_block(numbers, "DE", 9)
    result[mask] = (_de_check(d[:, :8]) == d[:, 8]) & (d[:, 0] != 0)
    d, mask = _digit_block(numbers, "ATU", 8)
    result[mask] = (6 - _luhn(d[:, :7])) % 10 == d[:, 7]
    d, mask = _digit_block(numbers, "CHE", 9)
    result[mask] = (11 - (d[:, :8] * _CH_WEIGHTS).sum(axis=1)) % 11 == d[:, 8]
    return result


def _mod97(d: np.ndarray) -> np.ndarray:
    r = np.zeros(d.shape[0], dtype=np.int64)
    for k in range(d.shape[1]):
        r = (r * 10 + d[:, k]) % 97
    return r


_LETTER = {c: ord(c) - ord("A") + 10 for c in "ACDEHT"}


def _country_digits(country: str) -> list[int]:
    return [int(x) for x in "".join(str(_LETTER[c]) for c in country)]


def iban(rng: np.random.Generator, countries: np.ndarray) -> np.ndarray:
    """One valid IBAN per row, compact (``DE89370400440532013000``)."""
    out = np.empty(len(countries), dtype=object)
    for country, (bank, account) in _BBAN.items():
        mask = countries == country
        n = int(mask.sum())
        if not n:
            continue
        bban = _digits(rng, n, bank + account, True)
        tail = np.tile(np.array([*_country_digits(country), 0, 0]), (n, 1))
        check = 98 - _mod97(np.hstack([bban, tail]))
        two = np.char.zfill(check.astype(str), 2)
        out[mask] = np.char.add(np.char.add(country, two), _join(bban))
    return out


def iban_valid(values: np.ndarray) -> np.ndarray:
    """ISO 13616 check of compact DE/AT/CH IBANs (digits-only BBAN), vectorised per country."""
    s = np.asarray(values, dtype=str)
    result = np.zeros(len(s), dtype=bool)
    for country, (bank, account) in _BBAN.items():
        width = 4 + bank + account
        mask = np.char.startswith(s, country) & (np.char.str_len(s) == width)
        if not mask.any():
            continue
        raw = np.frombuffer(np.array(s[mask], dtype=f"S{width}").tobytes(), dtype=np.uint8)
        d = raw.reshape(-1, width)[:, 2:].astype(np.int64) - ord("0")
        digits_ok = ((d >= 0) & (d <= 9)).all(axis=1)
        d = np.clip(d, 0, 9)
        n = d.shape[0]
        rearranged = np.hstack([d[:, 2:], np.tile(_country_digits(country), (n, 1)), d[:, :2]])
        result[np.flatnonzero(mask)] = digits_ok & (_mod97(rearranged) == 1)
    return result


# OCR confusions of digits and letters (scanned forms, faxed order confirmations)
_OCR = {"0": "O", "1": "l", "5": "S", "8": "B", "2": "Z", "6": "G"}


def corrupt_digits(
    rng: np.random.Generator,
    values: list[str],
    kinds: np.ndarray,
    valid: Callable[[np.ndarray], np.ndarray] | None = None,
) -> list[str]:
    """Damage one digit of each value: 0 = transposition of two adjacent different digits,
    1 = a wrong digit (typing), 2 = an OCR letter for a digit. Values without digits pass.

    With ``valid`` (a vectorised check), a value whose damage the check digit cannot see (some
    transpositions) is damaged again as a wrong digit, so every result fails its check.
    """
    out = _corrupt(rng, values, kinds)
    for _ in range(5):
        if valid is None:
            break
        still = np.flatnonzero(valid(np.array(out, dtype=str)))
        if not len(still):
            break
        again = _corrupt(rng, [values[i] for i in still], np.ones(len(still), dtype=np.int64))
        for i, v in zip(still, again, strict=True):
            out[i] = v
    return out


def _corrupt(rng: np.random.Generator, values: list[str], kinds: np.ndarray) -> list[str]:
    out = []
    for value, kind in zip(values, kinds, strict=True):
        pos = [i for i, c in enumerate(value) if c.isdigit()]
        if len(pos) < 2:
            out.append(value)
            continue
        chars = list(value)
        at = pos[int(rng.integers(0, len(pos) - 1))]
        nxt = next((p for p in pos if p > at), at)
        if kind == 0 and chars[at] != chars[nxt]:
            chars[at], chars[nxt] = chars[nxt], chars[at]
        elif kind == 2 and chars[at] in _OCR:
            chars[at] = _OCR[chars[at]]
        else:
            chars[at] = str((int(chars[at]) + int(rng.integers(1, 10))) % 10)
        out.append("".join(chars))
    return out
