"""Parse issues from ingest become issue rows (dimension parse, masked) and summary rows, so a
column whose values did not parse is no longer reported as 100 % valid."""

from __future__ import annotations

from pathlib import Path

from dq.ingest import ingest_file
from dq.validate import validate, with_parse_issues
from dq.validate.parse_issues import parse_issue_rows


def _ingested(tmp_path: Path):  # type: ignore[no-untyped-def]
    path = tmp_path / "kunden.csv"
    path.write_text(
        "Kundennummer;Firma;Angelegt am;Newsletter\n"
        "1;Alpha GmbH;01.02.2024;maier@example.org\n"
        "2;Beta GmbH;irgendwann;ja\n"
        "3;Gamma GmbH;03.04.2024;nein\n",
        encoding="utf-8",
    )
    return ingest_file(path, "generic-csv", source="crm")


def test_rows_are_masked_by_default(tmp_path: Path) -> None:
    ingested = _ingested(tmp_path)
    rows = parse_issue_rows(ingested.parse_issues).set_index("column")
    assert rows.loc["marketing_consent", "value"] == "m***************g"
    assert rows.loc["marketing_consent", "record_id"] == "crm:1"
    assert rows.loc["created_at", "source_row"] == 3
    assert set(rows["dimension"]) == {"parse"}
    assert set(rows["severity"]) == {"error"}
    shown = parse_issue_rows(ingested.parse_issues, show_values=True).set_index("column")
    assert shown.loc["created_at", "value"] == "irgendwann"


def test_summary_no_longer_calls_the_column_fully_valid(tmp_path: Path) -> None:
    ingested = _ingested(tmp_path)
    result = with_parse_issues(validate(ingested.records), ingested.parse_issues)
    summary = result.summary[result.summary["dimension"] == "parse"].set_index("column")
    assert summary.loc["created_at", "checked"] == 3
    assert summary.loc["created_at", "failed"] == 1
    assert summary.loc["created_at", "score"] < 100
    assert summary.loc["marketing_consent", "failed"] == 1
    parse = result.issues[result.issues["dimension"] == "parse"]
    assert len(parse) == 2


def test_other_tables_are_left_alone(tmp_path: Path) -> None:
    ingested = _ingested(tmp_path)
    assert parse_issue_rows(ingested.parse_issues, table="transactions").empty
    plain = validate(ingested.records)
    assert with_parse_issues(plain, ingested.parse_issues.iloc[0:0]) is plain
