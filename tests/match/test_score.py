"""Scoring end to end on a small standardised frame: bands, hard rules, explanations add up."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dq.match.model import FSModel
from dq.match.score import ScoredPairs, score_pairs
from dq.match.settings import MatchSettings


@pytest.fixture(scope="module")
def scored(customers: pd.DataFrame) -> ScoredPairs:
    return score_pairs(customers.drop(columns="entity"), settings=MatchSettings())


def test_output_columns_and_types(scored: ScoredPairs) -> None:
    pairs = scored.pairs
    for column in ("left_id", "right_id", "match_weight", "probability", "band", "hard_rule"):
        assert column in pairs.columns
    for comp in scored.model.comparisons:
        assert f"{comp.name}__level" in pairs.columns
        assert f"{comp.name}__weight" in pairs.columns
    assert set(pairs["band"].unique()) <= {"match", "review", "non-match"}
    assert (pairs["left_id"] != pairs["right_id"]).all()
    assert set(scored.timings) >= {"blocking", "comparisons", "em", "scoring"}


def test_prior_plus_weights_add_up_to_match_weight(scored: ScoredPairs) -> None:
    pairs = scored.pairs
    total = np.full(len(pairs), scored.model.prior_weight)
    for comp in scored.model.comparisons:
        total = total + pairs[f"{comp.name}__weight"].to_numpy()
    assert np.array_equal(total, pairs["match_weight"].to_numpy())
    probability = 1 / (1 + np.exp2(-pairs["match_weight"].to_numpy()))
    assert np.allclose(probability, pairs["probability"].to_numpy())


def test_finds_the_known_duplicates(customers: pd.DataFrame, scored: ScoredPairs) -> None:
    entity = customers["entity"].to_numpy()
    pairs = scored.pairs
    matched = pairs[pairs["band"] == "match"]
    same = entity[matched["left_pos"]] == entity[matched["right_pos"]]
    true_pairs = sum(n * (n - 1) // 2 for n in customers["entity"].value_counts())
    precision = same.mean()
    recall = same.sum() / true_pairs
    assert precision >= 0.97 and recall >= 0.95


def _two(left: dict[str, str | None], right: dict[str, str | None]) -> pd.DataFrame:
    rows = [
        {"record_id": "a:1", "source": "a", **left},
        {"record_id": "b:1", "source": "b", **right},
    ]
    return pd.DataFrame(rows, dtype="string")


def _rule(scored: ScoredPairs, frame: pd.DataFrame, settings: MatchSettings) -> pd.DataFrame:
    return score_pairs(frame, settings=settings, model=scored.model).pairs


@pytest.mark.parametrize(
    ("left", "right", "rule", "band"),
    [
        (
            {"name_core": "mueller bau", "vat_id": "DE123456788", "postcode": "10115"},
            {"name_core": "mueller bau", "vat_id": "DE123456788", "postcode": "80331"},
            "same_vat_id",
            "match",
        ),
        (
            {"name_core": "mueller bau", "register_number": "HRB 1234", "register_court": "Berlin"},
            {"name_core": "muller bau", "register_number": "HRB 1234", "register_court": None},
            "same_register",
            "match",
        ),
        (
            {
                "name_core": "mueller bau",
                "vat_id": "DE123456788",
                "phone": "+49301",
                "postcode": "10115",
            },
            {
                "name_core": "mueller bau",
                "vat_id": "DE987654328",
                "phone": "+49301",
                "postcode": "10115",
            },
            "cannot_link",
            "non-match",
        ),
        (
            # same VAT ID but the names contradict: not a match
            {"name_core": "mueller bau", "vat_id": "DE123456788"},
            {"name_core": "schmidt logistik", "vat_id": "DE123456788"},
            "different_names",
            "non-match",
        ),
        (
            # same name and address, different legal forms: different companies
            {
                "name_core": "mueller bau",
                "legal_form": "GMBH",
                "street": "hauptstrasse",
                "house_number": "1",
                "postcode": "10115",
                "domain": "mueller-bau.de",
            },
            {
                "name_core": "mueller bau",
                "legal_form": "GMBH_CO_KG",
                "street": "hauptstrasse",
                "house_number": "1",
                "postcode": "10115",
                "domain": "mueller-bau.de",
            },
            "different_legal_form",
            "non-match",
        ),
        (
            # two persons at one company and address with unrelated names: colleagues
            {
                "party_type": "person",
                "name_core": "mueller bau",
                "first_name": "anna",
                "last_name": "schmidt",
                "street": "hauptstrasse",
                "postcode": "10115",
            },
            {
                "party_type": "person",
                "name_core": "mueller bau",
                "first_name": "peter",
                "last_name": "wagner",
                "street": "hauptstrasse",
                "postcode": "10115",
            },
            "different_names",
            "non-match",
        ),
        (
            # two company records with different contact persons: the company name decides
            {
                "party_type": "company",
                "name_core": "mueller bau",
                "first_name": "anna",
                "last_name": "schmidt",
                "vat_id": "DE123456788",
            },
            {
                "party_type": "company",
                "name_core": "mueller bau",
                "first_name": "peter",
                "last_name": "wagner",
                "vat_id": "DE123456788",
            },
            "same_vat_id",
            "match",
        ),
        (
            # the court spelled with and without "Amtsgericht": one registration
            {
                "name_core": "mueller bau",
                "register_number": "HRB 1234",
                "register_court": "AG Kiel",
            },
            {
                "name_core": "mueller bau",
                "register_number": "HRB 1234",
                "register_court": "Amtsgericht Kiel",
            },
            "same_register",
            "match",
        ),
        (
            # a branch: same company name, domain and role mailbox in another city, no shared
            # identifier (an e-mail like info@ is shared by branches: it does not count)
            {
                "party_type": "company",
                "name_core": "mueller bau",
                "legal_form": "GMBH",
                "postcode": "10115",
                "city": "berlin",
                "domain": "mueller-bau.de",
                "phone": "+49301234",
                "email": "info@mueller-bau.de",
            },
            {
                "party_type": "company",
                "name_core": "mueller bau",
                "legal_form": "GMBH",
                "postcode": "80331",
                "city": "muenchen",
                "domain": "mueller-bau.de",
                "phone": "+49899876",
                "email": "info@mueller-bau.de",
            },
            "other_place",
            None,
        ),
        (
            # the same pair sharing a phone number: no rule, the model decides
            {
                "party_type": "company",
                "name_core": "mueller bau",
                "postcode": "10115",
                "city": "berlin",
                "phone": "+49301234",
            },
            {
                "party_type": "company",
                "name_core": "mueller bau",
                "postcode": "80331",
                "city": "muenchen",
                "phone": "+49301234",
            },
            None,
            None,
        ),
    ],
)
def test_hard_rules(
    scored: ScoredPairs,
    left: dict[str, str | None],
    right: dict[str, str | None],
    rule: str | None,
    band: str | None,
) -> None:
    settings = MatchSettings(keep_non_matches=True)
    pairs = _rule(scored, _two(left, right), settings)
    assert len(pairs) == 1
    found = pairs["hard_rule"].iloc[0]
    assert (None if pd.isna(found) else found) == rule
    if band is not None:
        assert pairs["band"].iloc[0] == band


def test_bands_follow_thresholds(scored: ScoredPairs) -> None:
    settings = MatchSettings()
    pairs = scored.pairs[scored.pairs["hard_rule"].isna()]
    p = pairs["probability"]
    assert (pairs.loc[p >= settings.match_threshold, "band"] == "match").all()
    assert (pairs.loc[p < settings.review_threshold, "band"] == "non-match").all()


def test_reusing_a_saved_model_gives_the_same_scores(
    customers: pd.DataFrame, scored: ScoredPairs
) -> None:
    model = FSModel.from_json(scored.model.to_json())
    again = score_pairs(customers.drop(columns="entity"), model=model)
    assert again.pairs["match_weight"].tolist() == pytest.approx(
        scored.pairs["match_weight"].tolist()
    )
    assert "em" not in again.timings


def test_link_only_scores_cross_source_pairs(customers: pd.DataFrame) -> None:
    result = score_pairs(customers.drop(columns="entity"), settings=MatchSettings(mode="link_only"))
    assert (result.pairs["link_type"] == "link").all()


def test_pairs_kept_apart_are_vetoed_or_rejected_beyond_doubt(customers: pd.DataFrame) -> None:
    """Every pair a cannot-link rule vetoed, at any score, is among the pairs kept apart."""
    settings = MatchSettings(keep_non_matches=True)
    scored = score_pairs(customers.drop(columns="entity"), settings=settings)
    pairs = scored.pairs
    n = int(max(pairs["left_pos"].max(), pairs["right_pos"].max())) + 1
    apart = set((scored.apart[0] * n + scored.apart[1]).tolist())
    vetoed = pairs[
        pairs["hard_rule"].isin(["cannot_link", "different_names", "different_legal_form"])
        | (pairs["match_weight"] < MatchSettings().cannot_link_below)
    ]
    assert len(vetoed) > 0
    assert set((vetoed["left_pos"] * n + vetoed["right_pos"]).tolist()) <= apart
    assert (
        not (pairs["band"] == "match")
        .to_numpy()[np.isin(pairs["left_pos"] * n + pairs["right_pos"], list(apart))]
        .any()
    )


@pytest.mark.parametrize(
    ("other_name", "soft_match"),
    [
        ("mueller bau", True),  # the same company moved (or a branch with the same name)
        ("mueller bau nl hamm", False),  # a branch named as one: never an automatic match
        ("mueller bau filiale hamm", False),
    ],
)
def test_soft_links_need_the_company_names_to_agree(
    scored: ScoredPairs, other_name: str, soft_match: bool
) -> None:
    company = {
        "party_type": "company",
        "legal_form": "GMBH",
        "domain": "mueller-bau.de",
        "email": "info@mueller-bau.de",
    }
    left = {**company, "name_core": "mueller bau", "postcode": "10115", "city": "berlin"}
    right = {**company, "name_core": other_name, "postcode": "59065", "city": "hamm"}
    pairs = _rule(scored, _two(left, right), MatchSettings(keep_non_matches=True))
    assert pairs["hard_rule"].iloc[0] == "other_place"
    assert pairs["probability"].iloc[0] >= 0.5  # the model alone would match both
    assert (pairs["band"].iloc[0] == "match") == soft_match
    if not soft_match:
        assert pairs["band"].iloc[0] == "review"
