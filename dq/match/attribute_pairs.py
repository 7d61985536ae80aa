"""Pairs a personal attribute alone brought: their own pair class, weighed against random pairs.

A blocking key on a date of birth brings pairs that share nothing else. For a non-match among
them the date was the only reason it is a candidate, so every other field is distributed as in
random pairs, and the shared date is no evidence at all (every such pair has it). Scoring them
like the other candidates counts the date twice: once in the candidates' prior (a third of all
candidates are matches) and once as 12 bits of a rare agreement. Strangers who share a first
name and a date of birth then match.

Such pairs form the pair class ``attribute`` (:data:`dq.match.model.PAIR_CLASSES`): m by EM on
these pairs alone with u from random pairs, the attribute itself weighing 0, and a prior of
their own (how many of them are matches: few where the names are clean, many where typing
errors keep true pairs out of every other key).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from dq.match.blocking import BlockingKey, key_codes
from dq.match.columns import ColumnCache
from dq.match.comparison_spec import Comparison

__all__ = ["AttributeKeys", "attribute_keys", "attribute_only"]

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class AttributeKeys:
    """The blocking keys built only of columns compared with random u (``attribute``, as key
    parts), every other key's parts (``other``) and the comparisons of those columns."""

    attribute: tuple[tuple[str, ...], ...]
    other: tuple[tuple[str, ...], ...]
    comparisons: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "attribute": [list(p) for p in self.attribute],
            "other": [list(p) for p in self.other],
            "comparisons": list(self.comparisons),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AttributeKeys:
        return cls(
            attribute=tuple(tuple(p) for p in data["attribute"]),
            other=tuple(tuple(p) for p in data["other"]),
            comparisons=tuple(data["comparisons"]),
        )


def _columns(part: str) -> set[str]:
    """The columns a key part reads (``"last_name_fold,last_name|initial"``: both names)."""
    return {name.strip() for name in part.partition("|")[0].split(",")}


def attribute_keys(
    keys: Sequence[BlockingKey], comparisons: Sequence[Comparison]
) -> AttributeKeys | None:
    """The attribute keys of ``keys``: those whose every part reads only columns of
    comparisons with ``random_u``; None where there is none."""
    attribute_comps = [c for c in comparisons if c.random_u]
    columns: set[str] = set()
    for comp in attribute_comps:
        for column in comp.columns:
            columns |= _columns(column)
    attribute: list[tuple[str, ...]] = []
    other: list[tuple[str, ...]] = []
    for key in keys:
        reads = set().union(*(_columns(p) for p in key.parts)) if key.parts else set()
        is_attribute = bool(reads) and reads <= columns
        (attribute if is_attribute else other).append(tuple(key.parts))
    if not attribute:
        return None
    read = set().union(*(_columns(p) for parts in attribute for p in parts))
    names = tuple(c.name for c in attribute_comps if read & set().union(*map(_columns, c.columns)))
    return AttributeKeys(tuple(attribute), tuple(other), names)


def _agree(cache: ColumnCache, left: IntArray, right: IntArray, parts: Sequence[str]) -> BoolArray:
    codes = key_codes(cache, parts)
    cl, cr = codes[left], codes[right]
    agree: BoolArray = (cl >= 0) & (cl == cr)
    return agree


def attribute_only(
    cache: ColumnCache, left: IntArray, right: IntArray, keys: AttributeKeys | None
) -> BoolArray:
    """Per pair (row positions): does it agree on an attribute key and on no other key's value?

    A pair of a sorted-neighbourhood key counts as agreeing where its key values are equal (a
    neighbour with another value is as good as brought by the attribute). The other keys are
    computed on the records of the pairs sharing an attribute only (a few per record at most).
    """
    out = np.zeros(len(left), dtype=bool)
    if keys is None or not len(left):
        return out
    for parts in keys.attribute:
        out |= _agree(cache, left, right, parts)
    shared = np.flatnonzero(out)
    if not len(shared):
        return out
    rows, inverse = np.unique(np.concatenate([left[shared], right[shared]]), return_inverse=True)
    sub = ColumnCache(cache.records.iloc[rows].reset_index(drop=True))
    sub_left, sub_right = inverse[: len(shared)], inverse[len(shared) :]
    other = np.zeros(len(shared), dtype=bool)
    for parts in keys.other:
        other |= _agree(sub, sub_left, sub_right, parts)
    out[shared[other]] = False
    return out
