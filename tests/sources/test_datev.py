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


def _debtor_file(tmp_path: Path, values: dict[str, str]) -> Path:
    """A category-16 file with the full format-5 header and one row filled by column name."""
    header, columns = (DATA / "EXTF_Debitoren_v5_cp1252.csv").read_text("cp1252").splitlines()[:2]
    names = columns.split(";")
    row = ";".join(f'"{values.get(n, "")}"' if n != "Konto" else values["Konto"] for n in names)
    path = tmp_path / "EXTF_Debitoren.csv"
    path.write_bytes(f"{header}\r\n{columns}\r\n{row}\r\n".encode("cp1252"))
    return path


def test_debtors_contact_tax_bank_and_invoice_address(tmp_path: Path) -> None:
    path = _debtor_file(
        tmp_path,
        {
            "Konto": "10005",
            "Name (Adressatentyp Unternehmen)": "Alpha Maschinenbau GmbH",
            "Adressatentyp": "2",
            "Straße": "Werkstraße 5",
            "Adresszusatz": "Halle 3",
            "Postleitzahl": "70173",
            "Ort": "Stuttgart",
            "Ansprechpartner": "Frau Dr. Vogel",
            "Steuernummer": "99015/12345",
            "IBAN 1": "DE89370400440532013000",
            "SWIFT-Code 1": "COBADEFFXXX",
            "Bankbezeichnung 1": "Commerzbank",
            "IBAN 2": "DE02120300000000202051",
            "Straße (Rechnungsadresse)": "Postweg 1",
            "Postleitzahl (Rechnungsadresse)": "70174",
            "Ort (Rechnungsadresse)": "Stuttgart",
        },
    )
    record = ingest_file(path, "datev-debitoren", source="datev").records.iloc[0]
    assert record["contact_person"] == "Frau Dr. Vogel"
    assert record["tax_number"] == "99015/12345"
    assert record["bic"] == "COBADEFFXXX"
    assert record["address_extra"] == "Halle 3"
    assert (record["bank_name"], record["iban_2"]) == ("Commerzbank", "DE02120300000000202051")
    assert (record["billing_street"], record["billing_postcode"]) == ("Postweg 1", "70174")
    assert record["street"] == "Werkstraße 5"  # the main address stays the customer's address


DIVERSE = (
    '"EXTF";700;48;"Diverse Adressen";2;20240115093000000;;"DQ";"tests";"";1001;456;20240101;4;;;'
    '"";"";;;;"";"";"";"";"";"";;;"";""\r\n'
    "Adressnummer;Konto;Anrede;Name (Adressattyp Unternehmen);Unternehmensgegenstand;"
    "Kurzbezeichnung;Name (Adressattyp natürl. Person);Vorname (Adressattyp natürl. Person);"
    "Name (Adressattyp keine Angabe);Adressattyp;Titel/Akad. Grad;Adelstitel;Namensvorsatz;"
    "Abweichende Anrede;Adressart;Straße;Postfach;Postleitzahl;Ort;Land\r\n"
    '"D-17";10000;"";"Kiosk am Markt";"";"";"";"";"";"2";"";"";"";"";"STR";"Markt 1";"";'
    '"04109";"Leipzig";"DE"\r\n'
    '"D-18";10000;"Herr";"";"";"";"Schulz";"Otto";"";"1";"";"";"";"";"STR";"Ring 2";"";'
    '"04103";"Leipzig";"DE"\r\n'
)


def test_diverse_adressen_category_48(tmp_path: Path) -> None:
    path = tmp_path / "EXTF_Diverse_Adressen.csv"
    path.write_bytes(DIVERSE.encode("cp1252"))
    records = ingest_file(path, "datev-diverse-adressen", source="div").records
    records = records.set_index("record_id")
    assert records.loc["div:D-17", "company_name"] == "Kiosk am Markt"
    assert records.loc["div:D-17", "party_type"] == "company"
    assert records.loc["div:D-18", ["first_name", "last_name"]].tolist() == ["Otto", "Schulz"]
    assert records.loc["div:D-18", "collective_account"] == "10000"


@pytest.mark.parametrize(
    ("connector", "names"),
    [("datev-debitoren", "use connector datev-diverse-adressen"),
     ("generic-csv", "use connector datev-diverse-adressen")],
)  # fmt: skip
def test_wrong_connector_messages_name_the_right_one(
    tmp_path: Path, connector: str, names: str
) -> None:
    path = tmp_path / "EXTF_Diverse_Adressen.csv"
    path.write_bytes(DIVERSE.encode("cp1252"))
    with pytest.raises(InputError, match=names):
        ingest_file(path, connector)


def test_unknown_datev_category_says_so(tmp_path: Path) -> None:
    path = tmp_path / "EXTF_Kontenbeschriftungen.csv"
    path.write_text(
        '"EXTF";700;20;"Kontenbeschriftungen";2;;;;;;;;;;;;;;;;;;;;;;;;;;\r\nKonto;Kontenbeschriftung\r\n'
        '1200;"Bank"\r\n',
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="no connector for DATEV category 20; it reads categories"):
        ingest_file(path, "datev-debitoren")
