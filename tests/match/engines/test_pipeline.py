"""The demo and `dq match` through the Spark engine give the local engine's answers."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pandas as pd
from typer.testing import CliRunner

import dq.cli.app  # noqa: F401  (registers the commands on the Typer app)
from dq.cli._typer import app
from dq.cli.run import demo_workspace
from dq.config import load_workspace, with_match_options
from dq.pipeline import STAGES, execute
from dq.schema import RECORD_COLUMNS
from dq.tables import read_table

FIXTURE = Path(__file__).parents[2] / "data" / "match" / "customers_1000.csv"
# the session fixture's partitions: a new engine on the running session would set its default
SPARK = {
    "engine": "spark",
    "spark_master": "local[2]",
    "spark_conf": {"spark.sql.shuffle.partitions": "4"},
}
# up to golden records: validation, value and retention only read what these produce
UP_TO_GOLDEN = [
    stage for stage in STAGES if stage[0] in {"ingest", "standardize", "web", "match", "golden"}
]
SORT_BY = {"golden": ["golden_id"], "crosswalk": ["record_id"], "contacts": ["contact_id"]}


def _sorted(frame: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    return frame.sort_values(by, kind="stable").reset_index(drop=True)


def _survivorship_jobs(spark: Any) -> set[int]:
    """IDs of the Spark jobs that ran survivorship (their job group), as Spark reports them."""
    from dq.match.engines.spark_golden import SURVIVORSHIP_JOBS

    return set(spark.sparkContext.statusTracker().getJobIdsForGroup(SURVIVORSHIP_JOBS))


def test_demo_on_spark_equals_the_local_engine(spark: Any, tmp_path: Path) -> None:
    shutil.copytree(
        demo_workspace(), tmp_path / "demo", ignore=shutil.ignore_patterns(".dq", "out")
    )
    workspace = load_workspace(tmp_path / "demo")
    local = execute(workspace, stages=UP_TO_GOLDEN)
    before = _survivorship_jobs(spark)
    on_spark = execute(with_match_options(workspace, SPARK), stages=UP_TO_GOLDEN)
    assert on_spark.stages["match"].timings["components"] >= 0  # the engine's components ran
    assert _survivorship_jobs(spark) - before  # the golden stage's survivorship ran on Spark
    for name, by in SORT_BY.items():
        want, got = local.tables[name], on_spark.tables[name]
        assert len(want) > 0, name
        pd.testing.assert_frame_equal(_sorted(got, by), _sorted(want, by), obj=name)
    # the demo's duplicates are really merged: fewer customers than company records
    assert len(local.tables["golden"]) < len(local.tables["crosswalk"])
    # the pairs' explanations too (weights summed in the same order: equal, not close)
    pairs = ["left_id", "right_id"]
    want, got = local.tables["_pairs"], on_spark.tables["_pairs"]
    pd.testing.assert_frame_equal(_sorted(got, pairs), _sorted(want, pairs))


def test_dq_match_with_engine_spark(spark: Any, tmp_path: Path) -> None:
    # Parquet: with --engine spark, Spark reads and standardises the records
    small = tmp_path / "customers.parquet"
    read_table(FIXTURE, RECORD_COLUMNS).head(200).to_parquet(small, index=False)
    outputs = {}
    before = _survivorship_jobs(spark)
    for engine in ("local", "spark"):
        out = tmp_path / engine
        args = ["match", str(small), "-o", str(out), "--workspace", str(tmp_path / engine)]
        args += ["--engine", engine, "--format", "csv", "--quiet"]
        if engine == "spark":  # the local run's model: training on Spark is tested above
            args += ["--spark-master", "local[2]", "--spark-conf", "spark.sql.shuffle.partitions=4"]
            args += ["--model", str(tmp_path / "local" / "model.json")]
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 0, result.output
        outputs[engine] = {
            name: _sorted(pd.read_csv(out / f"{name}.csv", dtype=str), by)
            for name, by in (("golden", ["golden_id"]), ("crosswalk", ["record_id"]))
        }
        # survivorship ran on Spark with --engine spark only (the CLI reuses this session)
        assert bool(_survivorship_jobs(spark) - before) == (engine == "spark")
    assert len(outputs["local"]["golden"]) < 200  # duplicates among the 200 were merged
    for name, want in outputs["local"].items():
        pd.testing.assert_frame_equal(outputs["spark"][name], want, obj=name)
