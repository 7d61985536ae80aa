"""Column-wise text edits on numpy string arrays: one numpy call per pattern, never per value.

Every edit here changes each value it is given (callers pass only values it can apply to, as
told by the matching ``can_*`` function), so "applied" in the noise log always means "changed".
"""

from __future__ import annotations

import numpy as np

from benchmarks.suite.transcribed.pools import TEXT, text

s = np.strings


def contains_any(values: np.ndarray, patterns: list[str]) -> np.ndarray:
    """Per value: does it contain at least one of ``patterns``?"""
    out = np.zeros(len(values), dtype=bool)
    for p in dict.fromkeys(patterns):
        out |= s.find(values, p) >= 0
    return out


def replace_one_of(
    values: np.ndarray,
    pairs: list[tuple[str, str]],
    rng: np.random.Generator,
    count: int = 1,
) -> np.ndarray:
    """Apply one (old, new) pair per value, chosen at random among those whose ``old`` occurs.

    ``count=1`` replaces the first occurrence (a single slip), ``-1`` every occurrence (a
    spelling convention). Values without any applicable pair are returned unchanged.
    """
    if not len(values):
        return values.copy()
    olds = text([o for o, _ in pairs])
    news = text([n for _, n in pairs])
    found = np.stack([s.find(values, o) >= 0 for o in olds], axis=1)
    choice = np.argmax(found * (rng.random(found.shape) + 1e-9), axis=1)
    ok = found.any(axis=1)
    out = values.copy()
    out[ok] = s.replace(values[ok], olds[choice[ok]], news[choice[ok]], count)
    return out


def map_chars(values: np.ndarray, table: dict[str, str]) -> np.ndarray:
    """Replace every occurrence of each key of ``table`` by its value."""
    out = values
    for old, new in table.items():
        out = s.replace(out, old, new)
    return out


def _qwertz_neighbours(rows: list[str]) -> dict[str, str]:
    """One neighbouring key per letter on a German keyboard (left or right in its row)."""
    out: dict[str, str] = {}
    for row in rows:
        for i, ch in enumerate(row):
            out[ch] = row[i + 1] if i + 1 < len(row) else row[i - 1]
            out[ch.upper()] = out[ch].upper()
    return out


def keyboard_typo(values: np.ndarray, rng: np.random.Generator, rows: list[str]) -> np.ndarray:
    """One typing slip per value (length ≥ 2): a key dropped, doubled, swapped or mistyped."""
    n = len(values)
    if not n:
        return values.copy()
    length = s.str_len(values)
    pos = (rng.random(n) * (length - 1)).astype(np.int64)  # 0 .. len-2
    op = rng.integers(0, 4, n)
    head, here = s.slice(values, 0, pos), s.slice(values, pos, pos + 1)
    nxt, rest = s.slice(values, pos + 1, pos + 2), s.slice(values, pos + 2, None)
    neighbours = _qwertz_neighbours(rows)
    uniq, inverse = np.unique(here, return_inverse=True)
    typed = text([neighbours.get(str(c), "") for c in uniq])[inverse]
    op[(op == 2) & (here == nxt)] = 0  # swapping equal letters would change nothing
    op[(op == 3) & (typed == "")] = 0  # no neighbour key (digit, space, umlaut): drop instead
    tail = s.add(nxt, rest)
    return np.select(
        [op == 0, op == 1, op == 2],
        [
            s.add(head, tail),
            s.add(s.add(s.add(head, here), here), tail),
            s.add(s.add(s.add(head, nxt), here), rest),
        ],
        s.add(s.add(head, typed), tail),
    ).astype(TEXT)


def digit_typo(digits: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """One slip in each digit string (length ≥ 3): a wrong, swapped, dropped or extra digit."""
    n = len(digits)
    if not n:
        return digits.copy()
    length = s.str_len(digits)
    pos = (rng.random(n) * (length - 1)).astype(np.int64)
    op = rng.integers(0, 4, n)
    head, here = s.slice(digits, 0, pos), s.slice(digits, pos, pos + 1)
    nxt, rest = s.slice(digits, pos + 1, pos + 2), s.slice(digits, pos + 2, None)
    shift = rng.integers(1, 10, n)
    wrong = ((here.astype(np.int64) + shift) % 10).astype(TEXT)
    extra = rng.integers(0, 10, n).astype(TEXT)
    op[(op == 1) & (here == nxt)] = 0
    tail = s.add(nxt, rest)
    return np.select(
        [op == 0, op == 1, op == 2],
        [
            s.add(s.add(head, wrong), tail),
            s.add(s.add(s.add(head, nxt), here), rest),
            s.add(head, tail),
        ],
        s.add(s.add(s.add(head, extra), here), tail),
    ).astype(TEXT)


def truncate(values: np.ndarray, limit: np.ndarray) -> np.ndarray:
    """Cut values at a field limit (trailing blanks dropped, as fixed-width exports do)."""
    return s.rstrip(s.slice(values, 0, limit))
