"""The bundled demo workspace (examples/demo) runs end to end and every row is accounted for."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import dq.cli.app  # noqa: F401  (registers the commands on the Typer app)
from dq.cli._typer import app
from dq.cli.run import demo_workspace
from dq.config import load_workspace
from dq.pipeline import RunResult, run

TABLES = ("records", "transactions", "interactions", "rejects")


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> RunResult:
    """One library run of the demo, shared by the checks on its content."""
    out = tmp_path_factory.mktemp("demo")
    return run(load_workspace(demo_workspace()), out, state=out / "state.sqlite")


def test_dq_demo_command_writes_all_tables(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["demo", "-o", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    for name in TABLES:
        assert (out / f"{name}.parquet").is_file()
    assert len(pd.read_parquet(out / "records.parquet")) > 0


def test_every_file_balances(demo_run: RunResult) -> None:
    stats = demo_run.stages["ingest"].stats
    assert {s.source for s in stats} == {"datev", "bookings", "salesforce", "hubspot", "notes"}
    assert sum(s.source == "bookings" for s in stats) == 3  # one Buchungsstapel per year
    for s in stats:
        assert s.rows_read > 0, s
        assert s.rows_read == s.records + s.transactions + s.interactions + s.rejects, s


def test_only_the_planted_rows_are_rejected(demo_run: RunResult) -> None:
    by_source = demo_run.tables["rejects"].groupby("source").size().to_dict()
    assert by_source == {"datev": 3, "bookings": 12, "notes": 2}
    reasons = set(demo_run.tables["rejects"]["reason"])
    assert any("creditor" in r for r in reasons)
    assert any("general-ledger" in r for r in reasons)
    assert any("no customer reference" in r for r in reasons)


def test_values_survive_reading(demo_run: RunResult) -> None:
    records = demo_run.tables["records"]
    datev = records[records["source"] == "datev"]
    assert datev["postcode"].str.fullmatch(r"\d{5}").all()  # leading zeros kept
    assert datev["postcode"].str.startswith("0").any()
    assert datev["last_name"].str.contains("[äöüß]", na=False).any()  # Windows-1252 decoded
    assert set(datev["party_type"]) == {"company", "person"}
    assert datev["vat_id"].dropna().str.fullmatch(r"DE\d{9}").all()

    bookings = demo_run.tables["transactions"]
    years = bookings["doc_date"].dt.year
    assert set(years) == {2023, 2024, 2025}
    assert (years.astype(str) == bookings["source_file"].str.extract(r"_(\d{4})\.csv$")[0]).all()
    signs = bookings.groupby("doc_type")["amount"].agg(["min", "max"])
    assert signs.loc["invoice", "min"] > 0
    assert signs.loc["payment", "max"] < 0
    assert signs.loc["credit_note", "max"] < 0

    notes = demo_run.tables["interactions"]
    assert notes["record_id"].isin(datev["record_id"]).all()
    assert notes["text"].str.contains(";").any()
