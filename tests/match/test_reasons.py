"""Reasons a steward reads: per review pair, per golden record."""

from __future__ import annotations

import numpy as np
import pandas as pd

from dq.match.comparisons import load_comparisons
from dq.match.reasons import cluster_reasons, for_stewards, pair_reasons

COMPARISONS = load_comparisons()
NAMES = [c.name for c in COMPARISONS]


def _pairs(rows: list[dict[str, float]], ids: list[tuple[str, str]]) -> pd.DataFrame:
    data: dict[str, object] = {
        "left_id": [a for a, _ in ids],
        "right_id": [b for _, b in ids],
        "decision": pd.array([pd.NA] * len(ids), dtype="string"),
    }
    for name in NAMES:
        data[f"{name}__weight"] = [row.get(name, 0.0) for row in rows]
    data["match_weight"] = [sum(row.values()) for row in rows]
    return pd.DataFrame(data)


def test_agreements_strongest_first_then_differences_with_company_names() -> None:
    pairs = _pairs(
        [{"vat_id": 9.1, "phone": 6.2, "name_core": -3.0, "address": 0.2}], [("a:1", "b:1")]
    )
    left = pd.DataFrame({"company_name": ["Müller Bau GmbH"]})
    right = pd.DataFrame({"company_name": ["Müller Bau GmbH & Co. KG"]})
    reason = pair_reasons(pairs, COMPARISONS, left, right).iloc[0]
    assert reason == (
        "same VAT ID, phone; name differ: 'Müller Bau GmbH' vs 'Müller Bau GmbH & Co. KG'"
    )


def test_weak_evidence_is_no_reason_and_without_values_only_the_comparison_is_named() -> None:
    pairs = _pairs([{"email": -4.0, "address": 0.3}, {}], [("a:1", "b:1"), ("a:2", "b:2")])
    reasons = pair_reasons(pairs, COMPARISONS).tolist()
    assert reasons[0] == "email differ" and pd.isna(reasons[1])


def test_review_shows_both_records_side_by_side() -> None:
    records = pd.DataFrame(
        {
            "record_id": ["a:1", "b:1"],
            "source": ["a", "b"],
            "company_name": ["Alpha GmbH", "Alpha Gmbh"],
            "city": ["Köln", "Koeln"],
        }
    )
    review = for_stewards(_pairs([{"name_core": 5.0}], [("a:1", "b:1")]), records, COMPARISONS)
    row = review.iloc[0]
    assert (row["left_source"], row["right_source"]) == ("a", "b")
    assert (row["left_city"], row["right_city"]) == ("Köln", "Koeln")
    assert row["reason"] == "same name"
    assert list(review.columns[:4]) == ["left_id", "right_id", "decision", "reason"]


def test_cluster_reason_is_its_strongest_inner_link() -> None:
    ids = pd.Series(["a:1", "a:2", "a:3", "a:4", "a:5"])
    labels = np.array([0, 0, 0, 1, 2], dtype=np.int64)
    pairs = _pairs(
        [{"phone": 3.0}, {"vat_id": 9.0, "address": 4.0}, {"name_core": 8.0}],
        [("a:1", "a:2"), ("a:2", "a:3"), ("a:3", "a:4")],  # the last crosses clusters
    )
    reasons = cluster_reasons(pairs, COMPARISONS, ids, labels)
    assert reasons[0] == "3 records: same VAT ID, address"
    assert pd.isna(reasons[1]) and pd.isna(reasons[2])


def test_reasons_written_once_per_pattern_equal_those_written_per_pair() -> None:
    comps = load_comparisons()
    rng = np.random.default_rng(7)
    levels = rng.choice([-4.0, -0.6, -0.2, 0.0, 0.3, 0.7, 2.5, 6.0], size=(2_000, len(comps)))
    pairs = pd.DataFrame({f"{c.name}__weight": levels[:, j] for j, c in enumerate(comps)})
    pairs.index = pd.RangeIndex(5, 5 + len(pairs))
    no_values = pd.DataFrame(index=range(len(pairs)))  # records given, nothing to quote
    per_pattern = pair_reasons(pairs, comps)
    per_pair = pair_reasons(pairs, comps, no_values, no_values)
    pd.testing.assert_series_equal(per_pattern, per_pair)
    assert per_pattern.notna().sum() > 1_000
