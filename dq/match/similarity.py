"""Similarity of pairs of values: rapidfuzz scorers, and the cut-short and abbreviated forms.

The string work of the comparisons (:mod:`dq.match.comparisons`), column-wise over arrays of
value pairs: rapidfuzz's ``cpdist`` for the scores, numpy's string functions and Arrow's
kernels for truncation ("lizenzvermar" of a longer name) and abbreviation ("meyer int").
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from rapidfuzz import process

from dq.match.comparison_spec import SCORERS

__all__ = [
    "TRUNCATED_MIN",
    "abbreviated",
    "coded_similarity",
    "distinct_code_pairs",
    "shape",
    "similarity",
    "truncated",
]

IntArray = npt.NDArray[np.int64]


def similarity(
    left: npt.NDArray[np.object_], right: npt.NDArray[np.object_], scorer: str
) -> npt.NDArray[np.float32]:
    """Similarity in 0..1 per pair; ``a+b`` takes the better of two scorers per pair."""
    if len(left) == 0:
        return np.zeros(0, dtype=np.float32)
    best: npt.NDArray[np.float32] | None = None
    for name in scorer.split("+"):
        func, scale = SCORERS[name]
        sims = process.cpdist(left, right, scorer=func, workers=-1, dtype=np.float32)
        sims = np.asarray(sims, dtype=np.float32) / np.float32(scale)
        best = sims if best is None else np.maximum(best, sims)
    assert best is not None
    return best


def coded_similarity(
    values: npt.NDArray[np.object_], left: IntArray, right: IntArray, scorer: str
) -> npt.NDArray[np.float32]:
    """:func:`similarity` of ``values[left]`` and ``values[right]``, computed once per
    distinct pair of codes: a name pair recurs across the records of its customers."""
    if len(left) == 0:
        return np.zeros(0, dtype=np.float32)
    back, lc, rc = distinct_code_pairs(left, right, len(values))
    if len(lc) > 0.9 * len(left):  # hardly a repeat: not worth the detour
        return similarity(values[left], values[right], scorer)
    return similarity(values[lc], values[rc], scorer)[back]


def distinct_code_pairs(
    left: IntArray, right: IntArray, n_values: int
) -> tuple[npt.NDArray[np.intp], IntArray, IntArray]:
    """The distinct (left, right) pairs of value codes (-1: missing) and, per pair, which one
    it is: codes + 1 as the digits of one integer, hashed rather than sorted."""
    width = np.int64(n_values + 1)
    key = (left.astype(np.int64) + 1) * width + right.astype(np.int64) + 1
    back, distinct = pd.factorize(key)
    lc, rc = np.divmod(np.asarray(distinct, dtype=np.int64), width)
    return back, lc - 1, rc - 1


# a value cut off by a field-length limit keeps at least this many characters of the other and
# ends inside a word of at least _TRUNCATED_WORD characters ("lizenzvermar" of
# "lizenzvermarktungsgesellschaft"); shorter cuts ("bau" of "bauer") are other names
TRUNCATED_MIN = 20
_TRUNCATED_WORD = 4


def truncated(
    left: npt.NDArray[np.object_], right: npt.NDArray[np.object_]
) -> npt.NDArray[np.bool_]:
    """Per pair: the shorter value is the longer one cut off inside a word (a field-length limit).

    A cut at a word boundary is a token subset already; only a cut inside a word is new here.
    """
    if len(left) == 0:
        return np.zeros(0, dtype=bool)
    kind = np.dtypes.StringDType()  # variable width: no n × longest-value buffer
    a, b = np.asarray(left, dtype=kind), np.asarray(right, dtype=kind)
    la, lb = np.strings.str_len(a), np.strings.str_len(b)
    first = la <= lb
    short, long_ = np.where(first, a, b), np.where(first, b, a)
    n = np.minimum(la, lb)
    word = n - np.strings.rfind(short, " ") - 1  # length of the last (cut) word
    cut_inside = np.strings.isalnum(np.strings.slice(long_, n, n + 1))
    ok = (n >= TRUNCATED_MIN) & (word >= _TRUNCATED_WORD) & cut_inside
    return np.asarray(ok & np.strings.startswith(long_, short), dtype=bool)


# an abbreviated word keeps at least _ABBREV_KEPT letters and drops at least _ABBREV_DROPPED
# ("Int." of "International", "StB" of "Steuerberatung"); "Bau" is another word than "Bauer"
_ABBREV_KEPT = 3
_ABBREV_DROPPED = 3


def _abbreviates(short: npt.NDArray[Any], long_: npt.NDArray[Any]) -> npt.NDArray[np.bool_]:
    """Per pair of words: ``short`` is an abbreviation of ``long_`` — the same first letter,
    the other letters in order within it ("StB" in "Steuerberatung", "Gebr" in "Gebrüder")."""
    ls, ll = np.strings.str_len(short), np.strings.str_len(long_)
    ok = (ls >= _ABBREV_KEPT) & (ll - ls >= _ABBREV_DROPPED)
    ok &= np.strings.slice(short, 0, 1) == np.strings.slice(long_, 0, 1)
    idx = np.flatnonzero(ok)
    pos = np.zeros(len(idx), dtype=np.int64)
    for i in range(1, int(ls[idx].max()) if len(idx) else 0):  # per letter, not per pair
        active = np.flatnonzero(ls[idx] > i)
        found = np.strings.find(
            long_[idx[active]], np.strings.slice(short[idx[active]], i, i + 1), pos[active] + 1
        )
        ok[idx[active[found < 0]]] = False
        pos[active] = found
    return ok


def abbreviated(
    left: npt.NDArray[np.object_], right: npt.NDArray[np.object_]
) -> npt.NDArray[np.bool_]:
    """Per pair: the same words in the same order, at least one of them abbreviated on one side
    ("meyer int" / "meyer international", "holzmed stb" / "holzmed steuerberatung")."""
    out = np.zeros(len(left), dtype=bool)
    kind = np.dtypes.StringDType()  # variable width: no n × longest-value buffer
    a, b = np.asarray(left, dtype=kind), np.asarray(right, dtype=kind)
    # the first words agree or one abbreviates the other: the first letters agree
    idx = np.flatnonzero(
        (np.strings.count(a, " ") == np.strings.count(b, " "))
        & (np.strings.slice(a, 0, 1) == np.strings.slice(b, 0, 1))
    )
    a, b = a[idx], b[idx]
    ok = np.ones(len(idx), dtype=bool)
    some = np.zeros(len(idx), dtype=bool)
    space = np.asarray(" ", dtype=kind)
    while len(a) and (a != "").any():  # one word position at a time, not one pair
        wa, _, a = np.strings.partition(a, space)
        wb, _, b = np.strings.partition(b, space)
        short_left = np.strings.str_len(wa) <= np.strings.str_len(wb)
        shortened = _abbreviates(np.where(short_left, wa, wb), np.where(short_left, wb, wa))
        ok &= (wa == wb) | shortened
        some |= shortened
    out[idx] = ok & some
    return out


def shape(values: npt.NDArray[np.object_]) -> tuple[IntArray, IntArray, IntArray]:
    """Per value a code of its first letter, a code of its words' first letters (spaces kept:
    "meyer int" and "meyer international" share "m i") and its length."""
    import pyarrow as pa
    import pyarrow.compute as pc

    text = pa.array(values, type=pa.string())
    first, _ = pd.factorize(pc.utf8_slice_codeunits(text, 0, 1).to_numpy(zero_copy_only=False))
    heads = pc.replace_substring_regex(text, r"([^ ])[^ ]*", r"\1")
    initials, _ = pd.factorize(heads.to_numpy(zero_copy_only=False))
    length = pc.utf8_length(text).to_numpy(zero_copy_only=False)
    return first.astype(np.int64), initials.astype(np.int64), length.astype(np.int64)
