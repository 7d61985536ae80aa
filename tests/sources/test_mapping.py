"""Mapping: unparseable values are kept visible (parse issues), party types are never silently
wrong, Excel-damaged keys are detected, and extra columns pass through."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from dq.ingest import ingest_file
from dq.sources.mapping import excel_damaged


def _write(tmp_path: Path, text: str, name: str = "export.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_unparseable_values_become_parse_issues(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "Kundennummer;Firma;Nachname;Angelegt am;Newsletter\n"
        "1;Alpha GmbH;;seit Jahren;ja\n"
        "2;;Maier;01.02.2024;maier@example.org\n",
    )
    result = ingest_file(path, "generic-csv")
    records = result.records.set_index("customer_number")
    assert pd.isna(records.loc["1", "created_at"])  # null, but not silently:
    issues = result.parse_issues.set_index("column")
    assert issues.loc["created_at", "value"] == "seit Jahren"
    assert issues.loc["created_at", "line"] == 2
    assert issues.loc["created_at", "source_column"] == "Angelegt am"
    assert issues.loc["created_at", "reason"] == "not a date"
    assert issues.loc["created_at", "record_id"] == "generic-csv:1"
    assert issues.loc["marketing_consent", "value"] == "maier@example.org"
    assert issues.loc["marketing_consent", "line"] == 3
    assert set(result.parse_issues["file"]) == {str(path)}
    assert records.loc["1", "created_at_raw"] == "seit Jahren"  # the raw text stays on the row


@pytest.mark.parametrize(
    ("typ", "company", "last_name", "expected", "issue"),
    [
        ("Verein", "TSV Alpha e.V.", "", "company", "not a party type"),
        ("Verein", "", "Maier", "person", "not a party type"),
        ("Person", "Beta GmbH", "", "company", "names only a company"),
        ("Person", "Beta GmbH", "Maier", "person", None),  # a person at a company
        ("Firma", "Gamma AG", "", "company", None),
    ],
)
def test_party_type_is_never_silently_wrong(
    tmp_path: Path, typ: str, company: str, last_name: str, expected: str, issue: str | None
) -> None:
    path = _write(tmp_path, f"Kundennummer;Typ;Firma;Nachname\n1;{typ};{company};{last_name}\n")
    result = ingest_file(path, "generic-csv")
    assert result.records.loc[0, "party_type"] == expected
    reasons = result.parse_issues["reason"].tolist()
    if issue is None:
        assert reasons == []
    else:
        [reason] = reasons
        assert issue in reason
        assert result.parse_issues.loc[0, "check"] == "party_type"


def test_excel_damaged_keys_get_hash_keys_and_a_warning(tmp_path: Path) -> None:
    rows = "".join(f"1.52533E+11,Firma {i} GmbH,5066{i},Köln\n" for i in range(4))
    path = _write(tmp_path, "Id,Name,BillingPostalCode,BillingCity\n" + rows + "001X,Echt,1,Ulm\n")
    result = ingest_file(path, "salesforce-accounts", source="sf")
    keys = result.records["source_key"].tolist()
    assert keys[-1] == "001X"
    assert all(k.startswith("h") and "~" not in k for k in keys[:4])  # no ~hash collisions
    assert result.records["record_id"].is_unique
    [warning] = result.warnings
    assert "4 record keys" in warning and "lines 2, 3, 4, 5" in warning
    assert result.parse_issues["check"].eq("excel_identifier").sum() == 4
    assert set(result.parse_issues["value"]) == {"1.52533E+11"}


@pytest.mark.parametrize(
    ("value", "damaged"),
    [("1.52533E+11", True), ("4,71E+12", True), ("2E+05", True), ("001A000001", False),
     ("E+11", False), ("12345", False), ("1.5e3x", False)],
)  # fmt: skip
def test_excel_damaged(value: str, damaged: bool) -> None:
    assert excel_damaged(pd.Series([value], dtype="string")).tolist() == [damaged]


def test_us_short_dates_from_hubspot_parse(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "Record ID,Company name,Create Date,Last Activity Date,City,Country/Region\n"
        "101,Alpha Inc,2/23/26,2/23/26 14:05,Boston,United States\n",
    )
    result = ingest_file(path, "hubspot-companies")
    record = result.records.iloc[0]
    assert record["created_at"] == pd.Timestamp("2026-02-23")
    assert record["last_activity_at"] == pd.Timestamp("2026-02-23 14:05")
    assert result.parse_issues.empty


def test_extra_columns_pass_through(tmp_path: Path) -> None:
    connectors = tmp_path / "connectors"
    connectors.mkdir()
    (connectors / "erp.yaml").write_text(
        "description: ERP\nreader: delimited\nkey: [Nr]\n"
        "fields: {company_name: {column: Firma}}\n"
        "extra: {bank_name: [Bankname, Bank], billing_city: Rechnungsort}\n",
        encoding="utf-8",
    )
    path = _write(tmp_path, "Nr;Firma;Bank;Rechnungsort\n1;Alpha; Sparkasse ;\n")
    result = ingest_file(path, "erp", workspace_dir=tmp_path)
    record = result.records.iloc[0]
    assert record["bank_name"] == "Sparkasse"
    assert pd.isna(record["billing_city"])  # empty cells are null, as in canonical columns
