"""Every shipped connector reads its export format: actual values from committed sample files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from openpyxl import Workbook

from dq.ingest import ingest_file

DATA = Path(__file__).parent.parent / "data" / "connectors"


def _records(name: str, connector: str) -> pd.DataFrame:
    result = ingest_file(DATA / name, connector)
    assert result.stats[0].balanced
    return result.records.set_index("source_key")


CASES: list[tuple[str, str, str, dict[str, Any]]] = [
    (
        "lexware-kunden.csv",
        "lexware-kunden",
        "20001",
        {
            "company_name": "Müller & Söhne OHG",
            "vat_id": "DE136695976",
            "postcode": "01069",
            "city": "Dresden",
            "party_type": "company",
            "created_at": pd.Timestamp("2021-02-03"),
        },
    ),
    (
        "lexware-kunden.csv",
        "lexware-kunden",
        "20002",
        {"first_name": "Käthe", "last_name": "Groß", "salutation": "Frau", "party_type": "person"},
    ),
    (
        "sevdesk-kontakte.csv",
        "sevdesk-kontakte",
        "1002",
        {
            "company_name": "Hofmann Logistik GmbH",
            "title": "Dr.",
            "last_name": "Hofmann",
            "position": "Geschäftsführer",
            "mobile": "0171 2233445",
            "party_type": "person",
        },
    ),
    (
        "hubspot-companies.csv",
        "hubspot-companies",
        "9001",
        {
            "company_name": "Bäckerei Mueller GmbH & Co. KG",
            "domain": "baeckerei-mueller.de",
            "employees": 45,
            "created_at": pd.Timestamp("2022-03-01 10:15"),
            "last_activity_at": pd.Timestamp("2024-11-02"),
        },
    ),
    (
        "hubspot-companies.csv",
        "hubspot-companies",
        "9002",
        {"city": "Frankfurt a. M.", "street": pd.NA},
    ),
    (
        "hubspot-contacts.csv",
        "hubspot-contacts",
        "501",
        {
            "first_name": "Jürgen",
            "last_name": "Weiß",
            "postcode": "01067",
            "marketing_consent": True,
        },
    ),
    ("hubspot-contacts.csv", "hubspot-contacts", "502", {"marketing_consent": False}),
    (
        "salesforce-accounts.csv",
        "salesforce-accounts",
        "0015g00000AbCdE",
        {
            "company_name": "Kaiser Bau AG",
            "street": "Zeil 1\r\n3. OG",
            "customer_number": "K-4711",
            "employees": 1200,
        },
    ),
    (
        "salesforce-accounts.csv",
        "salesforce-accounts",
        "0015g00000FgHiJ",
        {"company_name": "Weber, Fischer & Partner mbB"},
    ),
    (
        "salesforce-contacts.csv",
        "salesforce-contacts",
        "0035g00000XyZ01",
        {
            "salutation": "Frau",
            "position": "Einkaufsleiterin",
            "company_name": "Kaiser Bau AG",
            "marketing_consent": pd.NA,
            "party_type": "person",
        },
    ),
    (
        "salesforce-contacts.csv",
        "salesforce-contacts",
        "0035g00000XyZ02",
        {"marketing_consent": False},
    ),
    (
        "pipedrive-organizations-old.csv",
        "pipedrive-organizations",
        "17",
        {
            "company_name": "Hofmann Logistik GmbH",
            "street": "Industriestraße 4",
            "postcode": "04109",
        },
    ),
    (
        "pipedrive-organizations-new.csv",
        "pipedrive-organizations",
        "18",
        {"company_name": "Kaiser Bau AG", "city": "Frankfurt am Main"},
    ),
    (
        "pipedrive-persons-old.csv",
        "pipedrive-persons",
        "41",
        {"email": "peter@hofmann-privat.de", "phone": "0341 998877", "marketing_consent": True},
    ),
    (
        "pipedrive-persons-new.csv",
        "pipedrive-persons",
        "42",
        {"email": "anna.schmidt@kaiser-bau.de", "marketing_consent": False},
    ),
    (
        "generic.csv",
        "generic-csv",
        "30001",
        {
            "company_name": "Schreinerei Holzwurm e.K.",
            "postcode": "01099",
            "marketing_consent": True,
        },
    ),
]


@pytest.mark.parametrize(("file", "connector", "key", "expected"), CASES, ids=lambda v: str(v)[:30])
def test_connector_values(file: str, connector: str, key: str, expected: dict[str, Any]) -> None:
    row = _records(file, connector).loc[key]
    for column, value in expected.items():
        if value is pd.NA:
            assert pd.isna(row[column]), column
        else:
            assert row[column] == value, column


def test_rows_without_an_id_get_a_content_hash_not_a_row_number() -> None:
    records = ingest_file(DATA / "generic.csv", "generic-csv").records
    hashed = records[records["customer_number"].isna()]["record_id"].iloc[0]
    assert hashed.startswith("generic-csv:h") and len(hashed) == len("generic-csv:h") + 16


def test_content_hash_ids_survive_resorting(tmp_path: Path) -> None:
    lines = (DATA / "generic.csv").read_text(encoding="utf-8").splitlines()
    resorted = tmp_path / "generic.csv"
    resorted.write_text("\n".join([lines[0], lines[2], lines[1]]) + "\n", encoding="utf-8")
    before = set(ingest_file(DATA / "generic.csv", "generic-csv").records["record_id"])
    after = set(ingest_file(resorted, "generic-csv").records["record_id"])
    assert before == after


def test_duplicate_source_keys_stay_unique_and_order_free(tmp_path: Path) -> None:
    path = tmp_path / "dup.csv"
    path.write_text("Kundennummer;Firma\n7;Alpha GmbH\n7;Beta GmbH\n8;Gamma AG\n", encoding="utf-8")
    ids = ingest_file(path, "generic-csv").records.set_index("company_name")["record_id"]
    assert ids["Gamma AG"] == "generic-csv:8"
    assert ids["Alpha GmbH"] != ids["Beta GmbH"]
    assert ids["Alpha GmbH"].startswith("generic-csv:7~")
    path.write_text("Kundennummer;Firma\n7;Beta GmbH\n8;Gamma AG\n7;Alpha GmbH\n", encoding="utf-8")
    again = ingest_file(path, "generic-csv").records.set_index("company_name")["record_id"]
    assert again.to_dict() == ids.to_dict()


def test_sales_notes_become_interactions() -> None:
    result = ingest_file(DATA / "sales-notes.csv", "sales-notes", records_of="datev")
    notes = result.interactions
    assert notes["record_id"].tolist() == ["datev:10002", "datev:10003"]
    assert notes["channel"].tolist() == ["visit", "note"]  # "Fax" is no known channel
    assert notes["kind"].tolist() == ["offer", "return"]  # classified from the words
    assert notes["text"].iloc[0] == "Angebot für Werkzeugsets besprochen;\nRückruf nächste Woche"
    assert notes["date"].iloc[0] == pd.Timestamp("2024-04-02")
    reasons = dict(zip(result.rejects["line"], result.rejects["reason"], strict=True))
    assert reasons[2].startswith("row has 7 fields")  # an unquoted semicolon in the note
    assert reasons[5].startswith("no customer reference")
    assert result.stats[0].rows_read == 4 and result.stats[0].balanced


def test_excel_workbook(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Kundennummer", "Firma", "PLZ", "Ort", "Angelegt am"])
    sheet.append(["40001", "Café Kränzchen GmbH", "01307", "Dresden", "2023-04-01"])
    sheet.append([None, None, None, None, None])
    sheet.append(["40002", "Zahnarztpraxis Dr. Süß", "80331", "München", None])
    path = tmp_path / "kunden.xlsx"
    book.save(path)
    result = ingest_file(path, "excel")
    records = result.records.set_index("source_key")
    assert records.loc["40001", "company_name"] == "Café Kränzchen GmbH"
    assert records.loc["40001", "postcode"] == "01307"
    assert records.loc["40002", "source_row"] == 4  # the spreadsheet's own row number
    assert result.stats[0].rows_read == 2


def test_broken_excel_file(tmp_path: Path) -> None:
    from dq.errors import InputError

    path = tmp_path / "kaputt.xlsx"
    path.write_bytes(b"not a zip")
    with pytest.raises(InputError, match=r"not a readable \.xlsx"):
        ingest_file(path, "excel")


def _ingest_text(tmp_path: Path, connector: str, text: str) -> pd.DataFrame:
    path = tmp_path / "export.csv"
    path.write_text(text, encoding="utf-8")
    result = ingest_file(path, connector, source="src")
    assert result.stats[0].balanced
    return result.records.set_index("source_key")


def test_hubspot_contacts_with_associated_companies(tmp_path: Path) -> None:
    records = _ingest_text(
        tmp_path,
        "hubspot-contacts",
        "Record ID - Contact,First Name,Last Name,Email,Create Date,Company name,"
        "Record ID - Company,Create Date\n"
        "11,Anna,Schmidt,anna@alpha.example,2/3/26,Alpha GmbH,901,1/2/25\n",
    )
    contact = records.loc["11"]
    assert (contact["company_ref"], contact["company_name"]) == ("901", "Alpha GmbH")
    assert contact["created_at"] == pd.Timestamp("2026-02-03")  # the contact's, not the company's


def test_salesforce_contacts_name_their_account(tmp_path: Path) -> None:
    records = _ingest_text(
        tmp_path,
        "salesforce-contacts",
        "Id,AccountId,FirstName,LastName,Email,MailingState\n"
        "0035g1,0015g00000AbCdE,Eva,Klein,eva@kaiser.example,Hessen\n",
    )
    assert records.loc["0035g1", "company_ref"] == "0015g00000AbCdE"
    assert records.loc["0035g1", "region"] == "Hessen"


@pytest.mark.parametrize(
    ("connector", "text"),
    [
        (
            "salesforce-contacts",
            "Id,FirstName,LastName,Birthdate\n1,Eva,Klein,1975-11-09\n2,Jo,Roth,\n",
        ),
        (
            "hubspot-contacts",
            "Record ID,First Name,Last Name,Date of birth\n1,Eva,Klein,1975-11-09\n2,Jo,Roth,\n",
        ),
        (
            "generic-csv",
            "Kundennummer;Vorname;Nachname;Geburtsdatum\n1;Eva;Klein;09.11.1975\n2;Jo;Roth;\n",
        ),
    ],
)
def test_a_date_of_birth_is_read_as_a_date(tmp_path: Path, connector: str, text: str) -> None:
    records = _ingest_text(tmp_path, connector, text)
    assert records.loc["1", "birth_date"] == pd.Timestamp("1975-11-09")
    assert pd.isna(records.loc["2", "birth_date"])


def test_a_date_of_birth_that_is_no_date_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "contacts.csv"
    path.write_text("Id,FirstName,LastName,Birthdate\n1,Eva,Klein,1975-11-92\n", encoding="utf-8")
    result = ingest_file(path, "salesforce-contacts")
    [issue] = result.parse_issues.to_dict("records")
    assert (issue["column"], issue["source_column"]) == ("birth_date", "Birthdate")
    assert (issue["line"], issue["value"]) == (2, "1975-11-92")
    assert len(result.records) == 1  # the row is kept, its date of birth reported


def test_salesforce_accounts_without_id_get_content_keys(tmp_path: Path) -> None:
    text = (
        "Name,BillingStreet,BillingPostalCode,BillingCity,Phone\nAlpha GmbH,Ring 1,50667,Köln,1\n"
    )
    records = _ingest_text(tmp_path, "salesforce-accounts", text)
    [key] = records.index
    assert key.startswith("h")
    assert _ingest_text(tmp_path, "salesforce-accounts", text).index.tolist() == [key]  # stable


def test_hubspot_companies_second_address_line_and_region(tmp_path: Path) -> None:
    records = _ingest_text(
        tmp_path,
        "hubspot-companies",
        "Record ID,Company name,Street Address,Street Address 2,City,State/Region,Country/Region\n"
        "9,Alpha Inc,1 Main St,Suite 400,Boston,Massachusetts,United States\n",
    )
    assert records.loc["9", ["address_extra", "region"]].tolist() == ["Suite 400", "Massachusetts"]


def test_lexware_house_number_contact_person_tax_number(tmp_path: Path) -> None:
    records = _ingest_text(
        tmp_path,
        "lexware-kunden",
        "Kundennummer;Firmenname;Straße;Hausnummer;PLZ;Ort;Ansprechpartner;Steuernummer\n"
        "20009;Beta OHG;Lindenweg;12a;01069;Dresden;Herr Keller;203/123/45678\n",
    )
    assert records.loc["20009", ["street", "house_number"]].tolist() == ["Lindenweg", "12a"]
    assert records.loc["20009", "contact_person"] == "Herr Keller"
    assert records.loc["20009", "tax_number"] == "203/123/45678"


def test_sevdesk_contact_person(tmp_path: Path) -> None:
    records = _ingest_text(
        tmp_path,
        "sevdesk-kontakte",
        "Kunden-Nr.;Organisation;Ansprechpartner;Straße;PLZ;Ort\n1003;Gamma GmbH;Frau Roth;Weg 1;10115;Berlin\n",
    )
    assert records.loc["1003", "contact_person"] == "Frau Roth"


def test_several_associated_companies_are_a_parse_issue(tmp_path: Path) -> None:
    path = tmp_path / "contacts.csv"
    path.write_text(
        "Record ID,First Name,Last Name,Associated Company IDs\n1,Anna,Roth,901;902\n2,Jo,Lang,903\n",
        encoding="utf-8",
    )
    result = ingest_file(path, "hubspot-contacts")
    assert result.records["company_ref"].tolist() == ["901;902", "903"]
    [issue] = result.parse_issues.to_dict("records")
    assert (issue["check"], issue["line"], issue["value"]) == ("company_ref", 2, "901;902")
