"""The value stage, its settings in dq.yaml, the segment table, and ``dq value`` on written tables."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from dq.cli.app import app
from dq.config import Workspace, load_workspace
from dq.enrich import HEADLINE_COLUMNS, VALUE_COLUMNS, value_stage
from dq.enrich.segments import load_segments
from dq.errors import ConfigError, RuleError
from dq.stage import StageContext
from dq.tables import write_table
from tests.enrich.ledgers import golden, ledger, notes

AS_OF = date(2025, 1, 15)


def _tables() -> dict[str, pd.DataFrame]:
    tx = ledger(
        ("g1", "invoice", "R-1", "2024-12-01", 3000.0),
        ("g1", "payment", "R-1", "2024-12-10", -3000.0),
        ("g2", "invoice", "R-2", "2024-09-01", 500.0),
        ("g3", "invoice", "R-3", "2024-10-01", 100.0),  # its record is linked to no customer
    )
    tx.loc[3, "golden_id"] = pd.NA
    return {
        "golden": golden("g1", "g2", "g9"),
        "transactions": tx,
        "interactions": notes(("g2", "2024-12-01", "complaint")),
    }


def test_stage_adds_customer_value_and_headline_columns() -> None:
    out = value_stage(_tables(), StageContext(workspace=Workspace(), as_of=AS_OF))
    value, gold = out.tables["customer_value"], out.tables["golden"]
    assert list(value.columns) == list(VALUE_COLUMNS)
    assert value["golden_id"].tolist() == ["g1", "g2", "g9"]
    assert gold["revenue_12m"].tolist() == [3000.0, 500.0, 0.0]
    assert gold["payment_class"].fillna("-").tolist() == ["on_time", "risky", "-"]
    assert gold["lifecycle"].tolist() == ["new", "active", "prospect"]
    assert gold["abc"].fillna("-").tolist() == ["A", "B", "-"]
    assert set(HEADLINE_COLUMNS) <= set(gold.columns) and "party_type" in gold
    assert out.result.counts.unlinked == 1
    assert out.result.prepayment_recommended == 1
    assert out.result.lifecycle == {"new": 1, "active": 1, "prospect": 1}
    assert out.result.headline() == (
        "Customer value: 3 customers (active 1, new 1, prospect 1); prepayment recommended "
        "for 1; 1 transactions not counted"
    )


def test_stage_without_transactions_or_interactions() -> None:
    out = value_stage({"golden": golden("g1")}, StageContext(workspace=Workspace(), as_of=AS_OF))
    assert out.tables["customer_value"]["lifecycle"].tolist() == ["prospect"]


def test_value_settings_in_dq_yaml(tmp_path: Path) -> None:
    (tmp_path / "dq.yaml").write_text(
        "value:\n  main_currency: chf\n  exchange_rates: {EUR: 0.95}\n  late_days: 3\n"
        "  tiers:\n    - {name: top, min_revenue_12m: 1000}\n",
        encoding="utf-8",
    )
    ws = load_workspace(tmp_path)
    assert ws.value.main_currency == "CHF" and ws.value.late_days == 3
    assert [t.name for t in ws.value.tiers] == ["top"]


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("value:\n  late_dayz: 3\n", "value.late_dayz: unknown key"),
        ("value:\n  abc_shares: [0.9, 0.8]\n", "abc_shares"),
        ("value:\n  exchange_rates: {USD: 0}\n", "rates must be positive"),
        ("value:\n  tiers: [{name: x, payment_class: [slow]}]\n", "value.tiers[0].payment_class"),
    ],
)
def test_value_settings_are_strict(tmp_path: Path, body: str, problem: str) -> None:
    (tmp_path / "dq.yaml").write_text(body, encoding="utf-8")
    with pytest.raises(ConfigError, match=problem.replace("[", r"\[").replace("]", r"\]")):
        load_workspace(tmp_path)


def test_shipped_segment_table_covers_every_score_pair() -> None:
    segments = load_segments()
    assert len(segments) == 10
    assert {s.labels["de"] for s in segments} >= {"Champions", "Verloren", "Gefährdet"}


def test_segment_table_with_a_gap_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "segments.yaml"
    path.write_text(
        "segments:\n  - {name: all_but_one, r: [1, 5], fm: [1, 4], labels: {en: X}}\n",
        encoding="utf-8",
    )
    with pytest.raises(RuleError, match=r"no segment covers \(r, fm\) = \[\(1, 5\)"):
        load_segments(path)


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_dq_value_on_the_tables_of_a_run(tmp_path: Path, fmt: str) -> None:
    tables = tmp_path / "run"
    for name, frame in _tables().items():
        write_table(frame, tables, name, fmt)  # type: ignore[arg-type]
    out = tmp_path / "value"
    result = CliRunner().invoke(
        app, ["value", str(tables), "-o", str(out), "--as-of", "2025-01-15", "--format", fmt]
    )
    assert result.exit_code == 0, result.output
    assert "prepayment recommended: 1" in result.output
    assert "unlinked 1" in result.output
    value = (
        pd.read_csv(out / "customer_value.csv")
        if fmt == "csv"
        else pd.read_parquet(out / "customer_value.parquet")
    )
    assert value["revenue_12m"].tolist() == [3000.0, 500.0, 0.0]
    assert value["payment_class"].fillna("-").tolist() == ["on_time", "risky", "-"]


def test_dq_value_needs_a_golden_table(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["value", str(tmp_path), "-o", str(tmp_path / "o")])
    assert result.exit_code == 3
    assert "no golden.parquet or golden.csv" in result.output


def test_dq_value_reads_settings(tmp_path: Path) -> None:
    tables = tmp_path / "run"
    for name, frame in _tables().items():
        write_table(frame, tables, name, "parquet")
    (tmp_path / "dq.yaml").write_text(
        "value:\n  risky_open_share: 2\n  risky_days_past_due: 400\n", encoding="utf-8"
    )
    args = [
        "value",
        str(tables),
        "-o",
        str(tmp_path / "o"),
        "--as-of",
        "2025-01-15",
        "--config",
        str(tmp_path / "dq.yaml"),
        "-q",
    ]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert result.output == ""
    value = pd.read_parquet(tmp_path / "o" / "customer_value.parquet")
    assert value["payment_class"].fillna("-").tolist() == ["on_time", "on_time", "-"]
