"""``dq match`` and ``dq review import``: outputs, printed metrics, exit codes."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from dq.cli.app import app

FIXTURE = Path(__file__).parent.parent / "data" / "match" / "customers_1000.csv"


@pytest.fixture(scope="module")
def first_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    ws = tmp_path_factory.mktemp("ws")
    args = ["match", str(FIXTURE), "-o", str(ws / "out"), "--truth", "true_id"]
    result = CliRunner().invoke(app, [*args, "--workspace", str(ws), "--format", "csv"])
    assert result.exit_code == 0, result.output
    return ws, result.output


def test_match_writes_outputs_and_prints_metrics(first_run: tuple[Path, str]) -> None:
    ws, output = first_run
    for name in ("golden.csv", "crosswalk.csv", "review.csv", "model.json"):
        assert (ws / "out" / name).is_file()
    assert (ws / ".dq" / "state.sqlite").is_file()
    crosswalk = pd.read_csv(ws / "out" / "crosswalk.csv")
    assert list(crosswalk.columns[:2]) == ["record_id", "golden_id"]
    assert len(crosswalk) == 1000 and crosswalk["record_id"].is_unique
    for text in ("Blocking", "Stage timings", "pairs implied by the", "exact clusters", "B-cubed"):
        assert text in output


def test_review_import_then_rerun_honours_decisions(first_run: tuple[Path, str]) -> None:
    ws, _ = first_run
    review = pd.read_csv(ws / "out" / "review.csv", dtype=str)
    assert len(review) > 0 and "decision" in review.columns
    review["decision"] = "no match"
    review.to_csv(ws / "decided.csv", index=False)
    runner = CliRunner()
    imported = runner.invoke(
        app, ["review", "import", str(ws / "decided.csv"), "--workspace", str(ws)]
    )
    assert imported.exit_code == 0, imported.output
    assert f"{len(review):,} decisions stored" in imported.output
    model = str(ws / "out" / "model.json")
    args = ["match", str(FIXTURE), "-o", str(ws / "out2"), "--model", model, "--quiet"]
    rerun = runner.invoke(app, [*args, "--workspace", str(ws)])
    assert rerun.exit_code == 0, rerun.output
    assert rerun.output.strip() == ""
    again = pd.read_parquet(ws / "out2" / "review.parquet")
    decided = set(zip(review["left_id"], review["right_id"], strict=True))
    assert not decided & set(zip(again["left_id"], again["right_id"], strict=True))


def test_bad_decision_exits_3_naming_line_and_column(tmp_path: Path) -> None:
    bad = tmp_path / "review.csv"
    bad.write_text("left_id,right_id,decision\na:1,b:1,match\na:2,b:2,vielleicht\n")
    result = CliRunner().invoke(app, ["review", "import", str(bad), "--workspace", str(tmp_path)])
    assert result.exit_code == 3
    assert "line 3" in result.output and "'decision'" in result.output


@pytest.mark.parametrize(
    ("extra", "code"),
    [
        (["--truth", "no_such_column"], 3),
        (["--model", "missing-model.json"], 3),
        (["--format", "xlsx"], 2),
    ],
)
def test_exit_codes(tmp_path: Path, extra: list[str], code: int) -> None:
    args = ["match", str(FIXTURE), "-o", str(tmp_path / "out"), "--workspace", str(tmp_path)]
    assert CliRunner().invoke(app, [*args, *extra]).exit_code == code


def test_missing_input_exits_3(tmp_path: Path) -> None:
    args = ["match", str(tmp_path / "nope.csv"), "-o", str(tmp_path / "out")]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 3
    assert "file not found" in result.output


def test_bad_config_exits_3(tmp_path: Path) -> None:
    cfg = tmp_path / "dq.yaml"
    cfg.write_text("match:\n  match_treshold: 0.9\n  golden:\n    rules: {email: [loudest]}\n")
    args = ["match", str(FIXTURE), "-o", str(tmp_path / "out"), "--config", str(cfg)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 3
    assert "match.match_treshold: unknown key" in result.output
    assert "match.golden.rules.email" in result.output


def test_the_blocking_table_shows_caps_where_the_budget_was_spent_key_by_key(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from types import SimpleNamespace

    from dq.cli.match import _print_blocking
    from dq.match.blocking import BlockingReport

    report = BlockingReport(
        records=1_000_000,
        pairs=2_554_554,
        pairs_per_key={"email": 328_171, "person_city": 120_000},
        key_caps={"email": 300, "person_city": 9},
        key_yield={"email": 0.98, "person_city": 0.31},
    )
    _print_blocking(SimpleNamespace(blocking=report))  # type: ignore[arg-type]
    out = capsys.readouterr().out
    assert "cap / window" in out
    assert "0.31" in out and "person_city" in out
