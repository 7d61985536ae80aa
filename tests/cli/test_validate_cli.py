"""`dq validate` and `dq profile` through the CLI: outputs, messages and exit codes 0/1/2/3."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import dq.cli.app  # noqa: F401  (registers the commands)
from dq.cli._typer import app
from dq.validate import load_rule_set

RULES = """
columns:
  company_name:
    nullable: true
    not_blank: {dimension: completeness, severity: error}
  last_activity_at:
    nullable: true
    not_older_than_days: {days: 365, dimension: timeliness, severity: warning}
checks:
- column: customer_number
  by: [source]
  dimension: uniqueness
  severity: error
  options: {check_name: unique_within}
"""


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    (tmp_path / "rules.yaml").write_text(RULES, encoding="utf-8")
    frame = pd.DataFrame(
        {
            "record_id": ["crm:1", "crm:2", "crm:3"],
            "source": ["crm"] * 3,
            "party_type": ["company"] * 3,
            "company_name": ["Müller GmbH", "Schmidt AG", "Weber KG"],
            "customer_number": ["1", "2", "3"],
            "last_activity_at": ["2026-05-01", "2026-04-01", "2020-01-01"],
        }
    )
    frame.to_csv(tmp_path / "records.csv", index=False)
    return tmp_path


def _invoke(args: list[str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, args)
    return result.exit_code, result.stdout, result.stderr


def _args(ws: Path, *extra: str) -> list[str]:
    return [
        "validate",
        str(ws / "records.csv"),
        "--rules",
        str(ws / "rules.yaml"),
        "-o",
        str(ws / "out"),
        "--as-of",
        "2026-06-01",
        "--format",
        "csv",
        *extra,
    ]


def test_passing_data_exits_0_and_writes_every_table(workspace: Path) -> None:
    code, out, _ = _invoke(_args(workspace))
    assert code == 0, out
    for name in ("issues", "summary", "records", "gates"):
        assert (workspace / "out" / f"{name}.csv").is_file()
    issues = pd.read_csv(workspace / "out" / "issues.csv")
    assert issues[["record_id", "check", "severity"]].values.tolist() == [
        ["crm:3", "not_older_than_days", "warning"]
    ]
    scored = pd.read_csv(workspace / "out" / "records.csv")
    assert scored["quality_score"].tolist()[:2] == [100.0, 100.0]
    assert "0 errors, 1 warnings" in out


def test_fail_on_warning_exits_1_after_writing_outputs(workspace: Path) -> None:
    code, _, err = _invoke(_args(workspace, "--fail-on", "warning"))
    assert code == 1
    assert "quality gate failed: rules:last_activity_at.not_older_than_days: 1 failed" in err
    assert (workspace / "out" / "issues.csv").is_file()


def test_error_failures_exit_1_by_default(workspace: Path) -> None:
    frame = pd.read_csv(workspace / "records.csv", dtype=str)
    frame.loc[1, "customer_number"] = "1"
    frame.to_csv(workspace / "records.csv", index=False)
    code, _, err = _invoke(_args(workspace))
    assert code == 1
    assert "rules:customer_number.unique_within: 2 failed" in err


def test_thresholds_from_dq_yaml(workspace: Path) -> None:
    (workspace / "dq.yaml").write_text(
        "validate:\n  thresholds:\n    - {rule: not_older_than_days, max_failed: 0}\n",
        encoding="utf-8",
    )
    code, _, err = _invoke(_args(workspace, "--config", str(workspace / "dq.yaml")))
    assert code == 1
    assert "limit max 0" in err


def test_usage_errors_exit_2(workspace: Path) -> None:
    code, _, _ = _invoke(["validate", str(workspace / "records.csv")])  # no -o
    assert code == 2
    code, _, _ = _invoke(_args(workspace, "--fail-on", "sometimes"))
    assert code == 2
    code, _, err = _invoke([*_args(workspace)[:7], "2026-13-01"])
    assert code == 2 and "--as-of" in err


def test_input_and_rule_errors_exit_3(workspace: Path) -> None:
    code, _, err = _invoke(
        [*_args(workspace)[:1], str(workspace / "missing.csv"), *_args(workspace)[2:]]
    )
    assert code == 3 and "file not found" in err
    (workspace / "rules.yaml").write_text("columns:\n  x:\n    emal_valid: {}\n", encoding="utf-8")
    code, _, err = _invoke(_args(workspace))
    assert code == 3
    assert "unknown check 'emal_valid'" in err
    assert "Traceback" not in err


def test_profile_prints_patterns_and_suggests_rules_that_load(workspace: Path) -> None:
    frame = pd.DataFrame(
        {
            "record_id": [f"crm:{i}" for i in range(5)],
            "source": ["crm"] * 5,
            "postcode": ["80331", "10115", "1010", "80331", None],
            "created_at": ["2024-01-01"] * 5,
        }
    )
    frame.to_csv(workspace / "p.csv", index=False)
    target = workspace / "suggested.yaml"
    code, out, err = _invoke(["profile", str(workspace / "p.csv"), "--suggest-rules", str(target)])
    assert code == 0, err
    assert "99999 (3)" in out and "9999 (1)" in out
    rules = load_rule_set(target)
    assert {r.check for r in rules.rules} >= {"not_blank", "unique_within", "date_not_in_future"}


def test_a_real_process_exits_with_the_gate_code(workspace: Path) -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "from dq.cli.app import main; main()",
            *_args(workspace, "--fail-on", "warning"),
        ],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
        check=False,
    )
    assert proc.returncode == 1, proc.stderr
    assert "quality gate failed" in proc.stderr
