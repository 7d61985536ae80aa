"""Contact persons as their own level: linked to their company's golden customer, de-duplicated,
with stable contact IDs; private persons stay customers."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from dq.config import load_workspace
from dq.golden.contacts import build_contacts, company_ref_links, company_view, contact_mask
from dq.pipeline import execute
from dq.store import Store


def _records(rows: list[dict[str, object]]) -> pd.DataFrame:
    from dq.schema import RECORD_COLUMNS, conform

    return conform(pd.DataFrame(rows), RECORD_COLUMNS)


@pytest.mark.parametrize(
    ("row", "is_contact"),
    [
        ({"party_type": "person", "last_name": "Meier", "company_name": "Müller Bau GmbH"}, True),
        ({"party_type": "person", "last_name": "Meier", "company_ref": "001A"}, True),
        ({"party_type": "person", "last_name": "Meier"}, False),  # a private customer
        ({"party_type": "person", "last_name": "Meier", "company_name": "Privatkunden"}, False),
        ({"party_type": "person", "last_name": "Meier", "company_name": "PRIVATE CUSTOMER"}, False),
        ({"party_type": "person", "last_name": "Meier", "company_name": "  "}, False),
        ({"party_type": "company", "company_name": "Müller Bau GmbH"}, False),
    ],
)
def test_contact_mask(row: dict[str, object], is_contact: bool) -> None:
    records = _records([{"record_id": "s:1", "source": "s", **row}])
    assert contact_mask(records).tolist() == [is_contact]


def test_company_view_hides_the_person_and_keeps_the_company() -> None:
    records = _records(
        [
            {
                "record_id": "crm:1",
                "source": "crm",
                "party_type": "person",
                "first_name": "Anna",
                "last_name": "Meier",
                "email": "anna.meier@mueller-bau.de",
                "mobile": "+491701234567",
                "company_name": "Müller Bau GmbH",
                "city": "Köln",
                "phone": "+49221123456",
                "domain": "mueller-bau.de",
            }
        ]
    )
    records["email_valid"] = pd.array([True], dtype="boolean")
    view = company_view(records, contact_mask(records))
    row = view.iloc[0]
    assert row["party_type"] == "company"
    assert pd.isna(row["first_name"]) and pd.isna(row["last_name"]) and pd.isna(row["email"])
    assert pd.isna(row["mobile"]) and pd.isna(row["email_valid"])
    assert (row["company_name"], row["city"], row["phone"], row["domain"]) == (
        "Müller Bau GmbH",
        "Köln",
        "+49221123456",
        "mueller-bau.de",
    )
    assert records.iloc[0]["last_name"] == "Meier"  # the input is not changed


def test_company_ref_links_resolve_through_companies_of() -> None:
    records = _records(
        [
            {"record_id": "acc:001A", "source": "acc", "party_type": "company"},
            {"record_id": "con:1", "source": "con", "party_type": "person", "company_ref": "001A"},
            {"record_id": "con:2", "source": "con", "party_type": "person", "company_ref": "999"},
            {"record_id": "con:3", "source": "con", "party_type": "person", "company_ref": "1"},
        ]
    )
    links = company_ref_links(records, contact_mask(records), {"con": "acc"})
    assert links[["left_id", "right_id"]].values.tolist() == [["con:1", "acc:001A"]]
    assert len(company_ref_links(records, contact_mask(records))) == 1  # con:1 → con:1 itself


def test_build_contacts_deduplicates_within_a_customer_only(tmp_path: Path) -> None:
    people = [
        ("crm:1", "G1", "Anna", "Meier", "anna.meier@mb.de"),
        ("crm:2", "G1", "Anna", "Meier", None),  # same name, same customer
        ("crm:3", "G1", "A.", "Meier-Schulz", "anna.meier@mb.de"),  # same e-mail
        ("crm:4", "G2", "Anna", "Meier", None),  # same name at another customer
        ("crm:5", "G1", "Peter", "Meier", None),  # another person
    ]
    records = _records(
        [
            {
                "record_id": rid,
                "source": "crm",
                "party_type": "person",
                "first_name": first,
                "last_name": last,
                "email": email,
                "company_name": "X",
            }
            for rid, _, first, last, email in people
        ]
        + [
            {
                "record_id": "erp:9",
                "source": "erp",
                "party_type": "company",
                "company_name": "X",
                "contact_person": "Herr Dr. Hans Schmidt",
            }
        ]
    )
    gids = pd.Series([g for _, g, *_ in people] + ["G1"], dtype="string")
    with Store(tmp_path / "state.sqlite") as store:
        first = build_contacts(records, contact_mask(records), gids, store=store)
        again = build_contacts(records, contact_mask(records), gids, store=store)
    table = first.contacts
    assert len(table) == 4  # Anna (3 records) at G1, Anna at G2, Peter at G1, Hans at G1
    anna = table[table["record_ids"].str.contains("crm:1")].iloc[0]
    assert set(anna["record_ids"].split(";")) == {"crm:1", "crm:2", "crm:3"}
    assert anna["golden_id"] == "G1" and anna["email"] == "anna.meier@mb.de"
    hans = table[table["record_ids"] == "erp:9"].iloc[0]
    assert (hans["salutation"], hans["title"], hans["first_name"], hans["last_name"]) == (
        "Herr",
        "Dr.",
        "Hans",
        "Schmidt",
    )
    assert first.contact_ids.iloc[:5].notna().all() and pd.isna(first.contact_ids.iloc[5])
    assert first.contact_ids.iloc[0] == first.contact_ids.iloc[1] == first.contact_ids.iloc[2]
    assert table["contact_id"].str.match(r"^C[0-9A-F]{12}$").all()
    assert again.contacts["contact_id"].tolist() == table["contact_id"].tolist()  # stable


def test_build_contacts_without_candidates() -> None:
    records = _records([{"record_id": "a:1", "source": "a", "party_type": "company"}])
    result = build_contacts(records, np.zeros(1, dtype=bool), pd.Series(["G1"], dtype="string"))
    assert len(result.contacts) == 0 and result.contact_ids.isna().all()


ACCOUNTS = """Id,Name,BillingStreet,BillingPostalCode,BillingCity,Phone,Website
001A,Müller Bau GmbH,Hauptstraße 1,50667,Köln,0221 123456,www.mueller-bau.de
001B,Schulz Logistik AG,Hafenweg 7,20457,Hamburg,040 987654,schulz-logistik.de
001C,Weber Elektro e.K.,Marktplatz 3,01067,Dresden,0351 445566,weber-elektro.de
"""
CONTACTS = """Id,AccountId,Account Name,FirstName,LastName,Title,Email,Phone
003A,001A,Müller Bau GmbH,Anna,Meier,Einkauf,anna.meier@mueller-bau.de,0221 123456-12
003B,001A,Müller Bau GmbH,Anna,Meier,Einkauf,a.meier@mueller-bau.de,
003C,001B,Schulz Logistik AG,Peter,Brandt,Geschäftsführer,p.brandt@schulz-logistik.de,
003D,,Privatkunden,Maria,Fischer,,maria.fischer@web.de,0170 5556667
"""
PROFILE = """description: test contacts export with account IDs
reader: delimited
party_type: person
key: [Id]
fields:
  company_ref: {column: AccountId, optional: true}
  company_name: {column: Account Name, optional: true}
  first_name: {column: FirstName, optional: true}
  last_name: {column: LastName}
  position: {column: Title, optional: true}
  email: {column: Email, optional: true}
  phone: {column: Phone, optional: true}
"""
ACCOUNT_PROFILE = """description: test accounts export
reader: delimited
party_type: company
key: [Id]
fields:
  company_name: {column: Name}
  street: {column: BillingStreet, optional: true}
  postcode: {column: BillingPostalCode, optional: true}
  city: {column: BillingCity, optional: true}
  phone: {column: Phone, optional: true}
  website: {column: Website, optional: true}
"""


@pytest.fixture
def crm_workspace(tmp_path: Path) -> Path:
    (tmp_path / "connectors").mkdir()
    (tmp_path / "connectors" / "test-contacts.yaml").write_text(PROFILE, encoding="utf-8")
    (tmp_path / "connectors" / "test-accounts.yaml").write_text(ACCOUNT_PROFILE, encoding="utf-8")
    (tmp_path / "accounts.csv").write_text(ACCOUNTS, encoding="utf-8")
    (tmp_path / "contacts.csv").write_text(CONTACTS, encoding="utf-8")
    (tmp_path / "dq.yaml").write_text(
        "sources:\n"
        "  - {name: acc, connector: test-accounts, path: accounts.csv, priority: 10}\n"
        "  - {name: con, connector: test-contacts, path: contacts.csv, companies_of: acc}\n",
        encoding="utf-8",
    )
    return tmp_path


def test_contacts_attach_to_their_company_in_a_run(crm_workspace: Path, tmp_path: Path) -> None:
    workspace = load_workspace(crm_workspace)
    with Store(tmp_path / "state.sqlite") as store:
        result = execute(workspace, as_of="2026-06-30", store=store)
        again = execute(workspace, as_of="2026-06-30", store=store)
    golden, contacts, crosswalk = (result.tables[n] for n in ("golden", "contacts", "crosswalk"))
    assert len(crosswalk) == 7 and crosswalk["record_id"].is_unique  # every record, once
    company_of = crosswalk.set_index("record_id")["golden_id"]
    roles = crosswalk.set_index("record_id")["role"]
    assert roles[["con:003A", "con:003B", "con:003C"]].eq("contact").all()
    assert roles["con:003D"] == "customer"  # "Privatkunden" is no company
    assert company_of["con:003A"] == company_of["con:003B"] == company_of["acc:001A"]
    assert company_of["con:003C"] == company_of["acc:001B"]
    # customers: three companies and one private person; no person became a "customer company"
    assert len(golden) == 4
    assert sorted(golden["party_type"]) == ["company", "company", "company", "person"]
    by_company = golden.set_index("golden_id")
    assert by_company.loc[company_of["acc:001A"], "company_name"] == "Müller Bau GmbH"
    assert by_company.loc[company_of["acc:001A"], "phone"] == "+49221123456"  # not a direct dial
    assert len(contacts) == 2  # Anna Meier (two records) and Peter Brandt
    anna = contacts[contacts["last_name"] == "Meier"].iloc[0]
    assert anna["golden_id"] == company_of["acc:001A"] and anna["position"] == "Einkauf"
    assert set(anna["record_ids"].split(";")) == {"con:003A", "con:003B"}
    assert crosswalk.set_index("record_id").loc["con:003A", "contact_id"] == anna["contact_id"]
    assert again.tables["contacts"]["contact_id"].tolist() == contacts["contact_id"].tolist()
    assert again.tables["golden"]["golden_id"].tolist() == golden["golden_id"].tolist()
