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
    assert result.output == "report: ok\n"  # --quiet: one line for cron logs


def test_unknown_validate_key_is_a_config_error(tmp_path: Path) -> None:
    ws = _workspace(tmp_path, "validate: {fail_on: never, treshold: 3}\n")
    result = runner.invoke(app, ["run", str(ws), "-o", str(tmp_path / "out")])
    assert result.exit_code == 3
    assert "validate.treshold: unknown key" in result.output


def test_a_toy_stage_is_one_function_and_one_line(tmp_path: Path) -> None:
    """Adding a stage touches neither execute nor RunResult: a function and a list entry."""
    from dq.pipeline import STAGES, execute
    from dq.stage import StageContext, StageOutput, Tables

    def count_customers(tables: Tables, ctx: StageContext) -> StageOutput:
        per_source = tables["crosswalk"].groupby("source").size().rename("records").reset_index()
        return StageOutput(tables={"records_per_source": per_source}, result=ctx.as_of)

    result = execute(
        load_workspace(_workspace(tmp_path)),
        as_of="2024-06-30",
        stages=[*STAGES, ("toy", count_customers)],
    )
    assert result.tables["records_per_source"]["records"].sum() == len(result.tables["records"])
    assert str(result.stages["toy"]) == "2024-06-30"
    assert list(result.timings)[-1] == "toy"


def test_execute_writes_nothing_and_keeps_no_state(tmp_path: Path) -> None:
    from dq.pipeline import execute, write_outputs

    ws = _workspace(tmp_path)
    before = sorted(p.relative_to(ws) for p in ws.rglob("*"))
    result = execute(load_workspace(ws), as_of="2024-06-30")
    assert sorted(p.relative_to(ws) for p in ws.rglob("*")) == before  # no .dq, no outputs
    assert {"golden", "contacts", "crosswalk", "review"} <= set(result.tables)
    assert not result.written
    write_outputs(result, tmp_path / "out", "csv")
    assert (tmp_path / "out" / "contacts.csv").is_file()
    assert not (tmp_path / "out" / "_pairs.csv").exists()  # internal tables stay internal


def test_as_of_comes_from_the_workspace_when_not_given(tmp_path: Path) -> None:
    from dq.pipeline import execute

    ws = _workspace(tmp_path)
    text = (ws / "dq.yaml").read_text(encoding="utf-8")
    (ws / "dq.yaml").write_text(
        text.replace("project: {country: DE}", "project: {country: DE, as_of: 2024-06-30}"),
        encoding="utf-8",
    )
    assert str(execute(load_workspace(ws)).as_of) == "2024-06-30"


def test_timeliness_looks_at_the_customer_not_one_record(tmp_path: Path) -> None:
    """A debtor without an activity date of its own is as active as its latest booking."""
    from dq.pipeline import execute

    workspace = load_workspace(_workspace(tmp_path))
    soon, late = (execute(workspace, as_of=day) for day in ("2024-06-30", "2030-01-01"))
    records = soon.tables["records"]
    booked = set(soon.tables["transactions"]["golden_id"].dropna())
    with_bookings = set(records.loc[records["golden_id"].isin(booked), "record_id"])
    assert with_bookings and records["last_activity_at"].isna().all()  # no own dates at all

    def stale(result: object) -> set[str]:
        issues = result.tables["issues"]  # type: ignore[attr-defined]
        rule = issues["check"] == "customer_active_within_days"
        return set(issues.loc[rule, "record_id"])

    assert stale(soon) == set()  # bookings in the last three years
    assert stale(late) == with_bookings  # three years after the last booking
    assert records["customer_last_activity"].notna().sum() == len(with_bookings)


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
