"""standardize_records: canonical columns standardised, raw kept, flags added, summary counted."""

from __future__ import annotations

import pandas as pd
import pytest

import dq.standardize as std
from dq.schema import RECORD_COLUMNS
from dq.standardize import FLAG_COLUMNS, standardize_records


def _one(**values: str | None) -> pd.Series:
    frame = pd.DataFrame([{"record_id": "t:1", **values}])
    return standardize_records(frame).records.iloc[0]


def test_every_exported_name_resolves() -> None:
    for name in std.__all__:
        assert getattr(std, name) is not None, name


def test_legal_form_is_extracted_from_the_company_name() -> None:
    row = _one(company_name="Müller Verwaltungs-GmbH", country="AT")
    assert row["legal_form"] == "GMBH"
    assert row["legal_form_elf"] == "AXSB"
    assert row["name_core"] == "mueller verwaltungs"
    assert row["party_type"] == "company"


def test_given_legal_form_wins_and_unknown_is_flagged() -> None:
    assert _one(company_name="Müller GmbH", legal_form="Aktiengesellschaft")["legal_form"] == "AG"
    row = _one(company_name="Müller", legal_form="Konzern")
    assert row["legal_form"] == "Konzern"
    assert not row["legal_form_known"]


def test_full_name_in_last_name_is_split_and_gender_comes_from_salutation() -> None:
    row = _one(salutation="Herrn", last_name="Prof. Dr. Hans Müller")
    assert (row["salutation"], row["title"], row["first_name"], row["last_name"]) == (
        "Herr", "Prof. Dr.", "Hans", "Müller",
    )  # fmt: skip
    assert row["gender"] == "male"
    assert row["last_name_raw"] == "Prof. Dr. Hans Müller"


def test_gender_is_never_guessed_from_the_first_name() -> None:
    row = _one(first_name="Anna", last_name="Schmidt")
    assert row["gender"] is pd.NA


def test_swapped_names_are_exchanged_and_flagged() -> None:
    row = _one(first_name="Müller", last_name="Hans")
    assert (row["first_name"], row["last_name"], row["name_swapped"]) == ("Hans", "Müller", True)


def test_street_is_split_only_when_house_number_is_empty() -> None:
    row = _one(street="Hauptstr. 5a")
    assert (row["street"], row["house_number"], row["street_key"]) == (
        "Hauptstraße", "5a", "hauptstr",
    )  # fmt: skip
    kept = _one(street="Hauptstr.", house_number="5 A")
    assert (kept["street"], kept["house_number"]) == ("Hauptstraße", "5a")


def test_one_line_address_fills_postcode_and_city() -> None:
    row = _one(street="Waidmannstraße 1, 22769 Hamburg.")
    assert (row["street"], row["house_number"], row["postcode"], row["city"]) == (
        "Waidmannstraße", "1", "22769", "Hamburg",
    )  # fmt: skip


def test_po_box_is_recognised() -> None:
    row = _one(street="Postfach 12 34", postcode="50667", city="Köln")
    assert row["is_po_box"]
    assert row["house_number"] is pd.NA


def test_phones_use_the_records_country() -> None:
    frame = pd.DataFrame(
        {"record_id": ["t:1", "t:2"], "phone": ["01 5123456", "01 5123456"], "country": ["A", None]}
    )
    out = standardize_records(frame, default_country="DE").records
    assert out["phone"].tolist() == ["+4315123456", "01 5123456"]
    assert out["phone_valid"].tolist() == [True, False]
    assert out["country"].tolist()[0] == "AT"


def test_domain_comes_from_website_or_business_email() -> None:
    rows = standardize_records(
        pd.DataFrame(
            {
                "record_id": ["t:1", "t:2", "t:3"],
                "website": ["https://www.shop.firma.de/x", None, None],
                "email": [None, "info@firma.at", "hans@gmx.de"],
            }
        )
    ).records
    assert rows["domain"].tolist()[:2] == ["firma.de", "firma.at"]
    assert rows["domain"].iloc[2] is pd.NA
    assert rows["email_role"].tolist() == [pd.NA, True, False]
    assert rows["email_freemail"].iloc[2]


def test_placeholders_are_nulled_and_listed() -> None:
    row = _one(city="n/a", phone="-", last_name="Müller")
    assert row["city"] is pd.NA and row["phone"] is pd.NA
    assert row["placeholder_columns"] == "city,phone"
    assert row["city_raw"] == "n/a"


def test_identifiers_are_compacted_and_checked() -> None:
    row = _one(
        vat_id="USt-IdNr.: DE 136 695 976",
        iban="DE89 3704 0044 0532 0130 00",
        register_number="Amtsgericht München HRB 73315",
    )
    assert (row["vat_id"], row["vat_id_valid"]) == ("DE136695976", True)
    assert (row["iban"], row["iban_valid"]) == ("DE89370400440532013000", True)
    assert (row["register_number"], row["register_court"]) == ("HRB 73315", "München")


def test_columns_order_and_index_are_kept() -> None:
    frame = pd.DataFrame(
        {"record_id": ["a:1", "a:2"], "city": ["KÖLN", "Bonn"], "extra": [1, 2]}, index=[7, 3]
    )
    out = standardize_records(frame).records
    assert list(out.index) == [7, 3]
    assert list(out.columns[: len(RECORD_COLUMNS)]) == list(RECORD_COLUMNS)
    assert "city_raw" in out.columns and "extra" in out.columns
    assert all(name in out.columns for name, _, _ in FLAG_COLUMNS)
    assert out["extra"].tolist() == [1, 2]


def test_summary_counts_changed_invalid_unchanged() -> None:
    frame = pd.DataFrame(
        {"record_id": ["a:1", "a:2", "a:3"], "phone": ["0221 1234567", "+492211234567", "12"]}
    )
    summary = standardize_records(frame).summary.set_index("column")
    assert list(summary.columns) == ["changed", "invalid", "unchanged"]
    assert summary.loc["phone"].tolist() == [1, 1, 2]


@pytest.mark.parametrize("rows", [0, 1])
def test_empty_and_tiny_inputs(rows: int) -> None:
    frame = pd.DataFrame({"record_id": [f"a:{i}" for i in range(rows)]})
    out = standardize_records(frame)
    assert len(out.records) == rows
    assert len(out.summary) > 0


def test_parallel_workers_give_the_same_result(monkeypatch: pytest.MonkeyPatch) -> None:
    from dq.standardize import _vector

    frame = pd.DataFrame(
        {
            "record_id": [f"p:{i}" for i in range(40)],
            "company_name": [f"Firma {i} GmbH" if i % 3 else f"Hans {i} e.K." for i in range(40)],
            "phone": [f"0221 12345{i:02d}" for i in range(40)],
            "street": [f"Hauptstr. {i}a" for i in range(40)],
        }
    )
    serial = standardize_records(frame).records
    monkeypatch.setattr(_vector, "PARALLEL_MIN_ROWS", 5)
    monkeypatch.setenv("DQ_WORKERS", "2")
    parallel = standardize_records(frame).records
    pd.testing.assert_frame_equal(serial, parallel)


def test_standardising_standardised_records_keeps_one_set_of_columns() -> None:
    frame = pd.DataFrame(
        {
            "record_id": ["a:1", "a:2"],
            "company_name": ["Müller Bau G.m.b.H.", "Stadtwerke Köln"],
            "phone": ["0221/1234567", "+49 (0)221 7654321"],
            "postcode": ["1067", "50667"],
        }
    )
    once = standardize_records(frame).records
    twice = standardize_records(once).records
    assert not twice.columns.duplicated().any()
    assert set(once.columns) <= set(twice.columns)
    assert twice["phone_raw"].tolist() == ["0221/1234567", "+49 (0)221 7654321"]
    assert twice["postcode_raw"].tolist() == ["1067", "50667"]


def test_standardised_text_is_arrow_backed_also_from_worker_processes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Text comes back as Arrow strings (as the connectors produce it), whichever process made
    it: pickled Python strings from a worker would cost an object per cell."""
    from dq.standardize import _vector

    frame = pd.DataFrame(
        {
            "record_id": [f"p:{i}" for i in range(12)],
            "company_name": ["Müller Bau GmbH"] * 12,
            "city": [None, "Köln"] * 6,
        }
    )
    monkeypatch.setattr(_vector, "PARALLEL_MIN_ROWS", 5)
    monkeypatch.setenv("DQ_WORKERS", "2")
    records = standardize_records(frame).records
    made = [*RECORD_COLUMNS, *(name for name, _, _ in FLAG_COLUMNS)]  # not the *_raw input
    text = [c for c in made if isinstance(records[c].dtype, pd.StringDtype)]
    assert {"company_name", "name_core", "city_fold"} <= set(text)
    assert {records[c].dtype.storage for c in text} == {"pyarrow"}
    assert records["city"].tolist() == [pd.NA, "Köln"] * 6
