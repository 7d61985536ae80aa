"""The demo workspace run twice (a source shrinks in between), each run followed by its report.

Session-scoped: the runs take a few seconds and every report test reads the same outputs.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from dq.config import load_workspace
from dq.pipeline import RunResult, run
from dq.report import ReportResult, RunFacts

ROOT = Path(__file__).resolve().parents[2]
AS_OF = date(2026, 1, 15)


@dataclass
class DemoRun:
    workspace: Path
    out: Path
    state: Path
    result: RunResult
    facts: RunFacts
    report: ReportResult

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        return self.result.tables


def _run(workspace: Path, out: Path, state: Path) -> DemoRun:
    result = run(load_workspace(workspace), out, as_of=AS_OF.isoformat(), state=state)
    return DemoRun(workspace, out, state, result, result.facts, result.report)


@pytest.fixture(scope="session")
def demo_runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[DemoRun, DemoRun]:
    """Run 1 on the demo as shipped; run 2 after HubSpot delivered only half its companies."""
    base = tmp_path_factory.mktemp("demo")
    workspace = base / "workspace"
    shutil.copytree(ROOT / "examples" / "demo", workspace, ignore=shutil.ignore_patterns(".dq"))
    state = base / "state.sqlite"
    first = _run(workspace, base / "out1", state)
    hubspot = workspace / "data" / "hubspot-companies.csv"
    lines = hubspot.read_text(encoding="utf-8").splitlines(keepends=True)
    hubspot.write_text("".join(lines[: 1 + (len(lines) - 1) // 2]), encoding="utf-8")
    second = _run(workspace, base / "out2", state)
    return first, second


@pytest.fixture(scope="session")
def demo(demo_runs: tuple[DemoRun, DemoRun]) -> DemoRun:
    """The first (unchanged) demo run."""
    return demo_runs[0]
