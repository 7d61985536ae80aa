"""Reasons a person can read: why a pair is in review, why records became one customer.

"same VAT ID and phone; names differ: 'Müller Bau GmbH' vs 'Müller Bau GmbH & Co. KG'". Built
from the comparison weights of scored pairs, column-wise over all pairs at once.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd

from dq.match.comparison_spec import Comparison
from dq.match.explain import DISPLAY_NAMES
from dq.match.positions import pair_positions

__all__ = [
    "STEWARD_FIELDS",
    "cluster_reasons",
    "for_stewards",
    "pair_reasons",
    "with_steward_fields",
]

# What a data steward needs to see of both records to decide a pair.
STEWARD_FIELDS: tuple[str, ...] = (
    "source",
    "company_name",
    "first_name",
    "last_name",
    "street",
    "house_number",
    "postcode",
    "city",
    "phone",
    "email",
    "vat_id",
)
# Comparisons whose disagreement is shown with both values (company facts, not personal data).
_SHOW_VALUES: dict[str, str] = {"name_core": "company_name", "legal_form": "legal_form"}
_STRONG = 0.5  # |weight| below this is no reason either way
_MAX_AGREE = 3
_MAX_PATTERN_NAMES = 40  # a pattern key (3 slots, one bit per comparison) fits in an int64


def pair_reasons(
    pairs: pd.DataFrame,
    comparisons: Sequence[Comparison],
    left: pd.DataFrame | None = None,
    right: pd.DataFrame | None = None,
) -> pd.Series:
    """One line per pair: the strongest agreements, then the disagreements.

    ``left``/``right`` hold the pairs' records (same order as ``pairs``) so that differing
    company names and legal forms are quoted; without them only the comparison is named.
    """
    names = [c.name for c in comparisons if f"{c.name}__weight" in pairs.columns]
    n = len(pairs)
    if n == 0 or not names:
        return pd.Series(pd.NA, index=pairs.index, dtype="string")
    weights = np.column_stack([pairs[f"{c}__weight"].to_numpy(dtype=np.float64) for c in names])
    order = np.argsort(-weights, axis=1, kind="stable")
    quoted = left is not None and right is not None
    if not quoted and len(names) <= _MAX_PATTERN_NAMES:
        # without quoted values a reason depends only on which comparisons agree or differ
        # strongly: written once per pattern (a few hundred), not once per pair
        pattern, rows = _patterns(weights, order)
        text = _reasons(weights[rows], order[rows], names, None, None)
        return pd.Series(text.to_numpy()[pattern], index=pairs.index, dtype="string")
    out = _reasons(weights, order, names, left, right)
    out.index = pairs.index
    return out


def _patterns(
    weights: npt.NDArray[np.float64], order: npt.NDArray[np.intp]
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """Per pair the code of its reason pattern (its strongest agreements in order and which
    comparisons differ strongly), and one pair per pattern."""
    width = weights.shape[1] + 1
    top = np.take_along_axis(weights, order, axis=1)[:, :_MAX_AGREE]
    slots = np.where(top >= _STRONG, order[:, :_MAX_AGREE], width - 1).astype(np.int64)
    key = np.zeros(len(weights), dtype=np.int64)
    for j in range(slots.shape[1]):
        key = key * width + slots[:, j]
    for j in range(weights.shape[1]):
        key = key * 2 + (weights[:, j] <= -_STRONG)
    pattern, _ = pd.factorize(key)
    _, rows = np.unique(pattern, return_index=True)  # the first pair of each pattern
    return pattern, rows


def _reasons(
    weights: npt.NDArray[np.float64],
    order: npt.NDArray[np.intp],
    names: list[str],
    left: pd.DataFrame | None,
    right: pd.DataFrame | None,
) -> pd.Series:
    """The reason texts of pairs given their weights (columns as ``names``)."""
    labels = np.asarray([DISPLAY_NAMES.get(c, c.replace("_", " ")) for c in names], dtype=object)
    top = np.take_along_axis(weights, order, axis=1)[:, :_MAX_AGREE]
    agree_names = labels[order[:, :_MAX_AGREE]]
    agree = pd.Series(
        _join_columns(np.where(top >= _STRONG, agree_names, ""), ", "), dtype="string"
    )
    agree = ("same " + agree).where(agree != "", "")

    differ_parts: list[npt.NDArray[np.object_]] = []
    for j, comp in enumerate(names):
        against = weights[:, j] <= -_STRONG
        text = np.where(against, f"{labels[j]} differ", "")
        column = _SHOW_VALUES.get(comp)
        if column and left is not None and right is not None and column in left.columns:
            lv = left[column].astype("string").fillna("").to_numpy(dtype=object)
            rv = right[column].astype("string").fillna("").to_numpy(dtype=object)
            ls, rs = pd.Series(lv, dtype="string"), pd.Series(rv, dtype="string")
            quoted = (f"{labels[j]} differ: '" + ls + "' vs '" + rs + "'").to_numpy(dtype=object)
            text = np.where(against & (lv != "") & (rv != ""), quoted, text)
        differ_parts.append(text.astype(object))
    differ = pd.Series(_join_columns(np.column_stack(differ_parts), "; "))
    both = np.where((agree != "") & (differ != ""), agree + "; " + differ, agree + differ)
    out = pd.Series(both, dtype="string")
    return out.mask(out == "")  # no reason either way: null, as a CSV reads it back


def for_stewards(
    review: pd.DataFrame, records: pd.DataFrame, comparisons: Sequence[Comparison]
) -> pd.DataFrame:
    """The review queue a person can decide from: both records' steward fields side by side
    and a one-line ``reason`` per pair, after the decision column (and no row positions)."""
    out = with_steward_fields(review, records)
    out = out.drop(columns=[c for c in ("left_pos", "right_pos") if c in out.columns])
    shown = ("company_name", "legal_form")
    left, right = (
        pd.DataFrame({c: out[f"{side}_{c}"] for c in shown if f"{side}_{c}" in out.columns})
        for side in ("left", "right")
    )
    reason = pair_reasons(out, comparisons, left, right)
    out.insert(int(out.columns.get_indexer(pd.Index(["decision"]))[0]) + 1, "reason", reason)
    return out


def with_steward_fields(review: pd.DataFrame, records: pd.DataFrame) -> pd.DataFrame:
    """``review`` with both records' steward fields side by side and a ``reason`` per pair."""
    left, right = pair_positions(review, records["record_id"])
    out = review.copy()
    position = int(out.columns.get_indexer(pd.Index(["decision"]))[0]) + 1
    for field in reversed(STEWARD_FIELDS):
        if field not in records.columns:
            continue
        values = records[field].array  # taken first: only the queue's rows are converted
        for side, rows in (("right", right), ("left", left)):
            name = f"{side}_{field}"
            if name in out.columns:
                del out[name]
            taken = pd.Series(values.take(rows, allow_fill=True)).astype("string")
            out.insert(position, name, taken.set_axis(out.index))
    return out


def cluster_reasons(
    pairs: pd.DataFrame,
    comparisons: Sequence[Comparison],
    record_ids: pd.Series,
    labels: npt.NDArray[np.int64],
) -> pd.Series:
    """Per cluster label (index), the reason of its strongest link (null for single records).

    A cluster's records were joined by links inside it; the one with the highest match weight
    speaks for the cluster ("same VAT ID, address and phone"), plus how many records it joined.
    """
    left, right = pair_positions(pairs, record_ids)
    known = (left >= 0) & (right >= 0)
    inside = np.zeros(len(pairs), dtype=bool)
    inside[known] = labels[left[known]] == labels[right[known]]
    # row positions, not a copy of the pairs inside clusters (most of a million pairs)
    rows = np.flatnonzero(inside)
    cluster = labels[left[rows]]
    sizes = pd.Series(labels).value_counts()
    out = pd.Series(pd.NA, index=sizes.index.sort_values(), dtype="string")
    if len(rows):
        weight = pairs["match_weight"].to_numpy(dtype=np.float64)[rows]
        order = np.lexsort([-weight, cluster])
        first = np.ones(len(order), dtype=bool)
        first[1:] = cluster[order][1:] != cluster[order][:-1]
        best = pairs.iloc[rows[order[first]]]
        reasons = pair_reasons(best, comparisons)
        keys = cluster[order[first]]
        size = sizes.reindex(keys).to_numpy()
        text = pd.Series(size, dtype="string") + " records: " + reasons.fillna("").to_numpy()
        out[pd.Index(keys)] = text.to_numpy()
    decided = sizes[sizes > 1].index.difference(pd.Index(np.unique(cluster)))
    out.loc[decided] = "joined by clerical decision or company reference"
    return out


def _join_columns(parts: npt.NDArray[np.object_], sep: str) -> npt.NDArray[np.object_]:
    """Row-wise join of the non-empty strings of a 2-D object array (a column at a time)."""
    joined = np.full(parts.shape[0], "", dtype=object)
    for j in range(parts.shape[1]):
        col = parts[:, j]
        rows = np.flatnonzero(col != "")  # strings are joined only where there is one to add
        if len(rows):
            before = joined[rows]
            joined[rows] = np.where(before != "", before + sep, before) + col[rows]
    return joined
