"""Header check and connector detection: a wrong connector is refused with what it expected, what
the file has and the closest connector; `dq connectors --detect` suggests one."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

import dq.cli.app  # noqa: F401  (registers the commands)
from dq.cli._typer import app
from dq.errors import InputError
from dq.ingest import ingest_file
from dq.sources.headers import detect_connectors, header_fit
from dq.sources.profiles import load_connector

DATA = Path(__file__).parent.parent / "data"
UPPER = "NAME,BILLINGCITY,PHONE\nAlpha GmbH,Köln,0221 1\nBeta AG,Bonn,0228 2\n"


def test_header_fit_counts_columns_not_alternatives() -> None:
    fit = header_fit(load_connector("salesforce-accounts"), ["NAME", "Name", "BILLINGCITY", "x"])
    assert fit.found == ("NAME", "BILLINGCITY")  # NAME and Name are one column
    assert fit.matched == 3
    assert 0 < fit.share < 0.2


def test_generic_csv_without_a_known_header_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "accounts.csv"
    path.write_text(UPPER, encoding="utf-8")
    with pytest.raises(InputError) as info:
        ingest_file(path, "generic-csv")
    message = str(info.value)
    assert "accounts.csv, line 1" in message
    assert "finds 0 of its" in message
    assert "found 'NAME', 'BILLINGCITY', 'PHONE'" in message
    assert "closest connector: salesforce-accounts" in message


def test_generic_csv_takes_a_file_with_one_known_column(tmp_path: Path) -> None:
    path = tmp_path / "firmen.csv"
    path.write_text("Firma;Sonstwas\nAlpha GmbH;x\n", encoding="utf-8")
    assert ingest_file(path, "generic-csv").records["company_name"].tolist() == ["Alpha GmbH"]


def test_share_is_configurable(tmp_path: Path) -> None:
    (tmp_path / "connectors").mkdir()
    (tmp_path / "connectors" / "strict-erp.yaml").write_text(
        "description: x\nreader: delimited\nmin_header_share: 1\nkey: [Nr]\n"
        "fields: {company_name: {column: Firma}, city: {column: Ort, optional: true}}\n",
        encoding="utf-8",
    )
    path = tmp_path / "erp.csv"
    path.write_text("Nr;Firma\n1;Alpha\n", encoding="utf-8")
    with pytest.raises(InputError, match="finds 2 of its 3 columns in the header \\(needs 3\\)"):
        ingest_file(path, "strict-erp", workspace_dir=tmp_path)


@pytest.mark.parametrize(
    ("text", "best"),
    [
        (UPPER, "salesforce-accounts"),
        ("Record ID,Company name,Company Domain Name,City\n1,A,a.example,Köln\n", "hubspot-companies"),
        ("Record ID - Contact,First Name,Last Name,Email\n1,A,B,c@d.example\n", "hubspot-contacts"),
        ("Kundennummer;Datum;Kanal;Notiz\n1;01.02.2024;Anruf;x\n", "sales-notes"),
    ],
)  # fmt: skip
def test_detect_connectors(tmp_path: Path, text: str, best: str) -> None:
    path = tmp_path / "export.csv"
    path.write_text(text, encoding="utf-8")
    assert detect_connectors(path)[0].profile == best


def test_detect_datev_by_category() -> None:
    [fit] = detect_connectors(DATA / "datev" / "EXTF_Debitoren_v5_cp1252.csv")
    assert fit.profile == "datev-debitoren"


def test_detect_cli(tmp_path: Path) -> None:
    path = tmp_path / "accounts[1].csv"
    path.write_text(UPPER, encoding="utf-8")
    result = runner_invoke(["connectors", "--detect", str(path)])
    assert result.exit_code == 0, result.output
    assert "salesforce-accounts" in result.output
    assert "accounts[1].csv" in result.output  # plain text, brackets kept
    nothing = tmp_path / "nothing.csv"
    nothing.write_text("foo,bar\n1,2\n", encoding="utf-8")
    assert runner_invoke(["connectors", "--detect", str(nothing)]).exit_code == 1


def runner_invoke(args: list[str]):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, args)
