"""The main job: run every stage on a workspace and write the outputs.

Stages are plain functions from DataFrames to DataFrames; this module only wires them together,
times them and writes their tables. Order: ingest → (later stages as they are added).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from dq.config import Workspace
from dq.ingest import IngestResult, ingest
from dq.tables import TableFormat, write_table

__all__ = ["RunResult", "run"]


@dataclass
class RunResult:
    """What a run produced: the tables by name, where they were written, and stage timings."""

    out_dir: Path
    ingest: IngestResult
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    written: dict[str, Path] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)


def run(
    workspace: Workspace,
    out_dir: Path,
    *,
    fmt: TableFormat = "parquet",
    on_stage: Callable[[str], None] | None = None,
) -> RunResult:
    """Run all stages on ``workspace`` and write every output table into ``out_dir``."""
    timings: dict[str, float] = {}

    def stage(name: str) -> float:
        if on_stage is not None:
            on_stage(name)
        return time.perf_counter()

    started = stage("ingest")
    ingested = ingest(workspace)
    timings["ingest"] = time.perf_counter() - started
    tables = dict(ingested.tables())

    written = {name: write_table(frame, out_dir, name, fmt) for name, frame in tables.items()}
    return RunResult(out_dir, ingested, tables, written, timings)
