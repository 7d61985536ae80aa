"""Comparisons: per candidate pair and comparison, a discrete level computed in bulk.

A :class:`Comparison` is data (``dq/match/data/comparisons.yaml``, or a benchmark's own list,
read in :mod:`dq.match.comparison_spec`): which columns, which kind, which rapidfuzz scorer and
thresholds. Levels are small integers:
``0`` is always *missing* (weight 0), ``1`` *exact*, then closer-to-farther levels. Strings are
factorised once per column; equal codes are exact without any string work, and only the
remaining pairs go through ``rapidfuzz.process.cpdist`` (multi-threaded), never a Python loop.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pandas as pd

from dq.match.columns import ColumnCache, compact_identifiers, factorize_text
from dq.match.comparison_spec import (
    KINDS,
    SCORERS,
    Comparison,
    LevelArray,
    load_comparisons,
    norm_code,
    parse_comparisons,
)
from dq.match.evidence import freemail, phone_keys, record_validity
from dq.match.similarity import (
    TRUNCATED_MIN,
    abbreviated,
    coded_similarity,
    distinct_code_pairs,
    shape,
    truncated,
)
from dq.match.split import LevelSplit, split_levels

__all__ = [
    "KINDS",
    "SCORERS",
    "Comparison",
    "ComparisonVectors",
    "LevelSplit",
    "compare",
    "form_groups",
    "load_comparisons",
    "parse_comparisons",
    "tf_values",
]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


@dataclass
class ComparisonVectors:
    """Levels per comparison for every candidate pair, plus value frequencies for TF."""

    comparisons: list[Comparison]
    levels: dict[str, LevelArray]
    tf_freq: dict[str, FloatArray] = field(default_factory=dict)
    tf_baseline: dict[str, float] = field(default_factory=dict)

    def matrix(self) -> LevelArray:
        """Levels as an (n_pairs, n_comparisons) int8 matrix in comparison order."""
        if not self.comparisons:
            return np.zeros((0, 0), dtype=np.int8)
        return np.column_stack([self.levels[c.name] for c in self.comparisons])


class _Column:
    """A factorised column: integer codes per record and the distinct values."""

    def __init__(self, codes: IntArray, uniques: npt.NDArray[np.object_]) -> None:
        self.codes, self.uniques = codes, uniques
        self.n = len(codes)

    def freq(self) -> FloatArray:
        """Share of records holding each distinct value."""
        counts = np.bincount(self.codes[self.codes >= 0], minlength=len(self.uniques))
        return counts / max(self.n, 1)


class _Comparer:
    """Computes levels for one pair set, caching factorised columns across comparisons."""

    def __init__(self, cache: ColumnCache, left: IntArray, right: IntArray) -> None:
        self.cache = cache
        self.records = cache.records
        self.left = left
        self.right = right
        self._columns: dict[str, _Column] = {}
        self._valid: dict[str, npt.NDArray[np.bool_]] = {}

    def _values(self, name: str) -> pd.Series:
        return self.cache.values(name)

    def column(self, name: str) -> _Column:
        if name not in self._columns:
            self._columns[name] = _Column(*self.cache.text(name))
        return self._columns[name]

    def tf_column(self, comp: Comparison) -> _Column:
        """The values whose frequency adjusts the exact level: for a person the full name."""
        if comp.kind != "person_name":
            return self.column(comp.columns[0])
        first, last = self.column(comp.columns[0]), self.column(comp.columns[1])

        def full_name() -> _Column:
            both = (first.codes >= 0) & (last.codes >= 0)
            combined = np.where(both, first.codes * (len(last.uniques) + 1) + last.codes, -1)
            codes, uniques = pd.factorize(combined, use_na_sentinel=True)
            codes = np.where(both, codes, -1).astype(np.int64)
            return _Column(codes, np.asarray(uniques, dtype=object))

        # once per frame: the sample, the random pairs and the candidates all adjust by it
        column: _Column = self.cache.memo(
            comp.columns[0], f"full_name:{comp.columns[1]}", full_name
        )
        return column

    def codes(self, name: str) -> tuple[IntArray, IntArray]:
        col = self.column(name)
        return col.codes[self.left], col.codes[self.right]

    def sims(self, name: str, idx: IntArray, scorer: str) -> npt.NDArray[np.float32]:
        col = self.column(name)
        lc, rc = col.codes[self.left[idx]], col.codes[self.right[idx]]
        return coded_similarity(col.uniques, lc, rc, scorer)

    def string(self, comp: Comparison) -> LevelArray:
        lc, rc = self.codes(comp.columns[0])
        n_close = len(comp.thresholds) + (1 if comp.subset else 0)
        far = 2 + n_close
        levels = np.full(len(lc), far, dtype=np.int8)
        missing = (lc < 0) | (rc < 0)
        exact = (lc == rc) & ~missing
        levels[missing] = 0
        levels[exact] = 1
        todo = np.flatnonzero(~missing & ~exact)
        sims = self.sims(comp.columns[0], todo, comp.scorer)
        assigned = np.full(len(todo), far, dtype=np.int8)
        level = 2
        for i, threshold in enumerate(comp.thresholds):
            hit = (assigned == far) & (sims >= threshold)
            assigned[hit] = level
            level += 1
            if comp.subset and i == 0:
                rest = np.flatnonzero(assigned == far)
                assigned[rest[self._subset(comp.columns[0], todo[rest])]] = level
                level += 1
        if comp.subset and not comp.thresholds:
            assigned[self._subset(comp.columns[0], todo)] = 2
        levels[todo] = assigned
        return levels

    def _subset(self, name: str, idx: IntArray) -> npt.NDArray[np.bool_]:
        """Every token of one side is in the other, or one side is the other cut short."""
        subset = self.sims(name, idx, "token_set") >= 1.0
        rest = idx[~subset]
        col = self.column(name)
        back, lc, rc = distinct_code_pairs(
            col.codes[self.left[rest]], col.codes[self.right[rest]], len(col.uniques)
        )
        lv, rv = col.uniques[lc], col.uniques[rc]
        # a cut keeps the first letter and at least TRUNCATED_MIN letters, an abbreviation the
        # first letter of every word: compared as integers per distinct value first, so the
        # string work runs on the few pairs that can be either
        first, initials, length = self.cache.memo(name, "shape", lambda: shape(col.uniques))
        cut = np.zeros(len(lc), dtype=bool)
        can = (first[lc] == first[rc]) & (np.minimum(length[lc], length[rc]) >= TRUNCATED_MIN)
        cut[can] = truncated(lv[can], rv[can])
        can = ~cut & (initials[lc] == initials[rc])
        cut[can] = abbreviated(lv[can], rv[can])
        subset[~subset] = cut[back]
        return subset

    def exact(self, comp: Comparison) -> LevelArray:
        missing = np.zeros(len(self.left), dtype=bool)
        equal = np.ones(len(self.left), dtype=bool)
        for column in comp.columns:
            lc, rc = self.codes(column)
            missing |= (lc < 0) | (rc < 0)
            equal &= lc == rc
        levels = np.where(equal, 1, 2).astype(np.int8)
        levels[missing] = 0
        return levels

    def email(self, comp: Comparison) -> LevelArray:
        """exact / different; a private and a business address of one pair are *missing*."""
        levels = self.exact(comp)
        free = freemail(self.cache, comp.columns[0])
        levels[(levels == 2) & (free[self.left] != free[self.right])] = 0
        return levels

    def valid(self, name: str) -> npt.NDArray[np.bool_]:
        """Per record: ``name`` holds a valid value (the standardiser's flag or function)."""
        if name not in self._valid:
            self._valid[name] = record_validity(self.cache, name)
        return self._valid[name]

    def identifier(self, comp: Comparison) -> LevelArray:
        """exact / typo / invalid / different: only two valid identifiers differ for certain."""
        name = comp.columns[0]

        def compacted() -> tuple[IntArray, npt.NDArray[np.object_]]:
            codes, uniques = self.cache.text(name)
            merged, found = pd.factorize(compact_identifiers(uniques))
            return np.append(merged.astype(np.int64), -1)[codes], np.asarray(found, dtype=object)

        # once per frame: the yield sample, the random pairs and the candidates compare by it
        code, keys = self.cache.memo(name, "compact_codes", compacted)
        lc, rc = code[self.left], code[self.right]
        valid = self.valid(name)
        missing = (lc < 0) | (rc < 0)
        exact = (lc == rc) & ~missing
        levels = np.full(len(lc), 4, dtype=np.int8)
        todo = np.flatnonzero(~missing & ~exact & ~(valid[self.left] & valid[self.right]))
        if len(todo):
            sims = coded_similarity(keys, lc[todo], rc[todo], comp.scorer)
            threshold = comp.thresholds[0] if comp.thresholds else 0.85
            levels[todo] = np.where(sims >= threshold, 2, 3)
        levels[exact] = 1
        levels[missing] = 0
        return levels

    def phone(self, comp: Comparison) -> LevelArray:
        """exact / close / invalid / far on the numbers' digits in international form."""
        name = comp.columns[0]
        codes, keys = phone_keys(self.cache, name)
        lc, rc = codes[self.left], codes[self.right]
        valid = self.valid(name)
        missing = (lc < 0) | (rc < 0)
        exact = (lc == rc) & ~missing
        levels = np.full(len(lc), 4, dtype=np.int8)
        todo = np.flatnonzero(~missing & ~exact)
        if len(todo):
            sims = coded_similarity(keys, lc[todo], rc[todo], comp.scorer)
            threshold = comp.thresholds[0] if comp.thresholds else 0.9
            invalid = ~(valid[self.left[todo]] & valid[self.right[todo]])
            levels[todo] = np.where(sims >= threshold, 2, np.where(invalid, 3, 4))
        levels[exact] = 1
        levels[missing] = 0
        return levels

    def legal_form(self, comp: Comparison) -> LevelArray:
        lc, rc = self.codes(comp.columns[0])
        missing = (lc < 0) | (rc < 0)
        levels = np.full(len(lc), 3, dtype=np.int8)
        # compatible: both codes in one group (groups are not merged: "KG" may be short for
        # "GmbH & Co. KG" and for "UG & Co. KG" without making those two compatible)
        same, compatible = form_groups(self.cache, comp, self.left, self.right, comp.compatible)
        levels[compatible & ~same] = 2
        levels[same] = 1
        levels[missing] = 0
        return levels

    def person_name(self, comp: Comparison) -> LevelArray:
        first, last = comp.columns

        # first and last names share one vocabulary so that swaps compare as integers
        def vocabulary() -> _Column:
            both = pd.concat([self._values(first), self._values(last)], ignore_index=True)
            return _Column(*factorize_text(both))

        shared: _Column = self.cache.memo(first, f"names_with:{last}", vocabulary)
        n_rec = len(self.records)
        fcodes, lcodes = shared.codes[:n_rec], shared.codes[n_rec:]
        fl, fr = fcodes[self.left], fcodes[self.right]
        ll, lr = lcodes[self.left], lcodes[self.right]
        vocab = pd.Series(shared.uniques, dtype="string")
        initial_code, _ = pd.factorize(vocab.str.slice(0, 1))
        is_short = (vocab.str.len() <= 2).to_numpy(dtype=bool)
        n = len(fl)
        levels = np.full(n, 7, dtype=np.int8)
        missing = (ll < 0) | (lr < 0)
        first_missing = (fl < 0) | (fr < 0)
        last_eq = (ll == lr) & ~missing
        first_eq = (fl == fr) & ~first_missing
        swapped = ~missing & ~first_missing & ~last_eq & (fl == lr) & (fr == ll)
        initial = last_eq & first_missing
        same_initial = short = np.zeros(n, dtype=bool)
        if len(vocab):
            fls, frs = np.maximum(fl, 0), np.maximum(fr, 0)
            same_initial = initial_code[fls] == initial_code[frs]
            short = is_short[fls] | is_short[frs]
            initial |= last_eq & ~first_missing & ~first_eq & same_initial & short
        high, low = comp.thresholds[0], comp.thresholds[-1]
        initial_ok = np.zeros(n, dtype=bool)
        if len(vocab):
            initial_ok = ~first_missing & same_initial & short
        close = np.zeros(n, dtype=bool)
        first_only = np.zeros(n, dtype=bool)
        last_close = np.zeros(n, dtype=bool)
        todo = np.flatnonzero(~missing & ~last_eq & ~swapped)
        if len(todo):
            uniq = shared.uniques
            last_sim = coded_similarity(uniq, ll[todo], lr[todo], comp.scorer)
            first_sim = np.ones(len(todo), dtype=np.float32)  # a missing first name is no conflict
            has_first = np.flatnonzero(~first_missing[todo])
            first_sim[has_first] = coded_similarity(
                uniq, fl[todo[has_first]], fr[todo[has_first]], comp.scorer
            )
            first_ok = initial_ok[todo] | (first_sim >= low)
            # one name close and the other similar, in either order of strictness
            close[todo] = ((last_sim >= high) & first_ok) | (
                (last_sim >= low) & ((first_sim >= high) | initial_ok[todo])
            )
            # swapped with a typo or an initial: first~last and last~first
            cross = np.flatnonzero(~first_missing[todo] & ~close[todo])
            if len(cross):
                t = todo[cross]
                a = coded_similarity(uniq, fl[t], lr[t], comp.scorer)
                b = coded_similarity(uniq, ll[t], fr[t], comp.scorer)
                a_ok = (a >= low) | (
                    (initial_code[fl[t]] == initial_code[lr[t]])
                    & (is_short[fl[t]] | is_short[lr[t]])
                )
                b_ok = (b >= low) | (
                    (initial_code[ll[t]] == initial_code[fr[t]])
                    & (is_short[ll[t]] | is_short[fr[t]])
                )
                # as for close: one crossed name close, the other similar or an initial
                swapped[t[((a >= high) & b_ok) | ((b >= high) & a_ok)]] = True
                # one name written in the other field, the other name another one
                # ("Berry Emily" / "Sam Berry"): as last_only, weighed by EM
                last_close[t[(a >= high) | (b >= high)]] = True
            # the same first name, another last name (a marriage, or a colleague): not "far"
            first_only[todo] = ~first_missing[todo] & (first_sim >= high) & ~close[todo]
            # the last name with a typo and another first name: no more a conflict than
            # the same last name with another first name (level last_only, weighed by EM)
            last_close[todo] |= (last_sim >= low) & ~close[todo] & ~first_only[todo]
        rest = np.flatnonzero(last_eq & ~first_eq & ~initial & ~first_missing)
        if len(rest):
            sims = coded_similarity(shared.uniques, fl[rest], fr[rest], comp.scorer)
            close[rest] = initial_ok[rest] | (sims >= low)  # as above: last equal, first similar
        levels[first_only & ~swapped] = 6
        levels[(last_eq & ~first_eq) | (last_close & ~swapped)] = 5
        levels[close] = 4
        levels[initial] = 3
        levels[swapped] = 2
        levels[last_eq & first_eq] = 1
        levels[missing] = 0
        # a last name missing on one side: first names that clearly differ still conflict
        only_first = np.flatnonzero(missing & ~first_missing & ~first_eq & ~initial_ok)
        if len(only_first):
            uniq = shared.uniques
            sims = coded_similarity(uniq, fl[only_first], fr[only_first], comp.scorer)
            levels[only_first[sims < low]] = 7
        if comp.contact_evidence:
            levels[self._companies() & (levels >= 5)] = 0  # another contact: no evidence
        return levels

    def _companies(self) -> npt.NDArray[np.bool_]:
        """Pairs of two company records (``party_type``); none where the column is absent."""
        if not self.cache.has("party_type"):
            return np.zeros(len(self.left), dtype=bool)
        codes, kinds = self.cache.derived("party_type", "lower", lambda v: v.str.lower())
        company = next((i for i, k in enumerate(kinds) if k == "company"), -2)
        both: npt.NDArray[np.bool_] = (codes[self.left] == company) & (codes[self.right] == company)
        return both

    def street(self, comp: Comparison) -> LevelArray:
        street, number = comp.columns
        sl, sr = self.codes(street)
        nl, nr = self.codes(number)
        missing = (sl < 0) | (sr < 0)
        street_eq = (sl == sr) & ~missing
        number_eq = (nl == nr) & (nl >= 0)
        levels = np.full(len(sl), 4, dtype=np.int8)
        todo = np.flatnonzero(~missing & ~street_eq)
        street_close = street_eq.copy()
        threshold = comp.thresholds[0] if comp.thresholds else 0.9
        street_close[todo] = self.sims(street, todo, comp.scorer) >= threshold
        levels[street_close & ~number_eq] = 3
        levels[street_close & number_eq] = 2
        levels[street_eq & number_eq] = 1
        levels[missing] = 0
        return levels

    def address(self, comp: Comparison) -> LevelArray:
        street, number, postcode, city = comp.columns
        sl, sr = self.codes(street)
        nl, nr = self.codes(number)
        pl, pr = self.codes(postcode)
        cl, cr = self.codes(city)
        has_pc = (pl >= 0) & (pr >= 0)
        has_city = (cl >= 0) & (cr >= 0)
        same_pc = has_pc & (pl == pr)
        same_city = has_city & (cl == cr)
        threshold = comp.thresholds[0] if comp.thresholds else 0.9
        if len(comp.thresholds) > 1:
            todo = np.flatnonzero(has_city & ~same_city)
            same_city[todo] = self.sims(city, todo, comp.scorer) >= comp.thresholds[1]
        # a city missing on one side is no disagreement: postcodes one keystroke apart (a typo,
        # an OCR error) are then the same place as far as anyone can tell
        near = np.flatnonzero(has_pc & ~same_pc & ~has_city)
        same_city[near] = self.sims(postcode, near, "levenshtein") >= 0.8
        has_street = (sl >= 0) & (sr >= 0)
        same_street = has_street & (sl == sr)
        todo = np.flatnonzero(has_street & ~same_street & (same_pc | same_city))
        same_street[todo] = self.sims(street, todo, comp.scorer) >= threshold
        same_number = (nl >= 0) & (nl == nr)
        place = same_pc | (same_city & ~has_pc)
        # a street missing on one side is unknown, not different: its own level
        levels = np.full(len(sl), 7, dtype=np.int8)
        levels[same_city] = np.where(has_street[same_city], 5, 6)
        levels[same_pc] = np.where(has_street[same_pc], 3, 4)
        levels[place & same_street] = 2
        levels[place & same_street & same_number] = 1
        levels[~has_pc & ~has_city] = 0
        return levels


def form_groups(
    cache: ColumnCache,
    comp: Comparison,
    left: IntArray,
    right: IntArray,
    groups: Sequence[Sequence[str]],
) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """Per pair of legal forms (``comp``'s column, compared as :func:`norm_code`): the same
    form, and both forms in one of ``groups``; False where a side has none. One lookup per
    distinct form, a matrix lookup per pair."""
    codes, uniques = cache.text(comp.columns[0])
    norm_codes, vocab = pd.factorize(np.array([norm_code(v) for v in uniques], dtype=object))
    member = np.array(
        [[code in group for group in groups] for code in vocab], dtype=np.int64
    ).reshape(len(vocab), len(groups))
    together = (member @ member.T) > 0
    lc, rc = codes[left], codes[right]
    both = (lc >= 0) & (rc >= 0)
    if not len(uniques):
        return np.zeros(len(lc), dtype=bool), np.zeros(len(lc), dtype=bool)
    nl, nr = norm_codes[np.where(both, lc, 0)], norm_codes[np.where(both, rc, 0)]
    return both & (nl == nr), both & together[nl, nr]


def compare(
    records: pd.DataFrame,
    left: IntArray,
    right: IntArray,
    comparisons: Sequence[Comparison],
    *,
    cache: ColumnCache | None = None,
) -> ComparisonVectors:
    """Levels of every comparison for the pairs ``(left[i], right[i])`` (row positions).

    ``cache`` shares factorised columns with blocking and other calls on the same frame.
    """
    cache = cache if cache is not None else ColumnCache(records)
    comparer = _Comparer(cache, np.asarray(left, np.int64), np.asarray(right, np.int64))
    levels: dict[str, LevelArray] = {}
    tf_freq: dict[str, FloatArray] = {}
    tf_baseline: dict[str, float] = {}
    for comp in comparisons:
        levels[comp.name] = getattr(comparer, comp.kind)(comp)
    base = dict(levels)
    for comp in comparisons:
        if comp.split is not None:
            levels[comp.name] = split_levels(comp, base, comparisons)
        if comp.tf:
            col = comparer.tf_column(comp)
            freq = col.freq()
            values = _tf_frequencies(comp, base[comp.name], col, comparer)
            tf_freq[comp.name] = values
            # chance that two random records share a value of this column: the average
            tf_baseline[comp.name] = float(np.sum(freq**2))
    return ComparisonVectors(
        comparisons=list(comparisons), levels=levels, tf_freq=tf_freq, tf_baseline=tf_baseline
    )


def _tf_frequencies(
    comp: Comparison, levels: LevelArray, col: _Column, comparer: _Comparer
) -> FloatArray:
    """Per pair the value frequency that adjusts its weight; NaN where no adjustment.

    At the exact level it is the shared value's frequency. At a close level named in
    ``tf_levels`` it is the frequency of the more common of the two values, but never below
    the average (the sum of squared frequencies): a common name has many close neighbours
    ("Christina"/"Christian Schmidt" in one city), so agreeing closely on it weighs less than
    the level's average; a rare one earns no more than the average, because the variant may
    be a relative's given name (Andrea and Andreas Westerhaus), however rare the family name.
    """
    freq = col.freq()
    if not len(freq):
        return np.full(len(comparer.left), np.nan)
    per_record = np.append(freq, np.nan)[np.where(col.codes < 0, len(freq), col.codes)]
    average = float(np.sum(freq**2))
    return tf_values(comp, levels, per_record[comparer.left], per_record[comparer.right], average)


def tf_values(
    comp: Comparison,
    levels: LevelArray,
    left_freq: FloatArray,
    right_freq: FloatArray,
    average: float,
) -> FloatArray:
    """Per pair the frequency that adjusts its weight (see ``_tf_frequencies``) from each
    side's value frequency (NaN where a side has no value) and the column's ``average``; a
    partitioned engine passes frequencies counted over the whole column."""
    values = np.full(len(levels), np.nan)
    labels = comp.base_labels()
    for name in comp.tf_levels:
        code = 1 if name == "exact" else labels.index(name)  # level 1 is always the exact one
        at = (levels == code) & ~np.isnan(left_freq) & ~np.isnan(right_freq)  # any split group
        values[at] = np.maximum(left_freq[at], right_freq[at])
        if name != "exact":
            values[at] = np.maximum(values[at], average)
    return values
