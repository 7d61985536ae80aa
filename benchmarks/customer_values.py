"""Vectorised value makers for ``generate_customers.py``: valid VAT IDs and IBANs, typos,
phone formats, slugs, masked string operations on numpy object arrays.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"})


def _obj(values: object) -> np.ndarray:
    return np.asarray(values, dtype=object)


def _cat(*parts: object) -> np.ndarray:
    """Element-wise string concatenation of arrays and scalars; None where any part is None."""
    arrays = [p for p in parts if isinstance(p, np.ndarray)]
    ok = np.ones(len(arrays[0]), dtype=bool)
    for a in arrays:
        ok &= pd.notna(a)
    acc: object = ""
    for p in parts:
        acc = acc + (p[ok].astype(object) if isinstance(p, np.ndarray) else p)  # type: ignore[operator]
    out = np.full(len(ok), None, dtype=object)
    out[ok] = acc
    return out


def _pick(rng: np.random.Generator, table: object, size: int, p: object = None) -> np.ndarray:
    arr = _obj(table)
    return arr[rng.choice(len(arr), size=size, p=p)]


def _zipf_p(k: int, s: float = 0.9) -> np.ndarray:
    w = 1.0 / np.arange(1, k + 1) ** s
    return w / w.sum()


def _digits(rng: np.random.Generator, size: int, n: int) -> np.ndarray:
    """``size`` random digit strings of length ``n`` (leading zeros kept)."""
    nums = rng.integers(0, 10**n, size=size)
    return pd.Series(nums).astype(str).str.zfill(n).to_numpy(dtype=object)


def _vat_ids(rng: np.random.Generator, size: int) -> np.ndarray:
    """Valid German VAT IDs (ISO 7064 MOD 11,10 check digit), vectorised over digits."""
    body = rng.integers(0, 10, size=(size, 8))
    body[:, 0] = rng.integers(1, 10, size=size)
    product = np.full(size, 10)
    for i in range(8):
        s = (body[:, i] + product) % 10
        s[s == 0] = 10
        product = (2 * s) % 11
    check = (11 - product) % 10
    digits = np.concatenate([body, check[:, None]], axis=1)
    nums = (digits * (10 ** np.arange(8, -1, -1))).sum(axis=1)
    return "DE" + pd.Series(nums).astype(str).str.zfill(9).to_numpy(dtype=object)


def _ibans(rng: np.random.Generator, size: int) -> np.ndarray:
    """Valid German IBANs: DE + mod-97 check digits + 8-digit bank code + 10-digit account."""
    bban = rng.integers(0, 10, size=(size, 18))
    bban[:, 0] = rng.integers(1, 9, size=size)
    tail = np.array([1, 3, 1, 4, 0, 0])  # "DE00" as digits
    r = np.zeros(size, dtype=np.int64)
    for col in [*bban.T, *(np.full(size, d) for d in tail)]:
        r = (r * 10 + col) % 97
    check = pd.Series(98 - r).astype(str).str.zfill(2).to_numpy(dtype=object)
    body = pd.Series((bban * (10 ** np.arange(17, -1, -1, dtype=np.int64))).sum(axis=1))
    return "DE" + check + body.astype(str).str.zfill(18).to_numpy(dtype=object)


def _typo(values: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """One keyboard slip per value: deletion, substitution, transposition or doubling."""
    out = values.copy()
    pos = rng.random(len(values))
    ops = rng.integers(0, 4, len(values))
    letters = rng.choice(list("aeinrstlomdhu"), size=len(values))
    for i, s in enumerate(values):
        if not isinstance(s, str) or len(s) < 4:
            continue
        j = 1 + int(pos[i] * (len(s) - 2))
        op = ops[i]
        if op == 0:
            out[i] = s[:j] + s[j + 1 :]
        elif op == 1:
            out[i] = s[:j] + letters[i] + s[j + 1 :]
        elif op == 2:
            out[i] = s[: j - 1] + s[j] + s[j - 1] + s[j + 1 :]
        else:
            out[i] = s[:j] + s[j] + s[j:]
    return out


def _apply(
    values: np.ndarray, mask: np.ndarray, func: object, per_value: bool = True
) -> np.ndarray:
    """Apply a vectorised ``func(array) -> array`` to the masked entries only.

    With ``per_value`` the function runs once per distinct value and is mapped back.
    """
    out = values.copy()
    if not mask.any():
        return out
    sub = values[mask]
    if per_value:
        codes, uniques = pd.factorize(sub, use_na_sentinel=False)
        out[mask] = _obj(func(_obj(uniques)))[codes]  # type: ignore[operator]
    else:
        out[mask] = func(sub)  # type: ignore[operator]
    return out


def _str_replace(values: np.ndarray, pat: str, repl: str, regex: bool = False) -> np.ndarray:
    s = pd.Series(values, dtype=object).str.replace(pat, repl, regex=regex)
    return s.to_numpy(dtype=object)


def _slug(values: np.ndarray) -> np.ndarray:
    """``Müller & Söhne Bau`` → ``mueller-soehne-bau``, computed once per distinct value."""
    codes, uniques = pd.factorize(pd.Series(values, dtype=object).fillna(""))
    s = pd.Series(uniques, dtype=object).str.translate(FOLD).str.lower()
    s = s.str.replace(r"[^a-z0-9]+", "-", regex=True).str.strip("-")
    return s.to_numpy(dtype=object)[codes]


_PHONE_FORMATS = (
    ("+49 ", " "),
    ("0", " "),
    ("0", "/"),
    ("+49 (0)", " "),
    ("0049", ""),
    ("(0", ") "),
    ("0", "-"),
)


def _phone(rng: np.random.Generator, area: np.ndarray, sub: np.ndarray) -> np.ndarray:
    """German phone numbers in the formats exports contain (+49 89 …, 089/…, (089) …)."""
    fmt = rng.integers(0, len(_PHONE_FORMATS), len(area))
    out = np.empty(len(area), dtype=object)
    for i, (prefix, sep) in enumerate(_PHONE_FORMATS):
        sel = fmt == i
        out[sel] = prefix + area[sel].astype(object) + sep + sub[sel].astype(object)
    return out
