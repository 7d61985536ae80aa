"""The privacy-requests connectors: a DPO's request log (CSV or Excel) read as `requests`."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from dq.ingest import ingest_file

LOG = (
    "Vorgang;Anfrageart;Eingangsdatum;E-Mail;Vorname;Nachname;PLZ;Kundennr.;Bemerkung\n"
    "2025-017;Löschung;20.11.2025;anna@example.org;Anna;Schmidt;20095;;per Brief\n"
    "2025-018;Auskunft;01.12.2025;;;;;10003;\n"
    "2025-019;Widerruf Einwilligung;3.12.25;j.weber@muster.de;;;;;Newsletter\n"
    "2025-020;Rechtsstreit;05.12.2025;;;;;10004;Mahnverfahren\n"
    "2025-021;Hold aufgehoben;06.12.2025;;;;;10004;\n"
    "2025-022;Kündigung;06.12.2025;;;;;10005;kein Datenschutzanliegen\n"
    ";Widerspruch;07.12.2025;werbung@example.org;;;;;ohne Vorgangsnummer\n"
)


def test_csv_log_becomes_requests(tmp_path: Path) -> None:
    path = tmp_path / "anfragen.csv"
    path.write_text(LOG, encoding="utf-8")
    result = ingest_file(path, "privacy-requests", source="dsr")
    (stats,) = result.stats
    assert stats.rows_read == 7 and stats.requests == 7 and stats.balanced
    assert len(result.records) == 0 and len(result.rejects) == 0
    requests = result.requests
    assert requests["type"].tolist() == [
        "erasure", "access", "consent_withdrawn", "hold", "hold_released", "Kündigung", "objection",
    ]  # fmt: skip
    assert requests["received_at"].dt.strftime("%Y-%m-%d").tolist() == [
        "2025-11-20", "2025-12-01", "2025-12-03", "2025-12-05", "2025-12-06", "2025-12-06",
        "2025-12-07",
    ]  # fmt: skip
    assert requests["request_id"].iloc[0] == "2025-017"
    assert str(requests["request_id"].iloc[6]).startswith("h")  # no ID: a content hash
    assert requests["source_row"].tolist() == [2, 3, 4, 5, 6, 7, 8]
    assert requests.loc[0, ["first_name", "last_name", "postcode"]].tolist() == [
        "Anna", "Schmidt", "20095",
    ]  # fmt: skip
    assert "requests" in result.tables()


def test_excel_log(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["request_id", "type", "received_at", "email", "name"])
    sheet.append(["R1", "erasure", "2025-11-20", "anna@example.org", "Anna Schmidt"])
    sheet.append(["R2", "objection", "2025-11-21", None, "Jörg Weber"])
    path = tmp_path / "requests.xlsx"
    book.save(path)
    result = ingest_file(path, "privacy-requests-excel", source="dsr")
    assert result.requests["type"].tolist() == ["erasure", "objection"]
    assert result.requests["name"].tolist() == ["Anna Schmidt", "Jörg Weber"]
    assert pd.Timestamp("2025-11-21") == result.requests["received_at"].iloc[1]


def test_a_log_without_a_type_column_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "anfragen.csv"
    path.write_text("Vorgang;Eingang\n1;20.11.2025\n", encoding="utf-8")
    from dq.errors import InputError

    with pytest.raises(InputError, match=r"privacy-requests.*expected .type."):
        ingest_file(path, "privacy-requests", source="dsr")
