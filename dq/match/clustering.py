"""Clustering: connected components on match links, then a guard against impossible clusters.

Links are the automatic matches plus clerical "match" decisions; clerical "no match" decisions
remove links. Components come from ``scipy.sparse.csgraph.connected_components`` in one call
(or from a matching engine, :mod:`dq.match.engines`). A
component is *conflicting* when it contains a cannot-link pair (hard rule ``cannot_link`` or a
clerical "no match") or two different valid VAT IDs or register numbers among its members
(validity is standardisation's flag: a mistyped identifier conflicts with nothing). Only
those rare components are split, each with a small loop: links are added back strongest first
(clerical matches before everything) and a link is refused when it would join two groups that
must stay apart, so the split runs along the weakest links.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from dq.match.columns import ColumnCache
from dq.match.columns import identifier_codes as _codes
from dq.match.positions import pair_positions

__all__ = [
    "CANNOT_LINK_RULES",
    "ClusterResult",
    "Components",
    "cluster_pairs",
    "identifier_codes",
]

log = logging.getLogger(__name__)

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
# an engine's connected components: (n, left, right) -> a label per record 0..n-1
Components = Callable[[int, IntArray, IntArray], IntArray]

_CLERICAL_WEIGHT = np.inf
# links made by a hard rule (same VAT ID / register number) are cut only after all others
_HARD_RULE_BONUS = 1e6
_HARD_MATCH_RULES = ("same_vat_id", "same_register", "same_register_number")
_EMPTY: frozenset[int] = frozenset()
# hard rules that keep two records apart even through a chain of other matches
CANNOT_LINK_RULES: tuple[str, ...] = ("cannot_link", "different_legal_form", "different_names")
# match links that join only a lone record to a group (see ``_add_soft_links``)
SOFT_LINK_RULE = "other_place"
# identifiers a customer keeps when it moves: a lone record is not attached to a group that has
# values of one of them, none of them the record's own (another account, another company)
SOFT_LINK_IDENTIFIERS: tuple[str, ...] = ("vat_id", "register_number", "iban")


@dataclass
class ClusterResult:
    """Cluster label per record (``clusters``: record_id, cluster) and what the guard did.

    ``cluster`` is an integer label; equal labels mean the same real-world customer. Labels are
    not stable across runs: :mod:`dq.golden` turns clusters into stable golden IDs.
    """

    clusters: pd.DataFrame
    components: int
    conflicting: int
    split_into: int
    links_removed: int
    unresolved: int = 0


def identifier_codes(records: pd.DataFrame, column: str) -> IntArray:
    """Per record an integer code of its identifier in ``column`` where valid (-1 elsewhere).

    Validity is standardisation's flag (see :func:`dq.match.columns.identifier_codes`): a VAT ID
    that fails its check digit never makes a cluster "conflicting". Register numbers are
    compared without their court: courts are spelled too many ways ("AG Köln", "Köln") to tell
    two companies apart reliably, while two different numbers always mean two registrations.
    """
    return _codes(ColumnCache(records), column)


def cluster_pairs(
    records: pd.DataFrame,
    pairs: pd.DataFrame,
    decisions: pd.DataFrame | None = None,
    *,
    apart: tuple[IntArray, IntArray] | None = None,
    components: Components | None = None,
) -> ClusterResult:
    """Cluster ``records`` (with ``record_id``) using scored ``pairs`` and clerical ``decisions``.

    ``pairs`` needs ``left_id``, ``right_id``, ``band``, ``match_weight`` and may have
    ``hard_rule``; ``decisions`` has ``left_id``, ``right_id``, ``decision`` ("match" /
    "no match"). Decisions override bands and hard rules; every record ends in one cluster.
    ``apart`` adds pairs of row positions (in ``records``) to keep apart like cannot-link
    pairs: :func:`dq.match.score.score_pairs` gives those a rule vetoed or the model rejects
    beyond doubt, including the ones not kept in ``pairs``. ``components(n, left, right)``
    gives each record's connected component (an engine's, labelled by anything); by default
    scipy's in this process.
    """
    n = len(records)
    left, right = pair_positions(pairs, records["record_id"])
    known = (left >= 0) & (right >= 0)
    band = pairs["band"].astype("string").to_numpy(dtype=object)
    weight = pairs["match_weight"].to_numpy(dtype=np.float64)
    rule = (
        pairs["hard_rule"].astype("string").fillna("").to_numpy(dtype=object)
        if "hard_rule" in pairs.columns
        else np.full(len(pairs), "", dtype=object)
    )
    link = known & (band == "match")
    weight = np.where(np.isin(rule, _HARD_MATCH_RULES), weight + _HARD_RULE_BONUS, weight)
    cannot = known & np.isin(rule, CANNOT_LINK_RULES)
    a_left, a_right = apart if apart is not None else (np.zeros(0, np.int64),) * 2

    d_left = d_right = np.zeros(0, dtype=np.int64)
    d_match = np.zeros(0, dtype=bool)
    if decisions is not None and len(decisions):
        d_left, d_right = pair_positions(decisions, records["record_id"])
        ok = (d_left >= 0) & (d_right >= 0)
        d_left, d_right = d_left[ok], d_right[ok]
        d_match = (decisions["decision"].astype("string").to_numpy(dtype=object) == "match")[ok]
        # a decided pair is taken out of the model's links and constraints
        decided = _pair_keys(d_left, d_right, n)
        in_decided = np.isin(_pair_keys(left, right, n), decided)
        link &= ~in_decided
        cannot &= ~in_decided
        undecided = ~np.isin(_pair_keys(a_left, a_right, n), decided)
        a_left, a_right = a_left[undecided], a_right[undecided]

    # soft links are matches too (p >= match threshold); a review pair never merges
    soft = known & (band == "match") & (rule == SOFT_LINK_RULE)
    cache = ColumnCache(records)
    kept = [_codes(cache, c) for c in SOFT_LINK_IDENTIFIERS] if soft.any() else []
    link = _add_soft_links(
        link & ~soft,
        soft,
        (left, right, weight),
        (d_left[d_match], d_right[d_match]),
        n,
        kept,
        components,
    )

    e_left = np.concatenate([left[link], d_left[d_match]])
    e_right = np.concatenate([right[link], d_right[d_match]])
    e_weight = np.concatenate(
        [weight[link], np.full(int(d_match.sum()), _CLERICAL_WEIGHT, dtype=np.float64)]
    )
    c_left = np.concatenate([left[cannot], d_left[~d_match], a_left])
    c_right = np.concatenate([right[cannot], d_right[~d_match], a_right])

    n_comp, labels = _components(n, e_left, e_right, components)

    vat = _codes(cache, "vat_id")
    reg = _codes(cache, "register_number")
    bad = _conflicting(labels, vat, reg, c_left, c_right)
    result = ClusterResult(
        clusters=pd.DataFrame(
            {"record_id": records["record_id"].astype("string").to_numpy(), "cluster": labels}
        ),
        components=int(n_comp),
        conflicting=len(bad),
        split_into=0,
        links_removed=0,
    )
    if len(bad):
        _split(result, labels, bad, e_left, e_right, e_weight, c_left, c_right, vat, reg)
        result.clusters["cluster"] = labels
    log.info(
        "clustering: %d components, %d conflicting split into %d (%d links removed)",
        result.components,
        result.conflicting,
        result.split_into,
        result.links_removed,
    )
    return result


def _add_soft_links(
    firm: npt.NDArray[np.bool_],
    soft: npt.NDArray[np.bool_],
    pairs: tuple[IntArray, IntArray, FloatArray],
    clerical: tuple[IntArray, IntArray],
    n: int,
    identifiers: Sequence[IntArray] = (),
    components: Components | None = None,
) -> npt.NDArray[np.bool_]:
    """``firm`` plus the soft links that attach a lone record to one group (a moved record).

    Soft links are pairs of companies in different places sharing no identifier. Between two
    groups of several records each they are refused (a company and its branch have records of
    their own); a lone record joins only the group it is most strongly linked to, so it never
    chains a company to its branch. A group whose members carry ``identifiers`` (codes per
    record, -1 when absent: VAT ID, register number, IBAN) none of which is the lone record's
    own is no candidate: a moved company keeps them, a branch or namesake has its own.
    """
    if not soft.any():
        return firm
    left, right, weight = pairs
    e_left = np.concatenate([left[firm], clerical[0]])
    e_right = np.concatenate([right[firm], clerical[1]])
    _, labels = _components(n, e_left, e_right, components)
    size = np.bincount(labels)
    idx = np.flatnonzero(soft)
    left_lone = size[labels[left[idx]]] == 1
    right_lone = size[labels[right[idx]]] == 1
    idx = idx[left_lone | right_lone]
    lone = np.where(left_lone[left_lone | right_lone], left[idx], right[idx])
    other = np.where(lone == left[idx], labels[right[idx]], labels[left[idx]])
    frame = pd.DataFrame({"lone": lone, "group": other, "w": weight[idx]})
    for codes in identifiers:
        frame = frame[~_foreign_identifier(frame, codes, labels)]
    ranked = frame.sort_values(["lone", "w"], ascending=[True, False], kind="stable")
    best = ranked.drop_duplicates("lone").set_index("lone")["group"]
    keep = best.reindex(lone, fill_value=-1).to_numpy(dtype=np.int64) == other
    out = firm.copy()
    out[idx[keep]] = True
    return out


def _foreign_identifier(
    frame: pd.DataFrame, codes: IntArray, labels: npt.NDArray[np.int64]
) -> npt.NDArray[np.bool_]:
    """Rows (lone, group) where the lone record has a code and the group only other ones."""
    has = codes >= 0
    if not has.any():
        return np.zeros(len(frame), dtype=bool)
    width = np.int64(codes.max() + 1)
    held = labels[has].astype(np.int64) * width + codes[has]
    group_has = np.zeros(int(labels.max()) + 1, dtype=bool)
    group_has[labels[has]] = True
    own = codes[frame["lone"].to_numpy(dtype=np.int64)]
    group = frame["group"].to_numpy(dtype=np.int64)
    foreign: npt.NDArray[np.bool_] = (
        (own >= 0) & group_has[group] & ~np.isin(group * width + own, held)
    )
    return foreign


def _components(
    n: int, left: IntArray, right: IntArray, components: Components | None
) -> tuple[int, IntArray]:
    """Number of connected components and each record's label 0..k-1, numbered in the order of
    their smallest member (scipy's numbering, which an engine's labels are turned into)."""
    if components is None:
        graph = coo_matrix((np.ones(len(left), dtype=np.int8), (left, right)), shape=(n, n))
        count, labels = connected_components(graph, directed=False)
        return int(count), labels.astype(np.int64)
    found = np.asarray(components(n, left, right), dtype=np.int64)
    # a label's first appearance is its component's smallest member: number labels by it
    uniques, first, inverse = np.unique(found, return_index=True, return_inverse=True)
    rank = np.empty(len(uniques), dtype=np.int64)
    rank[np.argsort(first, kind="stable")] = np.arange(len(uniques), dtype=np.int64)
    return len(uniques), rank[inverse.reshape(-1)]


def _pair_keys(a: IntArray, b: IntArray, n: int) -> IntArray:
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    return lo * np.int64(max(n, 1)) + hi


def _conflicting(
    labels: IntArray, vat: IntArray, reg: IntArray, c_left: IntArray, c_right: IntArray
) -> IntArray:
    """Labels of components holding a cannot-link pair or two different valid identifiers."""
    bad = [labels[c_left][labels[c_left] == labels[c_right]]]
    for codes in (vat, reg):
        has = codes >= 0
        frame = pd.DataFrame({"label": labels[has], "code": codes[has]})
        distinct = frame.drop_duplicates().groupby("label").size()
        bad.append(distinct.index[distinct.to_numpy() > 1].to_numpy(dtype=np.int64))
    return np.unique(np.concatenate(bad)).astype(np.int64)


def _split(
    result: ClusterResult,
    labels: IntArray,
    bad: IntArray,
    e_left: IntArray,
    e_right: IntArray,
    e_weight: FloatArray,
    c_left: IntArray,
    c_right: IntArray,
    vat: IntArray,
    reg: IntArray,
) -> None:
    """Re-cluster each conflicting component greedily, strongest link first (in place)."""
    in_bad = np.isin(labels[e_left], bad)
    edges = pd.DataFrame(
        {
            "label": labels[e_left][in_bad],
            "a": e_left[in_bad],
            "b": e_right[in_bad],
            "w": e_weight[in_bad],
        }
    ).sort_values(["label", "w", "a", "b"], ascending=[True, False, True, True], kind="stable")
    c_in = np.isin(labels[c_left], bad)
    forbid: dict[int, set[int]] = {}
    for a, b in zip(c_left[c_in].tolist(), c_right[c_in].tolist(), strict=True):
        forbid.setdefault(a, set()).add(b)
        forbid.setdefault(b, set()).add(a)
    next_label = int(labels.max()) + 1 if len(labels) else 0
    rows = np.flatnonzero(np.isin(labels, bad))
    rows = rows[np.argsort(labels[rows], kind="stable")]
    starts = np.flatnonzero(np.r_[True, labels[rows][1:] != labels[rows][:-1]])
    members_of = dict(zip(labels[rows][starts].tolist(), np.split(rows, starts[1:]), strict=True))
    for label, group in edges.groupby("label", sort=True):
        members = np.asarray(members_of[label], dtype=np.int64)
        parts = _greedy(members, group, forbid, vat, reg, result)
        roots = sorted(parts.values(), key=min)
        result.split_into += len(roots)
        for k, part in enumerate(roots):
            if k == 0:
                continue  # the part with the smallest member keeps the original label
            labels[np.fromiter(part, dtype=np.int64)] = next_label
            next_label += 1


def _forbidden(a: set[int], b: set[int], forbid: dict[int, set[int]]) -> bool:
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    return any(not forbid.get(x, _EMPTY).isdisjoint(large) for x in small)


def _greedy(
    members: IntArray,
    edges: pd.DataFrame,
    forbid: dict[int, set[int]],
    vat: IntArray,
    reg: IntArray,
    result: ClusterResult,
) -> dict[int, set[int]]:
    """Union-find over one component: add links strongest first unless they join a conflict."""
    parent = {int(m): int(m) for m in members}
    parts = {int(m): {int(m)} for m in members}
    vats = {int(m): {int(vat[m])} - {-1} for m in members}
    regs = {int(m): {int(reg[m])} - {-1} for m in members}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b, w in zip(edges["a"].tolist(), edges["b"].tolist(), edges["w"].tolist(), strict=True):
        ra, rb = find(a), find(b)
        if ra == rb:
            continue
        clerical = w == _CLERICAL_WEIGHT
        conflict = (
            len(vats[ra] | vats[rb]) > 1
            or len(regs[ra] | regs[rb]) > 1
            or _forbidden(parts[ra], parts[rb], forbid)
        )
        if conflict and not clerical:
            result.links_removed += 1
            continue
        if conflict:
            result.unresolved += 1  # the user's "match" wins over the conflict it creates
        if len(parts[ra]) < len(parts[rb]):
            ra, rb = rb, ra
        parent[rb] = ra
        parts[ra] |= parts.pop(rb)
        vats[ra] |= vats.pop(rb)
        regs[ra] |= regs.pop(rb)
    return parts
