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
    total = pairs["prior_weight"].to_numpy()  # the prior of each pair's class
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
            # a company renamed: another name at the same address with the same phone number
            # is weighed by the model, not vetoed by the names
            {
                "party_type": "company",
                "name_core": "mueller bau",
                "street": "hauptstrasse",
                "house_number": "1",
                "postcode": "10115",
                "phone": "+49301234567",
            },
            {
                "party_type": "company",
                "name_core": "nordlicht immobilien",
                "street": "hauptstrasse",
                "house_number": "1",
                "postcode": "10115",
                "phone": "+49301234567",
            },
            None,
            None,
        ),
        (
            # two companies in one building, each with its own phone: different names veto
            {
                "party_type": "company",
                "name_core": "mueller bau",
                "street": "hauptstrasse",
                "house_number": "1",
                "postcode": "10115",
                "phone": "+49301234567",
            },
            {
                "party_type": "company",
                "name_core": "nordlicht immobilien",
                "street": "hauptstrasse",
                "house_number": "1",
                "postcode": "10115",
                "phone": "+49309876543",
            },
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
            # "AG" for "GmbH" (a slip or a conversion) on two records sharing a phone number:
            # the phone outweighs the legal form, no veto
            {
                "party_type": "company",
                "name_core": "mueller bau",
                "legal_form": "AG",
                "street": "hauptstrasse",
                "house_number": "1",
                "postcode": "10115",
                "phone": "+49301234567",
            },
            {
                "party_type": "company",
                "name_core": "mueller bau",
                "legal_form": "GMBH",
                "street": "hauptstrasse",
                "house_number": "1",
                "postcode": "10115",
                "phone": "+49301234567",
            },
            None,
            "match",
        ),
        (
            # the same pair without a shared phone or IBAN: different companies
            {
                "party_type": "company",
                "name_core": "mueller bau",
                "legal_form": "AG",
                "street": "hauptstrasse",
                "house_number": "1",
                "postcode": "10115",
                "phone": "+49301234567",
            },
            {
                "party_type": "company",
                "name_core": "mueller bau",
                "legal_form": "GMBH",
                "street": "hauptstrasse",
                "house_number": "1",
                "postcode": "10115",
                "phone": "+49309876543",
            },
            "different_legal_form",
            "non-match",
        ),
        (
            # ... or sharing one person's mailbox: the same business
            {
                "party_type": "company",
                "name_core": "mueller bau",
                "legal_form": "AG",
                "street": "hauptstrasse",
                "house_number": "1",
                "postcode": "10115",
                "email": "k.albers@mueller-bau.de",
            },
            {
                "party_type": "company",
                "name_core": "mueller bau",
                "legal_form": "GMBH",
                "street": "hauptstrasse",
                "house_number": "1",
                "postcode": "10115",
                "email": "k.albers@mueller-bau.de",
            },
            None,
            "match",
        ),
        (
            # ... but a role mailbox is shared by sister companies: still a veto
            {
                "party_type": "company",
                "name_core": "mueller bau",
                "legal_form": "AG",
                "street": "hauptstrasse",
                "house_number": "1",
                "postcode": "10115",
                "email": "info@mueller-bau.de",
            },
            {
                "party_type": "company",
                "name_core": "mueller bau",
                "legal_form": "GMBH",
                "street": "hauptstrasse",
                "house_number": "1",
                "postcode": "10115",
                "email": "info@mueller-bau.de",
            },
            "different_legal_form",
            "non-match",
        ),
        (
            # a GmbH and its GmbH & Co. KG share office and switchboard: two companies by
            # design, whatever they share
            {
                "party_type": "company",
                "name_core": "mueller bau",
                "legal_form": "GMBH",
                "street": "hauptstrasse",
                "house_number": "1",
                "postcode": "10115",
                "phone": "+49301234567",
            },
            {
                "party_type": "company",
                "name_core": "mueller bau",
                "legal_form": "GMBH_CO_KG",
                "street": "hauptstrasse",
                "house_number": "1",
                "postcode": "10115",
                "phone": "+49301234567",
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
            # two person records with one personal identifier (tax or social security number)
            # and both names different: a name replaced or changed, no veto; the model decides
            {
                "party_type": "person",
                "first_name": "greta",
                "last_name": "albers",
                "tax_number": "4417302",
                "street": "hauptstrasse",
                "postcode": "10115",
            },
            {
                "party_type": "person",
                "first_name": "mira",
                "last_name": "lindqvist",
                "tax_number": "4417302",
                "street": "hauptstrasse",
                "postcode": "10115",
            },
            None,
            None,
        ),
        (
            # the same two with different numbers: two people at one address
            {
                "party_type": "person",
                "first_name": "greta",
                "last_name": "albers",
                "tax_number": "4417302",
                "street": "hauptstrasse",
                "postcode": "10115",
            },
            {
                "party_type": "person",
                "first_name": "mira",
                "last_name": "lindqvist",
                "tax_number": "9023185",
                "street": "hauptstrasse",
                "postcode": "10115",
            },
            "different_names",
            "non-match",
        ),
        (
            # both names different, the same date of birth at one address: one person entered
            # twice (a name replaced), no veto; the model decides
            {
                "party_type": "person",
                "first_name": "rosie",
                "last_name": "rundle",
                "birth_date": "1975-11-09",
                "street": "sturt avenue",
                "house_number": "8",
                "postcode": "2263",
            },
            {
                "party_type": "person",
                "first_name": "jenna",
                "last_name": "campbell",
                "birth_date": "1975-11-09",
                "street": "sturt avenue",
                "house_number": "8",
                "postcode": "2263",
            },
            None,
            None,
        ),
        (
            # ... with another date of birth: two people at one address
            {
                "party_type": "person",
                "first_name": "rosie",
                "last_name": "rundle",
                "birth_date": "1975-11-09",
                "street": "sturt avenue",
                "house_number": "8",
                "postcode": "2263",
            },
            {
                "party_type": "person",
                "first_name": "jenna",
                "last_name": "campbell",
                "birth_date": "1981-03-02",
                "street": "sturt avenue",
                "house_number": "8",
                "postcode": "2263",
            },
            "different_names",
            "non-match",
        ),
        (
            # the same date of birth alone, in another town: strangers share birthdays
            {
                "party_type": "person",
                "first_name": "rosie",
                "last_name": "rundle",
                "birth_date": "1975-11-09",
                "postcode": "2263",
                "city": "bundaberg",
            },
            {
                "party_type": "person",
                "first_name": "jenna",
                "last_name": "campbell",
                "birth_date": "1975-11-09",
                "postcode": "4107",
                "city": "ascot park",
            },
            "different_names",
            "non-match",
        ),
        (
            # ... unless a personal identifier is one typo off (an OCR error in the number)
            {
                "party_type": "person",
                "first_name": "rosie",
                "last_name": "rundle",
                "birth_date": "1975-11-09",
                "tax_number": "9419843",
                "postcode": "2263",
            },
            {
                "party_type": "person",
                "first_name": "jenna",
                "last_name": "campbell",
                "birth_date": "1975-11-09",
                "tax_number": "9491843",
                "postcode": "4107",
            },
            None,
            None,
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
            # one VAT ID in another city, nothing else shared: a branch of the legal entity
            # as likely as a move, an other_place link (a lone record still joins its group)
            {
                "party_type": "company",
                "name_core": "mueller bau",
                "vat_id": "DE123456788",
                "postcode": "10115",
                "city": "berlin",
                "phone": "+49301234",
            },
            {
                "party_type": "company",
                "name_core": "mueller bau",
                "vat_id": "DE123456788",
                "postcode": "80331",
                "city": "muenchen",
                "phone": "+49899876",
            },
            "other_place",
            None,
        ),
        (
            # ... sharing the phone as well: one company that moved
            {
                "party_type": "company",
                "name_core": "mueller bau",
                "vat_id": "DE123456788",
                "postcode": "10115",
                "city": "berlin",
                "phone": "+49301234",
            },
            {
                "party_type": "company",
                "name_core": "mueller bau",
                "vat_id": "DE123456788",
                "postcode": "80331",
                "city": "muenchen",
                "phone": "+49301234",
            },
            "same_vat_id",
            "match",
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


# ---- companies with many contact persons in one table ---------------------------------------

_OWNERS = ["Quirinius", "Falkenberg", "Hansen", "Lindner", "Ostwald", "Brandl", "Kessler", "Vogt"]
_TRADES = ["Kaffeerösterei", "Metallbau", "Logistik", "Druck", "Elektrotechnik"]
_CITIES = [
    ("Berlin", "10115"),
    ("Fürth", "90762"),
    ("Hamburg", "20095"),
    ("Köln", "50667"),
    ("Leipzig", "04109"),
    ("München", "80331"),
    ("Stuttgart", "70173"),
]
_FIRMS = [
    (f"{owner} {trade}", *_CITIES[(i * 5 + j) % len(_CITIES)])
    for i, owner in enumerate(_OWNERS)
    for j, trade in enumerate(_TRADES)
]
_STREETS = ["Hauptstraße", "Bahnhofstraße", "Lindenallee", "Schillerstraße", "Am Markt"]
_GIVEN = ["Anna", "Peter", "Julia", "Thomas", "Sabine", "Michael", "Katrin", "Jonas", "Lea", "Uwe"]
_FAMILY = ["Meyer", "Fischer", "Wagner", "Becker", "Schulz", "Hoffmann", "Koch", "Richter", "Wolf"]


def _crm_with_contacts() -> pd.DataFrame:
    """Per company a CRM and an ERP record (written differently) and ten contact persons.

    Three of the contacts have an ERP record too. The contacts share their company's name,
    address and switchboard, so most candidate pairs are colleagues: person pairs that agree on
    every company field. The companies of a city sit in one office building (other companies at
    the same address).
    """
    rows: list[dict[str, str | None]] = []
    for i, (firm, city, postcode) in enumerate(_FIRMS):
        slug = firm.lower().replace(" ", "-").replace("ö", "oe")
        building = _STREETS[_CITIES.index((city, postcode)) % len(_STREETS)]
        company = {
            "party_type": "company",
            "company_name": f"{firm} GmbH",
            "street": building,
            "house_number": "12",
            "postcode": postcode,
            "city": city,
            "country": "DE",
            "phone": f"030 {4100 + i} {200 + i}",
            "email": f"info@{slug}.de",
            "entity": f"C{i}",
        }
        erp = {
            **company,
            "company_name": firm.upper() if i % 2 else f"{firm} Gesellschaft mbH",
            "street": building.replace("straße", "str."),
            "phone": f"+49 (0)30 {4100 + i}{200 + i}" if i % 3 else None,
            "email": None,
        }
        if i % 5 == 0:  # the ERP still has the old address
            erp.update(street=_STREETS[(i + 1) % len(_STREETS)], house_number=str(40 + i))
        rows += [company, erp]
        for k in range(10):
            given, family = _GIVEN[(i + k) % len(_GIVEN)], _FAMILY[(i * 3 + k) % len(_FAMILY)]
            contact = {
                **company,
                "party_type": "person",
                "first_name": given,
                "last_name": family,
                "email": f"{given.lower()}.{family.lower()}@{slug}.de",
                "entity": f"P{i}-{k}",
            }
            rows.append(contact)
            if k < 3:  # some contacts are in the ERP export too
                rows.append({**contact, "street": erp["street"], "email": None})
    frame = pd.DataFrame(rows, dtype="string")
    frame.insert(0, "record_id", [f"crm:{n}" for n in range(len(frame))])
    frame.insert(1, "source", "crm")
    return frame


@pytest.fixture(scope="module")
def with_contacts() -> tuple[pd.DataFrame, pd.Series]:
    from dq.standardize import standardize_records

    raw = _crm_with_contacts()
    records = standardize_records(raw.drop(columns="entity")).records
    return records, raw.set_index("record_id")["entity"]


def test_company_duplicates_match_among_many_contacts(
    with_contacts: tuple[pd.DataFrame, pd.Series],
) -> None:
    """Colleagues must not teach the model that company fields say little about companies."""
    from dq.match.clustering import cluster_pairs

    records, entity = with_contacts
    # a few hundred company pairs here: enough for a class model of their own in this test
    settings = MatchSettings(em_min_class_pairs=100)
    scored = score_pairs(records, settings=settings)
    assert {c: scored.model.classes[c].source for c in ("company", "person")} == {
        "company": "own",
        "person": "own",
    }
    pairs = scored.pairs
    left = entity.reindex(pairs["left_id"]).to_numpy()
    right = entity.reindex(pairs["right_id"]).to_numpy()
    company_dupes = (left == right) & (pairs["pair_class"] == "company").to_numpy()
    assert company_dupes.sum() == len(_FIRMS)
    assert (pairs.loc[company_dupes, "band"] == "match").all()
    clusters = cluster_pairs(records, pairs, apart=scored.apart)
    label = pd.Series(clusters.clusters["cluster"].to_numpy(), index=records["record_id"])
    for i in range(len(_FIRMS)):
        members = entity.index[entity == f"C{i}"]
        assert label[members].nunique() == 1, f"company C{i} split"
    # nothing else merges: colleagues and the other companies in the building stay apart
    assert label.nunique() == entity.nunique()


def test_one_pooled_model_is_what_loses_them(
    with_contacts: tuple[pd.DataFrame, pd.Series],
) -> None:
    """The same records with one model for all pairs: company duplicates drop out of match."""
    records, entity = with_contacts
    scored = score_pairs(records, settings=MatchSettings(em_pair_classes=False))
    assert scored.model.classes == {}
    pairs = scored.pairs
    left = entity.reindex(pairs["left_id"]).to_numpy()
    right = entity.reindex(pairs["right_id"]).to_numpy()
    company_dupes = (left == right) & (pairs["pair_class"] == "company").to_numpy()
    assert (pairs.loc[company_dupes, "band"] != "match").any()


def test_each_pair_is_explained_with_its_class_prior(
    with_contacts: tuple[pd.DataFrame, pd.Series],
) -> None:
    from dq.match.explain import explain_pair
    from dq.match.model import PAIR_CLASSES

    records, _ = with_contacts
    scored = score_pairs(records, settings=MatchSettings(em_min_class_pairs=100))
    pairs = scored.pairs
    priors = scored.model.class_prior_weights()
    codes = pd.Categorical(pairs["pair_class"], categories=PAIR_CLASSES).codes
    assert np.array_equal(pairs["prior_weight"].to_numpy(), priors[codes])
    company, person = priors[PAIR_CLASSES.index("company")], priors[PAIR_CLASSES.index("person")]
    assert company > person + 1  # colleagues make non-matches far more common among persons
    total = pairs["prior_weight"].to_numpy().copy()
    for comp in scored.model.comparisons:
        total += pairs[f"{comp.name}__weight"].to_numpy()
    assert np.array_equal(total, pairs["match_weight"].to_numpy())
    row = pairs[pairs["pair_class"] == "company"].iloc[0]
    shown = f"{company:+.1f}".replace("-", "\u2212")
    assert f"prior {shown}" in explain_pair(row, scored.model)
