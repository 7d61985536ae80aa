"""`dq report OUT_DIR`: rebuilds the report from stored tables; exit codes and --quiet."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

import dq.cli.app  # noqa: F401  (registers the commands)
from dq.cli._typer import app
from tests.report.conftest import ROOT, DemoRun

runner = CliRunner()


def _copy_out(run: DemoRun, tmp_path: Path) -> Path:
    out = tmp_path / "out"
    shutil.copytree(run.out, out)
    return out


def test_rebuild_gives_the_same_metrics(demo_runs: tuple[DemoRun, DemoRun], tmp_path: Path) -> None:
    out = _copy_out(demo_runs[0], tmp_path)
    before = json.loads((out / "report.json").read_text(encoding="utf-8"))
    (out / "report.html").unlink()
    result = runner.invoke(app, ["report", str(out), "--state", str(demo_runs[0].state)])
    assert result.exit_code == 0, result.output
    assert (out / "report.html").is_file() and (out / "report.md").is_file()
    after = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert after["facts"] == before["facts"]
    assert after["metrics"] == before["metrics"]
    # the first run's rebuild compares with nothing: the second run finished later
    assert "Dies ist der erste gespeicherte Lauf" in (out / "report.html").read_text("utf-8")


def test_rebuild_does_not_extend_the_history(
    demo_runs: tuple[DemoRun, DemoRun], tmp_path: Path
) -> None:
    from dq.report import history
    from dq.store import Store

    out = _copy_out(demo_runs[1], tmp_path)
    state = tmp_path / "state.sqlite"
    shutil.copy(demo_runs[1].state, state)
    assert runner.invoke(app, ["report", str(out), "--state", str(state)]).exit_code == 0
    with Store(state) as store:
        assert len(history(store, "records")) == 2


def test_fail_threshold_exits_1_with_one_quiet_line(
    demo_runs: tuple[DemoRun, DemoRun], tmp_path: Path
) -> None:
    out = _copy_out(demo_runs[1], tmp_path)
    workspace = tmp_path / "ws"
    shutil.copytree(demo_runs[1].workspace, workspace)
    config = workspace / "dq.yaml"
    config.write_text(
        config.read_text(encoding="utf-8")
        + "\nreport:\n  thresholds:\n    - {metric: records, fail_below: 1000}\n",
        encoding="utf-8",
    )
    result = runner.invoke(
        app,
        [
            "report",
            str(out),
            "--workspace",
            str(workspace),
            "--state",
            str(demo_runs[1].state),
            "-q",
        ],
    )
    assert result.exit_code == 1, result.output
    assert result.stdout.strip().splitlines() == [
        "report: 1 failed, 1 warnings (first: records is 280, below the fail limit 1,000)"
    ]


def test_missing_folder_is_an_input_error(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "dq", "report", str(tmp_path / "nope")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=False,
    )
    assert proc.returncode == 3
    assert "output folder not found" in proc.stderr


def test_empty_folder_says_what_to_do(tmp_path: Path) -> None:
    result = runner.invoke(app, ["report", str(tmp_path)])
    assert result.exit_code == 3
    assert "run `dq run -o OUT_DIR` first" in result.output


def test_warnings_go_to_stderr(demo_runs: tuple[DemoRun, DemoRun], tmp_path: Path) -> None:
    out = _copy_out(demo_runs[1], tmp_path)
    result = runner.invoke(app, ["report", str(out), "--state", str(demo_runs[1].state)])
    assert result.exit_code == 0
    assert "warn: source_rows_read{source=hubspot} fell 50.0 %" in result.stderr
    assert "report.html → " in result.stdout
