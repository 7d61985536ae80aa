"""Robust evidence: each class of error seen in missed duplicates, pinned by hand-made records.

Mistyped identifiers, phones libphonenumber rejects, shortened legal forms, another contact
person on a company record, mojibake and OCR errors, a city missing on one side: none of them
may keep two records of one customer apart.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dq.match.clustering import cluster_pairs
from dq.match.columns import ColumnCache
from dq.match.comparisons import compare, load_comparisons, parse_comparisons
from dq.match.evidence import freemail, personal_email, phone_digits, phone_keys
from dq.match.score import ScoredPairs, score_pairs
from dq.match.settings import MatchSettings
from dq.standardize import standardize_records

SPEC = {c.name: c for c in load_comparisons()}


def _level(name: str, left: dict[str, str | None], right: dict[str, str | None]) -> str:
    frame = pd.DataFrame([left, right], dtype="string")
    vectors = compare(frame, np.array([0]), np.array([1]), [SPEC[name]])
    return SPEC[name].labels()[int(vectors.levels[name][0])]


# ---- identifiers: only two valid ones differ for certain -----------------------------------


@pytest.mark.parametrize(
    ("name", "left", "right", "level"),
    [
        ("vat_id", "DE136695976", "DE 136 695 976", "exact"),
        ("vat_id", "DE136695976", "DE136695967", "typo"),  # the last two digits transposed
        ("vat_id", "DE136695976", "DE13669597G", "typo"),  # OCR: 6 read as G
        ("vat_id", "ATU13585627", "ATU13585626", "typo"),
        ("vat_id", "DE136695976", "DE999999999", "invalid"),  # fails its check, not close
        ("vat_id", "DE136695976", "DE123456788", "different"),  # two valid VAT IDs
        ("iban", "DE89370400440532013000", "DE89370400440532010300", "typo"),
        ("iban", "DE89370400440532013000", "AT611904300234573201", "different"),
        ("register_number", "HRB 12345", "HR8 12345", "typo"),  # OCR: B read as 8
        ("register_number", "HRB 12345", "HRB 54321", "different"),
    ],
)
def test_identifier_levels(name: str, left: str, right: str, level: str) -> None:
    assert _level(name, {name: left}, {name: right}) == level


def test_the_standardisers_flag_decides_validity() -> None:
    frame = pd.DataFrame({"vat_id": ["DE136695976", "DE123456788"]}, dtype="string")
    frame["vat_id_valid"] = pd.array([True, False], dtype="boolean")  # as the flag says
    vectors = compare(frame, np.array([0]), np.array([1]), [SPEC["vat_id"]])
    assert SPEC["vat_id"].labels()[int(vectors.levels["vat_id"][0])] == "invalid"


@pytest.fixture(scope="module")
def scored(customers: pd.DataFrame) -> ScoredPairs:
    return score_pairs(customers.drop(columns="entity"), settings=MatchSettings())


def _company(**values: str | None) -> dict[str, str | None]:
    base: dict[str, str | None] = {
        "party_type": "company",
        "name_core": "quirinius kaffeeroesterei",
        "legal_form": "GMBH",
        "street": "hauptstrasse",
        "house_number": "12",
        "postcode": "10115",
        "city": "berlin",
        "country": "DE",
        "domain": "quirinius-kaffee.de",
    }
    base.update(values)
    return base


def _score(scored: ScoredPairs, rows: list[dict[str, str | None]]) -> tuple[pd.DataFrame, object]:
    frame = pd.DataFrame(
        [{"record_id": f"s:{i}", "source": "s", **row} for i, row in enumerate(rows)],
        dtype="string",
    )
    settings = MatchSettings(keep_non_matches=True)
    result = score_pairs(frame, settings=settings, model=scored.model)
    clusters = cluster_pairs(frame, result.pairs, apart=result.apart)
    return result.pairs, clusters


def test_a_mistyped_vat_id_is_no_cannot_link(scored: ScoredPairs) -> None:
    """One VAT ID carries an OCR error: it fails its check digit, so it conflicts with nothing."""
    rows = [
        _company(vat_id="DE136695976", phone="+49301234567"),
        _company(vat_id="DE13669597G", phone="+49301234567"),
        _company(vat_id=None, phone="+49301234567"),
    ]
    pairs, clusters = _score(scored, rows)
    assert not (pairs["hard_rule"] == "cannot_link").any()
    assert (pairs["band"] == "match").all()
    assert clusters.clusters["cluster"].nunique() == 1
    assert clusters.conflicting == 0


def test_two_valid_vat_ids_stay_apart(scored: ScoredPairs) -> None:
    rows = [_company(vat_id="DE136695976"), _company(vat_id="DE123456788")]
    pairs, clusters = _score(scored, rows)
    assert pairs["hard_rule"].tolist() == ["cannot_link"]
    assert clusters.clusters["cluster"].nunique() == 2


# ---- phones: normalised digits, and "invalid" as a level of its own ------------------------


@pytest.mark.parametrize(
    ("value", "country", "digits"),
    [
        ("0049 2078 288354", "DE", "492078288354"),
        ("+49 (0)2078 288354", "DE", "492078288354"),
        ("(02078) 288354", "DE", "492078288354"),
        ("+492211234567", "DE", "492211234567"),
        ("0043 1 5123456", "AT", "4315123456"),
        ("044 668 18 00", "CH", "41446681800"),
    ],
)
def test_phone_digits_handle_prefixes(value: str, country: str, digits: str) -> None:
    assert phone_digits(value, country) == digits


def test_phone_spellings_are_one_number_even_when_libphonenumber_rejects_it() -> None:
    frame = pd.DataFrame(
        {
            "phone": ["0049 2078 288354", "+49 (0)2078 288354", "(02078) 288354", "+4989123456"],
            "country": ["DE", "DE", None, "DE"],
        },
        dtype="string",
    )
    codes, _ = phone_keys(ColumnCache(frame), "phone")
    assert codes[0] == codes[1] == codes[2] != codes[3]
    levels = compare(frame, np.array([0, 0, 1]), np.array([1, 2, 3]), [SPEC["phone"]])
    labels = [SPEC["phone"].labels()[x] for x in levels.levels["phone"]]
    assert labels == ["exact", "exact", "invalid"]


def test_an_unparseable_phone_is_never_a_strong_difference(scored: ScoredPairs) -> None:
    """Same address, a phone that fails validation on one side: not "far_same_address"."""
    rows = [_company(phone="+49 (0)2078 288354"), _company(phone="+49301234567")]
    pairs, _ = _score(scored, rows)
    phone = SPEC["phone"]
    assert phone.labels()[int(pairs["phone__level"].iloc[0])] == "invalid_same_address"
    far = phone.labels().index("far_same_address")
    assert pairs["phone__weight"].iloc[0] > scored.model.level_weights("phone")[far]


def test_one_company_with_its_phone_written_three_ways(scored: ScoredPairs) -> None:
    rows = [
        _company(phone="0049 2078 288354"),
        _company(phone="+49 (0)2078 288354"),
        _company(phone="(02078) 288354"),
    ]
    _, clusters = _score(scored, rows)
    assert clusters.clusters["cluster"].nunique() == 1


# ---- legal forms: "KG" for "GmbH & Co. KG" -------------------------------------------------


def test_kg_written_short_is_the_same_company(scored: ScoredPairs) -> None:
    rows = [_company(legal_form="GMBH_CO_KG"), _company(legal_form="KG")]
    pairs, clusters = _score(scored, rows)
    assert pd.isna(pairs["hard_rule"].iloc[0])
    assert clusters.clusters["cluster"].nunique() == 1


def test_gmbh_and_gmbh_co_kg_stay_different_companies(scored: ScoredPairs) -> None:
    rows = [_company(legal_form="GMBH"), _company(legal_form="GMBH_CO_KG")]
    pairs, clusters = _score(scored, rows)
    assert pairs["hard_rule"].tolist() == ["different_legal_form"]
    assert clusters.clusters["cluster"].nunique() == 2


# ---- contact persons on company records ----------------------------------------------------


@pytest.mark.parametrize(("party", "level"), [("company", "missing"), ("person", "far")])
def test_another_contact_person_is_no_evidence_against_a_company(party: str, level: str) -> None:
    left = {"party_type": party, "first_name": "anna", "last_name": "mueller"}
    right = {"party_type": party, "first_name": "peter", "last_name": "schmidt"}
    assert _level("person_name", left, right) == level


def test_the_same_contact_person_still_counts_for_a_company() -> None:
    row = {"party_type": "company", "first_name": "anna", "last_name": "mueller"}
    assert _level("person_name", row, row) == "exact"


def test_a_company_is_not_split_by_its_contact_persons(scored: ScoredPairs) -> None:
    rows = [
        _company(first_name="anna", last_name="mueller", phone="+49301234567"),
        _company(first_name="peter", last_name="schmidt", phone="+49301234567"),
        _company(first_name="julia", last_name="wagner", phone=None),
    ]
    _, clusters = _score(scored, rows)
    assert clusters.clusters["cluster"].nunique() == 1


# ---- text repair and a city missing on one side --------------------------------------------


def test_mojibake_and_ocr_errors_are_repaired_before_comparison() -> None:
    raw = pd.DataFrame(
        {
            "record_id": ["a", "b"],
            "company_name": ["SchÃ¤fer MÃ¶bel GmbH", "Schäfer Möbel GmbH"],
            "street": ["GroÃŸe StraÃŸe 5", "Große Straße 5"],
            "postcode": ["23O48", "23048"],
            "city": ["LÃ¼beck", "Lübeck"],
            "country": ["DE", "DE"],
        },
        dtype="string",
    )
    records = standardize_records(raw).records
    for column in ("company_name", "name_core", "street", "postcode", "city", "city_fold"):
        assert records[column].iloc[0] == records[column].iloc[1], column
    assert records["postcode_valid"].tolist() == [True, True]


@pytest.mark.parametrize(
    ("left", "right", "level"),
    [
        # an OCR or typing error in the postcode and no city on one side: the same place as
        # far as anyone can tell, not another one
        (("23048", "luebeck"), ("23043", None), "city"),
        (("23048", "luebeck"), ("80331", None), "far"),  # postcodes far apart: another place
        (("23048", "luebeck"), ("23043", "kiel"), "far"),  # both cities known and different
    ],
)
def test_a_city_missing_on_one_side_is_no_disagreement(
    left: tuple[str, str | None], right: tuple[str, str | None], level: str
) -> None:
    def row(v: tuple[str, str | None]) -> dict[str, str | None]:
        return {"street": "seeweg", "house_number": "3", "postcode": v[0], "city": v[1]}

    assert _level("address", row(left), row(right)) == level


def test_an_identifier_standardisation_does_not_check_counts_as_valid() -> None:
    comps = parse_comparisons(
        {"comparisons": [{"name": "ssn", "kind": "identifier", "scorer": "damerau"}]}
    )
    frame = pd.DataFrame({"ssn": ["1234567", "1234576", "1234567"]}, dtype="string")
    levels = compare(frame, np.array([0, 0]), np.array([1, 2]), comps).levels["ssn"]
    assert [comps[0].labels()[x] for x in levels] == ["different", "exact"]


@pytest.mark.parametrize(
    ("emails", "flags", "personal"),
    [
        # the standardiser's role flag where present ...
        (["k.albers@mueller-bau.de", "info@mueller-bau.de", None], [False, True, None], [1, 0, 0]),
        # ... else its rule, once per distinct address
        (["k.albers@mueller-bau.de", "buchhaltung@mueller-bau.de", None], None, [1, 0, 0]),
    ],
)
def test_a_personal_mailbox_is_told_from_a_role_mailbox(
    emails: list[str | None], flags: list[bool | None] | None, personal: list[int]
) -> None:
    frame = pd.DataFrame({"email": emails}, dtype="string")
    if flags is not None:
        frame["email_role"] = pd.array(flags, dtype="boolean")
    assert personal_email(ColumnCache(frame)).astype(int).tolist() == personal


def test_the_standardisers_freemail_flag_decides_a_private_address() -> None:
    frame = pd.DataFrame({"email": ["a@gmx.de", "b@firma.de", None]}, dtype="string")
    assert freemail(ColumnCache(frame)).tolist() == [True, False, False]
    frame["email_freemail"] = pd.array([False, True, None], dtype="boolean")  # as flagged
    assert freemail(ColumnCache(frame)).tolist() == [False, True, False]
