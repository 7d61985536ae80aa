"""Ingest: every data row of every file ends in exactly one output, broken files included."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dq.config import load_workspace
from dq.errors import DQError, EncodingError, InputError
from dq.ingest import ingest, ingest_file

DATA = Path(__file__).parent / "data"


def _workspace(tmp_path: Path) -> Path:
    (tmp_path / "data").mkdir()
    shutil.copy(
        DATA / "datev" / "EXTF_Debitoren_v5_cp1252.csv", tmp_path / "data" / "debitoren.csv"
    )
    shutil.copy(
        DATA / "datev" / "EXTF_Buchungsstapel_2023_24.csv",
        tmp_path / "data" / "EXTF_Buchungen_1.csv",
    )
    shutil.copy(DATA / "connectors" / "hubspot-companies.csv", tmp_path / "data" / "hubspot.csv")
    shutil.copy(DATA / "connectors" / "sales-notes.csv", tmp_path / "data" / "notes.csv")
    (tmp_path / "dq.yaml").write_text(
        "project: {name: Test, country: DE}\n"
        "sources:\n"
        "  - {name: datev, connector: datev-debitoren, path: data/debitoren.csv, priority: 10}\n"
        "  - {name: fibu, connector: datev-buchungsstapel, path: 'data/EXTF_Buchungen_*.csv', records_of: datev}\n"
        "  - {name: hubspot, connector: hubspot-companies, path: data/hubspot.csv, priority: 30}\n"
        "  - {name: notes, connector: sales-notes, path: data/notes.csv, records_of: datev}\n",
        encoding="utf-8",
    )
    return tmp_path


def test_workspace_ingest_accounts_for_every_row(tmp_path: Path) -> None:
    result = ingest(load_workspace(_workspace(tmp_path)))
    assert [s.source for s in result.stats] == ["datev", "fibu", "hubspot", "notes"]
    assert all(s.balanced for s in result.stats)
    total_in = sum(s.rows_read for s in result.stats)
    total_out = (
        len(result.records)
        + len(result.transactions)
        + len(result.interactions)
        + len(result.rejects)
    )
    assert total_in == total_out == 6 + 6 + 2 + 4
    assert set(result.records["source"]) == {"datev", "hubspot"}
    assert result.records["record_id"].is_unique
    assert set(result.transactions["record_id"]) <= set(result.records["record_id"])
    assert set(result.interactions["record_id"]) <= set(result.records["record_id"])
    assert set(result.rejects.columns) >= {"source", "file", "line", "reason", "raw"}


@pytest.mark.parametrize(
    ("content", "rows_read", "records", "rejects"),
    [
        (b"Kundennummer;Firma\r\n", 0, 0, 0),  # header only
        (b"Kundennummer;Firma\r\n1;Alpha GmbH\r\n2;Beta", 2, 2, 0),  # no final newline
        (b'Kundennummer;Firma\r\n1;Alpha GmbH\r\n2;"Beta GmbH', 2, 1, 1),  # truncated inside quotes
        (b"Kundennummer;Firma;PLZ\r\n1;A;01067\r\n2;B\r\n3;C;04109;x\r\n", 3, 1, 2),  # ragged
        (b"Kundennummer;Firma\n;\n1;A\n", 2, 1, 1),  # an empty row
    ],
)
def test_broken_files_keep_accounting(
    tmp_path: Path, content: bytes, rows_read: int, records: int, rejects: int
) -> None:
    path = tmp_path / "kunden.csv"
    path.write_bytes(content)
    result = ingest_file(path, "generic-csv")
    stats = result.stats[0]
    assert (stats.rows_read, stats.records, stats.rejects) == (rows_read, records, rejects)
    assert stats.balanced
    assert result.rejects["file"].eq(str(path)).all()


@pytest.mark.parametrize("content", [b"", b"\r\n\r\n"])
def test_empty_file_is_an_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "leer.csv"
    path.write_bytes(content)
    with pytest.raises(InputError, match=r"leer\.csv: the file is empty"):
        ingest_file(path, "generic-csv")


def test_one_undecodable_row_is_rejected_the_rest_read(tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    path.write_bytes(
        "Kundennummer;Firma\n1;Müller\n".encode()
        + "2;Bäcker\n".encode("cp1252")
        + "3;Köhler\n".encode()
    )
    result = ingest_file(path, "generic-csv")
    assert result.records["company_name"].tolist() == ["Müller", "Köhler"]
    [reject] = result.rejects.to_dict("records")
    assert reject["line"] == 3
    assert "0xE4" in reject["reason"]
    assert reject["raw"] == "2;B\\xe4cker"
    assert result.stats[0].balanced


def test_strict_refuses_the_file_naming_the_line(tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    path.write_bytes("Kundennummer;Firma\n1;Müller\n".encode() + "2;Bäcker\n".encode("cp1252"))
    with pytest.raises(EncodingError) as info:
        ingest_file(path, "generic-csv", strict=True)
    assert "mixed.csv, line 3" in str(info.value)


def test_missing_mapped_column_names_file_column_and_header_line(tmp_path: Path) -> None:
    path = tmp_path / "hubspot.csv"
    path.write_text(
        "\nRecord ID,Name of company,City,Phone Number,Country/Region\n1,A,B,C,D\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as info:
        ingest_file(path, "hubspot-companies")
    message = str(info.value)
    assert "hubspot.csv, line 2" in message
    assert "'Company name' or 'Name'" in message
    assert "Name of company" in message  # what the file has instead


def test_glob_without_matches(tmp_path: Path) -> None:
    (tmp_path / "dq.yaml").write_text(
        "sources:\n  - {name: a, connector: generic-csv, path: 'nothing/*.csv'}\n", encoding="utf-8"
    )
    with pytest.raises(InputError, match="no file matches"):
        ingest(load_workspace(tmp_path))


def test_an_empty_source_is_a_warning_not_an_abort(tmp_path: Path) -> None:
    (tmp_path / "kunden.csv").write_text("Kundennummer;Firma\n1;Alpha GmbH\n", encoding="utf-8")
    (tmp_path / "leer.csv").write_bytes(b"")
    (tmp_path / "dq.yaml").write_text(
        "sources:\n"
        "  - {name: crm, connector: generic-csv, path: kunden.csv}\n"
        "  - {name: alt, connector: generic-csv, path: leer.csv}\n"
        "  - {name: neu, connector: generic-csv, path: 'neu/*.csv'}\n",
        encoding="utf-8",
    )
    result = ingest(load_workspace(tmp_path))
    assert result.records["record_id"].tolist() == ["crm:1"]
    assert [(s.source, s.rows_read) for s in result.stats] == [("crm", 1), ("alt", 0)]
    assert any("'alt'" in w and "leer.csv" in w and "empty" in w for w in result.warnings)
    assert any("'neu'" in w and "no file matches" in w for w in result.warnings)


def test_only_empty_sources_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "leer.csv").write_text("\n\n", encoding="utf-8")
    (tmp_path / "dq.yaml").write_text(
        "sources:\n  - {name: alt, connector: generic-csv, path: leer.csv}\n", encoding="utf-8"
    )
    with pytest.raises(InputError, match="no source could be read"):
        ingest(load_workspace(tmp_path))


def test_strict_per_source_in_dq_yaml(tmp_path: Path) -> None:
    (tmp_path / "mixed.csv").write_bytes(
        "Kundennummer;Firma\n1;Müller\n".encode() + "2;Bäcker\n".encode("cp1252")
    )
    (tmp_path / "dq.yaml").write_text(
        "sources:\n  - {name: crm, connector: generic-csv, path: mixed.csv, strict: true}\n",
        encoding="utf-8",
    )
    with pytest.raises(EncodingError, match="line 3"):
        ingest(load_workspace(tmp_path))


def test_field_longer_than_the_csv_module_limit(tmp_path: Path) -> None:
    path = tmp_path / "notes.csv"
    note = "Lieferung " * 30_000  # 300,000 characters in one cell
    path.write_text(f"Kundennummer;Firma\n1;{note}\n2;Beta\n", encoding="utf-8")
    result = ingest_file(path, "generic-csv")
    assert result.records["company_name"].str.len().tolist() == [len(note.strip()), 4]


def test_parse_issues_are_an_output_table(tmp_path: Path) -> None:
    path = tmp_path / "kunden.csv"
    path.write_text("Kundennummer;Firma;Angelegt am\n1;Alpha;morgen\n", encoding="utf-8")
    result = ingest_file(path, "generic-csv")
    assert list(result.tables()) == [
        "records", "transactions", "interactions", "rejects", "parse_issues",
    ]  # fmt: skip
    assert result.tables()["parse_issues"]["value"].tolist() == ["morgen"]


cell = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n\x00"),
    max_size=6,
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(st.lists(cell, min_size=1, max_size=4), min_size=1, max_size=10),
    damage=st.lists(st.tuples(st.integers(0, 9), st.sampled_from([b"\x00", b"\x81", b"\xe4"]))),
    delimiter=st.sampled_from([";", ",", "\t"]),
)
def test_any_damaged_export_is_read_or_refused_clearly(
    tmp_path: Path, rows: list[list[str]], damage: list[tuple[int, bytes]], delimiter: str
) -> None:
    """Rows (ragged, quoted, any characters) with bytes damaged in some of them: ingest either
    refuses with a DQError or accounts for every data row."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
    writer.writerow(["Kundennummer", "Firma", "Ort"])
    writer.writerows(rows)
    lines = buf.getvalue().encode("utf-8").split(b"\n")
    for index, byte in damage:
        if index + 1 < len(lines) - 1:
            lines[index + 1] += byte
    path = tmp_path / "export.csv"
    path.write_bytes(b"\n".join(lines))
    try:
        result = ingest_file(path, "generic-csv", delimiter=delimiter)
    except DQError:
        return
    stats = result.stats[0]
    assert stats.balanced
    assert stats.rows_read == len(rows)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.binary(max_size=300))
def test_random_bytes_never_crash(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "random.csv"
    path.write_bytes(data)
    try:
        result = ingest_file(path, "generic-csv")
    except DQError:
        return
    assert result.stats[0].balanced
