"""DATEV files: header record, columns by position with header-name fallback, bookings."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from dq.errors import InputError
from dq.ingest import ingest_file
from dq.sources.datev import parse_header, read_datev

DATA = Path(__file__).parent.parent / "data" / "datev"
SHARED = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "datev"


def test_header_record() -> None:
    header, table = read_datev(DATA / "EXTF_Buchungsstapel_2023_24.csv")
    assert (header.kind, header.category, header.format_version) == ("EXTF", 21, 9)
    assert header.period_from == date(2023, 10, 1)
    assert header.period_to == date(2024, 3, 31)
    assert header.currency == "EUR"
    assert header.account_length == 4
    assert table.header_line == 2
    assert table.lines[0] == 3


def test_not_a_datev_file() -> None:
    with pytest.raises(InputError, match="not a DATEV file") as info:
        parse_header("Konto;Name", Path("x.csv"))
    assert info.value.row == 1


@pytest.mark.parametrize(
    "name",
    [
        "EXTF_Debitoren_v5_cp1252.csv",
        "EXTF_Debitoren_v5_utf8bom.csv",
        "EXTF_Debitoren_v4_drift.csv",
    ],
)
def test_debtors_read_the_same_in_every_variant(name: str) -> None:
    result = ingest_file(DATA / name, "datev-debitoren", source="datev")
    records = result.records.set_index("record_id")
    company = records.loc["datev:10001"]
    assert company["company_name"] == "Bäckerei Müller GmbH & Co. KG"
    assert company["party_type"] == "company"
    assert company["vat_id"] == "DE136695976"  # EU-Land + number, split across two columns
    assert company["customer_number"] == "K-10001"
    assert company["city"] == "Düsseldorf"
    person = records.loc["datev:10002"]
    assert (person["salutation"], person["title"], person["first_name"], person["last_name"]) == (
        "Herr",
        "Dipl.-Ing.",
        "Jürgen",
        "Weiß",
    )
    assert person["party_type"] == "person"
    assert person["postcode"] == "01067"  # the leading zero survives
    assert records.loc["datev:10003", "vat_id"] == "DE811569869"  # already prefixed: not doubled


def test_name_particles_and_unknown_addressee_type() -> None:
    records = ingest_file(DATA / "EXTF_Debitoren_v5_cp1252.csv", "datev-debitoren").records
    by_id = records.set_index("source_key")
    assert by_id.loc["10004", "last_name"] == "von Schröder"
    assert by_id.loc["10005", "company_name"] == "Gärtnerei Blümchen"
    assert by_id.loc["10005", "party_type"] == "company"


def test_creditors_are_skipped_into_rejects() -> None:
    result = ingest_file(DATA / "EXTF_Debitoren_v5_cp1252.csv", "datev-debitoren")
    assert "datev-debitoren:70010" not in set(result.records["record_id"])
    [reject] = result.rejects.to_dict("records")
    assert reject["line"] == 8
    assert reject["column"] == "Konto"
    assert reject["reason"].startswith("skipped: account outside the debtor range 10000-69999")
    assert reject["raw"].startswith("70010;")


def test_bookings_signed_dated_and_typed() -> None:
    result = ingest_file(
        DATA / "EXTF_Buchungsstapel_2023_24.csv",
        "datev-buchungsstapel",
        source="fibu",
        records_of="datev",
    )
    tx = result.transactions
    assert tx["record_id"].tolist() == [
        "datev:10001",
        "datev:10001",
        "datev:10002",
        "datev:10002",
        "datev:10003",
    ]
    assert tx["amount"].tolist() == [1190.0, -1190.0, 2380.5, -119.0, -500.0]
    assert tx["doc_type"].tolist() == ["invoice", "payment", "invoice", "credit_note", "payment"]
    # TTMM with the year from the header period 2023-10-01..2024-03-31
    assert tx["doc_date"].dt.strftime("%Y-%m-%d").tolist() == [
        "2023-10-15",
        "2023-11-09",
        "2024-02-05",
        "2024-02-20",
        "2024-03-01",
    ]
    assert tx["due_date"].iloc[0] == pd.Timestamp("2023-11-14")  # Belegfeld 2 TTMMJJ
    assert tx["currency"].tolist() == ["EUR"] * 5  # empty WKZ falls back to the header currency
    assert tx["doc_number"].iloc[2] == "RE-2024-007"
    assert tx["contra_account"].tolist() == ["8400", "1200", "8400", "8400", "1200"]
    assert tx["source_row"].tolist() == [3, 4, 5, 6, 7]
    [reject] = result.rejects.to_dict("records")
    assert reject["line"] == 8
    assert reject["reason"].startswith("skipped: no debtor account")


@pytest.mark.skipif(not SHARED.is_dir(), reason="shared fixtures not present")
def test_shared_samples() -> None:
    debtors = ingest_file(SHARED / "EXTF_Stammdaten.csv", "datev-debitoren", source="datev")
    [row] = debtors.records.to_dict("records")
    assert (row["first_name"], row["last_name"], row["street"], row["city"]) == (
        "Sabine",
        "Mustermann",
        "Am Haagelspfädchen 14",
        "Köln",
    )
    assert row["iban"] == "DE12500105170648489890"
    assert debtors.stats[0].rows_read == 4 and debtors.stats[0].rejects == 3
    bookings = ingest_file(
        SHARED / "EXTF_Buchungsstapel.csv", "datev-buchungsstapel", records_of="datev"
    )
    [tx] = bookings.transactions.to_dict("records")
    assert tx["record_id"] == "datev:10000"
    assert tx["amount"] == 5950.0
    assert tx["doc_date"] == pd.Timestamp("2018-02-22")


def test_wrong_category_for_the_connector() -> None:
    with pytest.raises(InputError, match="category 16"):
        ingest_file(DATA / "EXTF_Debitoren_v5_cp1252.csv", "datev-buchungsstapel")


def test_datev_file_through_a_csv_connector_gets_a_hint() -> None:
    with pytest.raises(InputError, match="datev-debitoren"):
        ingest_file(DATA / "EXTF_Debitoren_v5_cp1252.csv", "generic-csv")
