"""Clustering: connected components on matches, the cannot-link guard, clerical overrides."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dq.match.clustering import cluster_pairs, identifier_codes


def _records(n: int, **columns: list[str | None]) -> pd.DataFrame:
    frame = pd.DataFrame({"record_id": [f"s:{i}" for i in range(n)]})
    for name, values in columns.items():
        frame[name] = pd.Series(values, dtype="string")
    return frame


def _pairs(rows: list[tuple[int, int, str, float, str | None]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "left_id": [f"s:{a}" for a, *_ in rows],
            "right_id": [f"s:{b}" for _, b, *_ in rows],
            "band": [r[2] for r in rows],
            "match_weight": [r[3] for r in rows],
            "hard_rule": [r[4] for r in rows],
        }
    )


def _groups(result_clusters: pd.DataFrame) -> set[frozenset[str]]:
    groups = result_clusters.groupby("cluster")["record_id"].apply(frozenset)
    return set(groups)


def _g(*sets: tuple[int, ...]) -> set[frozenset[str]]:
    return {frozenset(f"s:{i}" for i in s) for s in sets}


def test_connected_components_follow_match_links_only() -> None:
    pairs = _pairs(
        [
            (0, 1, "match", 12.0, None),
            (1, 2, "match", 9.0, None),
            (3, 4, "review", 1.0, None),
        ]
    )
    result = cluster_pairs(_records(5), pairs)
    assert _groups(result.clusters) == _g((0, 1, 2), (3,), (4,))
    assert result.conflicting == 0


def test_other_place_links_attach_a_lone_record_to_one_group_only() -> None:
    # 0-1 and 2-3: a company and its branch, each with records of its own; 4 a moved record
    pairs = _pairs(
        [
            (0, 1, "match", 12.0, None),
            (2, 3, "match", 12.0, None),
            (1, 2, "match", 8.0, "other_place"),
            (4, 0, "review", 3.0, "other_place"),
            (4, 3, "match", 2.0, "other_place"),
            (5, 6, "review", 1.0, "other_place"),
            (7, 8, "non-match", -5.0, "other_place"),
        ]
    )
    result = cluster_pairs(_records(9), pairs)
    # 4 joins the group of its strongest *match* link: a review link never merges, soft or not
    assert _groups(result.clusters) == _g((0, 1), (2, 3, 4), (5,), (6,), (7,), (8,))


@pytest.mark.parametrize(
    ("iban", "expected"),
    [
        # the lone record 2 (Müller Bau GmbH, Kiel) banks elsewhere than the group in Hamburg:
        # a moved company keeps its account, a branch or namesake has its own
        (["DE44500105175407324931", None, "DE89370400440532013000"], _g((0, 1), (2,))),
        # its account is the group's own (on a record it is not directly linked to): a move
        (["DE44500105175407324931", None, "DE44 5001 0517 5407 3249 31"], _g((0, 1, 2))),
        # the group has no account on file: nothing speaks against the move
        ([None, None, "DE89370400440532013000"], _g((0, 1, 2))),
        ([None, None, None], _g((0, 1, 2))),
    ],
)
def test_a_lone_record_with_another_account_is_not_attached(
    iban: list[str | None], expected: set[frozenset[str]]
) -> None:
    pairs = _pairs([(0, 1, "match", 14.0, None), (1, 2, "match", 3.0, "other_place")])
    result = cluster_pairs(_records(3, iban=iban), pairs)
    assert _groups(result.clusters) == expected


def test_a_lone_record_goes_to_the_best_group_without_a_foreign_account() -> None:
    # 0-1 in Hamburg with an account, 2-3 in Bremen without; 4 in Kiel links more strongly
    # to Hamburg but banks elsewhere: it joins Bremen
    iban = ["DE44500105175407324931", None, None, None, "DE89370400440532013000"]
    pairs = _pairs(
        [
            (0, 1, "match", 14.0, None),
            (2, 3, "match", 14.0, None),
            (4, 1, "match", 5.0, "other_place"),
            (4, 2, "match", 2.0, "other_place"),
        ]
    )
    result = cluster_pairs(_records(5, iban=iban), pairs)
    assert _groups(result.clusters) == _g((0, 1), (2, 3, 4))


def test_cannot_link_splits_along_the_weakest_link() -> None:
    pairs = _pairs(
        [
            (0, 1, "match", 15.0, None),
            (1, 2, "match", 4.0, None),
            (2, 3, "match", 11.0, None),
            (0, 3, "non-match", -20.0, "cannot_link"),
        ]
    )
    result = cluster_pairs(_records(4), pairs)
    assert _groups(result.clusters) == _g((0, 1), (2, 3))
    assert (result.conflicting, result.split_into, result.links_removed) == (1, 2, 1)


@pytest.mark.parametrize(
    ("column", "values"),
    [
        ("vat_id", ["DE136695976", None, "de 123 456 788", None]),
        ("register_number", ["HRB 1234", None, "HRB 99999", None]),
    ],
)
def test_two_different_identifiers_never_share_a_cluster(column: str, values: list) -> None:
    pairs = _pairs(
        [
            (0, 1, "match", 10.0, None),
            (1, 2, "match", 3.0, None),
            (2, 3, "match", 8.0, None),
        ]
    )
    result = cluster_pairs(_records(4, **{column: values}), pairs)
    assert _groups(result.clusters) == _g((0, 1), (2, 3))


@pytest.mark.parametrize(
    ("column", "a", "b", "same"),
    [
        ("register_number", "HRB 1234", "HRB1234", True),
        ("register_number", "HRB 1234", "hrb 1234", True),
        ("register_number", "HRB 1234", "HRA 1234", False),
        ("vat_id", "DE 136 695 976", "de136695976", True),
        ("vat_id", "DE136695976", "DE123456788", False),
    ],
)
def test_identifier_codes_normalise_spelling(column: str, a: str, b: str, same: bool) -> None:
    codes = identifier_codes(_records(2, **{column: [a, b]}), column)
    assert codes.min() >= 0
    assert bool(codes[0] == codes[1]) is same


def test_a_register_court_does_not_split_a_company() -> None:
    records = _records(
        3,
        register_number=["HRB 1234", "HRB 1234", None],
        register_court=["Amtsgericht München", None, "München"],
    )
    pairs = _pairs([(0, 1, "match", 10.0, None), (1, 2, "match", 8.0, None)])
    assert _groups(cluster_pairs(records, pairs).clusters) == _g((0, 1, 2))


def test_hard_rule_links_are_cut_last() -> None:
    records = _records(3, vat_id=["DE136695976", "DE136695976", None])
    pairs = _pairs(
        [
            (0, 1, "match", 1.0, "same_vat_id"),
            (1, 2, "match", 9.0, None),
            (0, 2, "non-match", -5.0, "cannot_link"),
        ]
    )
    result = cluster_pairs(records, pairs)
    assert _groups(result.clusters) == _g((0, 1), (2,))


def test_clerical_no_match_removes_an_automatic_match() -> None:
    pairs = _pairs([(0, 1, "match", 20.0, "same_vat_id"), (1, 2, "match", 9.0, None)])
    decisions = pd.DataFrame({"left_id": ["s:1"], "right_id": ["s:0"], "decision": ["no match"]})
    result = cluster_pairs(_records(3), pairs, decisions)
    assert _groups(result.clusters) == _g((0,), (1, 2))


def test_clerical_no_match_splits_a_chain() -> None:
    pairs = _pairs([(0, 1, "match", 20.0, None), (1, 2, "match", 5.0, None)])
    decisions = pd.DataFrame({"left_id": ["s:0"], "right_id": ["s:2"], "decision": ["no match"]})
    result = cluster_pairs(_records(3), pairs, decisions)
    assert _groups(result.clusters) == _g((0, 1), (2,))


def test_clerical_match_overrides_hard_rules_and_identifiers() -> None:
    records = _records(3, vat_id=["DE136695976", "DE123456788", None])
    pairs = _pairs([(0, 1, "non-match", -30.0, "cannot_link"), (1, 2, "review", 2.0, None)])
    decisions = pd.DataFrame(
        {"left_id": ["s:0", "s:1"], "right_id": ["s:1", "s:2"], "decision": ["match", "match"]}
    )
    result = cluster_pairs(records, pairs, decisions)
    assert _groups(result.clusters) == _g((0, 1, 2))


def test_pairs_naming_unknown_records_are_ignored() -> None:
    pairs = _pairs([(0, 7, "match", 20.0, None)])
    result = cluster_pairs(_records(2), pairs)
    assert _groups(result.clusters) == _g((0,), (1,))


@settings(max_examples=60, deadline=None)
@given(
    st.integers(min_value=2, max_value=12).flatmap(
        lambda n: st.tuples(
            st.just(n),
            st.lists(
                st.tuples(
                    st.integers(0, n - 1),
                    st.integers(0, n - 1),
                    st.sampled_from(["match", "match", "review"]),
                    st.floats(-5, 30),
                ),
                max_size=25,
            ),
            st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=4),
        )
    )
)
def test_every_record_in_one_cluster_and_no_cannot_link_inside(case: tuple) -> None:
    n, links, cannot = case
    rows = [(a, b, band, w, None) for a, b, band, w in links if a != b]
    rows += [(a, b, "non-match", -10.0, "cannot_link") for a, b in cannot if a != b]
    pairs = _pairs(rows) if rows else _pairs([(0, 1, "review", 0.0, None)])
    result = cluster_pairs(_records(n), pairs)
    clusters = result.clusters.set_index("record_id")["cluster"]
    assert len(clusters) == n and clusters.index.is_unique
    for a, b in cannot:
        if a != b:
            assert clusters[f"s:{a}"] != clusters[f"s:{b}"]
    # the guard only refines: records share a cluster only if a chain of matches joins them
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            x = parent[x]
        return x

    for a, b, band, _ in links:
        if band == "match":
            parent[find(a)] = find(b)
    for _, group in clusters.groupby(clusters):
        roots = {find(int(rid.split(":")[1])) for rid in group.index}
        assert len(roots) == 1


def test_a_pair_the_model_rejects_beyond_doubt_is_not_chained_together() -> None:
    # two companies at one address and a record without legal form or phone between them:
    # weak links to both, while the model rejects 0-2 outright (other domain and phone)
    pairs = _pairs(
        [
            (0, 1, "match", 9.0, None),
            (1, 2, "match", 0.5, None),
            (0, 2, "non-match", -22.0, None),
        ]
    )
    assert _groups(cluster_pairs(_records(3), pairs).clusters) == _g((0, 1, 2))
    apart = (np.array([0]), np.array([2]))  # from score_pairs: weight below -10 bits
    result = cluster_pairs(_records(3), pairs, apart=apart)
    assert _groups(result.clusters) == _g((0, 1), (2,))
    assert result.conflicting == 1
