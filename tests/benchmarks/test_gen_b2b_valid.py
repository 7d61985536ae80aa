"""The B2B generator: deterministic, truthful ground truth, valid identifiers, the defects it
claims, and output that dq's canonical model accepts."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import phonenumbers
import pytest
from stdnum import iban as std_iban
from stdnum.ch import uid as ch_uid
from stdnum.eu import vat as eu_vat

from benchmarks.suite.gen_b2b_valid import OUTPUT_COLUMNS, generate
from dq.schema import RECORD_COLUMNS, conform


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    return generate(4000, seed=7)


@pytest.fixture(scope="module")
def large() -> pd.DataFrame:
    return generate(20000, seed=2)


def _vat_valid(value: str) -> bool:
    compact = re.sub(r"[\s.\-]|MWST$", "", value.upper())
    return ch_uid.is_valid(compact) if compact.startswith("CHE") else eu_vat.is_valid(compact)


def test_same_seed_same_data_other_seed_other_data(data: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(generate(4000, seed=7), data)
    assert not generate(4000, seed=8)["company_name"].equals(data["company_name"])


@pytest.mark.parametrize("n", [1, 57, 1234])
def test_exactly_n_records_with_unique_ids(n: int) -> None:
    frame = generate(n, seed=1)
    assert len(frame) == n
    assert frame["record_id"].is_unique
    assert frame["entity_id"].notna().all()


def test_columns_are_canonical_plus_truth(data: pd.DataFrame) -> None:
    assert list(data.columns) == OUTPUT_COLUMNS
    assert set(OUTPUT_COLUMNS) - set(RECORD_COLUMNS) == {"entity_id", "company_entity_id"}
    conformed = conform(data, RECORD_COLUMNS)
    assert len(conformed) == len(data)
    assert conformed["created_at"].notna().all()


def test_sources_and_party_types(data: pd.DataFrame) -> None:
    kinds = data.groupby("source")["party_type"].unique().to_dict()
    assert {k: list(v) for k, v in kinds.items()} == {
        "crm": ["company"],
        "crm_contacts": ["person"],
        "erp": ["company"],
        "webform": ["person"],
    }
    companies = data["party_type"] == "company"
    assert (data.loc[companies, "entity_id"] == data.loc[companies, "company_entity_id"]).all()
    assert data.loc[companies, "entity_id"].str.startswith("C").all()
    assert data.loc[~companies, "entity_id"].str.startswith("P").all()


def test_entities_have_duplicates_and_companies_many_contacts(data: pd.DataFrame) -> None:
    per_entity = data["entity_id"].value_counts()
    assert 0.15 < (per_entity > 1).mean() < 0.6
    contacts = data[data["party_type"] == "person"].groupby("company_entity_id")["entity_id"]
    assert contacts.nunique().max() >= 10


def test_identifiers_valid_except_the_damaged_few(data: pd.DataFrame) -> None:
    vat = data["vat_id"].dropna()
    share = vat.map(_vat_valid).mean()
    assert 0.9 < share < 1.0  # a few carry a transposition, a wrong digit or an OCR letter
    ibans = data["iban"].dropna()
    assert 0.95 < ibans.map(std_iban.is_valid).mean() < 1.0


def test_no_entity_has_two_different_valid_identifiers(data: pd.DataFrame) -> None:
    for column, valid, compact in (
        ("vat_id", _vat_valid, lambda v: re.sub(r"[\s.\-]|MWST$", "", v.upper())),
        ("iban", std_iban.is_valid, lambda v: v.replace(" ", "")),
    ):
        values = data[["entity_id", column]].dropna()
        values = values[values[column].map(valid)]
        per_entity = values.assign(c=values[column].map(compact)).groupby("entity_id")["c"]
        assert (per_entity.nunique() == 1).all(), column


def test_look_alikes_are_other_entities(data: pd.DataFrame) -> None:
    firms = data[data["party_type"] == "company"].dropna(subset=["street", "house_number"])
    address = firms["street"] + " " + firms["house_number"] + " " + firms["postcode"].fillna("")
    shared = firms.assign(a=address).groupby("a")["entity_id"].nunique()
    assert (shared > 1).sum() > 5  # siblings and business parks
    names = firms["company_name"].str.replace(r"\s+(GmbH|AG|KG).*$", "", regex=True)
    cities = firms.assign(n=names).groupby("n")["city"].nunique()
    assert (cities > 1).sum() > 5  # branches and namesakes


@pytest.mark.parametrize(
    ("column", "pattern"),
    [
        ("company_name", r"Ã[¤¶¼Ÿ]"),  # mojibake
        ("company_name", r"^[A-ZÄÖÜ0-9 &.\-]+$"),  # upper-case ERP names
        ("company_name", r" KG$"),  # GmbH & Co. KG written short (or a plain KG)
        ("company_name", r"UG \(haftungsbeschr"),
        ("company_name", r" e\. ?K\.?$"),
        ("company_name", r"(?:GesmbH|Ges\.m\.b\.H\.)$"),
        ("street", r"[Ss]tr\.?(?:\s|$)"),
        ("street", r"strasse"),
        ("postcode", r"[OlSBZG]"),  # OCR letters
        ("postcode", r"^\d{4}$"),  # AT/CH, or a German code that lost its leading zero
        ("phone", r"^\+49 \(0\)"),
        ("phone", r"^0049 "),
        ("phone", r"^\(0\d+\) "),
        ("phone", r"-\d{2,3}$"),  # extension
        ("mobile", r"^(?:\+49 |0)1[567]\d"),
        ("vat_id", r"^CHE-\d{3}\.\d{3}\.\d{3} MWST$"),
        ("vat_id", r"^DE \d{3} \d{3} \d{3}$"),
        ("iban", r"^[A-Z]{2}\d{2} \d{4} "),
        ("contact_person", r"^(?:Herr|Frau) "),
        ("first_name", r"^[a-zäöüß]"),  # web forms in lower case
        ("email", r"@(?:gmx|web|gmail|t-online)\."),
        ("city", r"^Frankfurt$"),
    ],
)
def test_defect_classes_occur(large: pd.DataFrame, column: str, pattern: str) -> None:
    values = large[column].dropna()
    assert values.str.contains(pattern, regex=True).any(), pattern


def test_phones_are_possible_numbers(data: pd.DataFrame) -> None:
    firms = data[data["party_type"] == "company"].dropna(subset=["phone"])
    region = firms["country"].replace({"Deutschland": "DE", "Österreich": "AT", "Schweiz": "CH"})
    ok = []
    for raw, cc in zip(firms["phone"], region.fillna("DE"), strict=True):
        text = re.sub(r"^00", "+", raw.replace("(0)", ""))
        ok.append(phonenumbers.is_possible_number(phonenumbers.parse(text, cc)))
    assert np.mean(ok) > 0.85


def test_one_entity_keeps_one_party_and_company(data: pd.DataFrame) -> None:
    per_entity = data.groupby("entity_id")[["party_type", "company_entity_id"]].nunique()
    assert (per_entity == 1).all().all()
