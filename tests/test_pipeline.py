"""`dq run`: stages in order on a workspace, every output written, gates decide the exit code."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

import dq.cli.app  # noqa: F401  (registers the commands)
from dq.cli._typer import app
from dq.config import load_workspace
from dq.pipeline import run

DATA = Path(__file__).parent / "data"
runner = CliRunner()


def _workspace(tmp_path: Path, validate: str = "") -> Path:
    shutil.copy(DATA / "datev" / "EXTF_Debitoren_v5_cp1252.csv", tmp_path / "debitoren.csv")
    shutil.copy(DATA / "datev" / "EXTF_Buchungsstapel_2023_24.csv", tmp_path / "buchungen.csv")
    (tmp_path / "dq.yaml").write_text(
        "project: {country: DE}\n"
        "sources:\n"
        "  - {name: datev, connector: datev-debitoren, path: debitoren.csv}\n"
        "  - {name: fibu, connector: datev-buchungsstapel, path: buchungen.csv, records_of: datev}\n"
        + validate,
        encoding="utf-8",
    )
    return tmp_path


def test_run_standardises_and_validates(tmp_path: Path) -> None:
    ws = _workspace(tmp_path)
    result = run(load_workspace(ws), tmp_path / "out", as_of="2024-06-30")
    records = result.tables["records"].set_index("record_id")
    assert records.loc["datev:10002", "phone"] == "+49351123456"  # standardised to E.164
    assert records.loc["datev:10002", "phone_raw"] == "+49 (0)351 123456"  # raw kept
    assert records.loc["datev:10001", "name_core"]
    assert records["quality_score"].between(0, 100).all()
    assert {"ingest", "standardize", "validate", "match", "write"} <= set(result.timings)
    for name in (
        "records",
        "transactions",
        "interactions",
        "rejects",
        "issues",
        "quality_summary",
        "gates",
    ):
        assert (tmp_path / "out" / f"{name}.parquet").is_file(), name
    assert set(result.timings) >= {"match"}
    golden = pd.read_parquet(tmp_path / "out" / "golden.parquet")
    crosswalk = pd.read_parquet(tmp_path / "out" / "crosswalk.parquet")
    assert set(crosswalk["record_id"]) == set(records.index)  # every record has a golden record
    assert set(crosswalk["golden_id"]) == set(golden["golden_id"])
    tx = pd.read_parquet(tmp_path / "out" / "transactions.parquet")
    assert tx["golden_id"].notna().all()  # transactions follow their records
    assert (tmp_path / "out" / "model.json").is_file()
    issues = pd.read_parquet(tmp_path / "out" / "issues.parquet")
    assert set(issues.columns) >= {"record_id", "column", "check", "dimension", "severity", "value"}


def test_failed_gate_exits_1_after_writing(tmp_path: Path) -> None:
    ws = _workspace(tmp_path)
    (ws / "crm.csv").write_text(
        "Kundennummer;Firma;E-Mail\n1;Alpha GmbH;kein-at-zeichen.de\n", encoding="utf-8"
    )
    with (ws / "dq.yaml").open("a", encoding="utf-8") as fh:
        fh.write("  - {name: crm, connector: generic-csv, path: crm.csv}\n")
    result = runner.invoke(
        app, ["run", str(ws), "-o", str(tmp_path / "out"), "--as-of", "2024-06-30"]
    )
    assert result.exit_code == 1, result.output
    assert "quality gate failed: records:email.email_valid: 1 failed" in result.output
    assert (tmp_path / "out" / "gates.parquet").is_file()


def test_passing_gates_exit_0(tmp_path: Path) -> None:
    ws = _workspace(tmp_path, "validate: {fail_on: never}\n")
    result = runner.invoke(app, ["run", str(ws), "-o", str(tmp_path / "out"), "-q"])
    assert result.exit_code == 0, result.output
    assert result.output == ""


def test_unknown_validate_key_is_a_config_error(tmp_path: Path) -> None:
    ws = _workspace(tmp_path, "validate: {fail_on: never, treshold: 3}\n")
    result = runner.invoke(app, ["run", str(ws), "-o", str(tmp_path / "out")])
    assert result.exit_code == 3
    assert "validate.treshold: unknown key" in result.output


def test_an_empty_source_does_not_abort_the_run(tmp_path: Path) -> None:
    ws = _workspace(tmp_path, "validate: {fail_on: never}\n")
    (ws / "crm.csv").write_bytes(b"")
    text = (
        (ws / "dq.yaml")
        .read_text(encoding="utf-8")
        .replace("validate:", "  - {name: crm, connector: generic-csv, path: crm.csv}\nvalidate:")
    )
    (ws / "dq.yaml").write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["run", str(ws), "-o", str(tmp_path / "out"), "-q"])
    assert result.exit_code == 0, result.output
    records = pd.read_parquet(tmp_path / "out" / "records.parquet")
    assert set(records["source"]) == {"datev"}


def test_unparseable_values_reach_the_issues_and_summary(tmp_path: Path) -> None:
    ws = _workspace(tmp_path, "validate: {fail_on: never}\n")
    (ws / "crm.csv").write_text(
        "Kundennummer;Firma;Angelegt am\n1;Alpha GmbH;gestern\n2;Beta GmbH;01.02.2024\n",
        encoding="utf-8",
    )
    text = (
        (ws / "dq.yaml")
        .read_text(encoding="utf-8")
        .replace("validate:", "  - {name: crm, connector: generic-csv, path: crm.csv}\nvalidate:")
    )
    (ws / "dq.yaml").write_text(text, encoding="utf-8")
    result = run(load_workspace(ws), tmp_path / "out", as_of="2024-06-30")
    issues = result.tables["issues"]
    parse = issues[issues["dimension"] == "parse"]
    assert parse[["record_id", "column", "value"]].values.tolist() == [
        ["crm:1", "created_at", "g*****n"]
    ]
    summary = result.tables["quality_summary"]
    [score] = summary.loc[
        (summary["column"] == "created_at") & (summary["dimension"] == "parse"), "score"
    ]
    assert score < 100
