"""``dq run`` and ``dq demo``: the main job on a workspace."""

from __future__ import annotations

from contextlib import nullcontext
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich import box
from rich.table import Table
from rich.text import Text

from dq.cli._common import (
    EngineOpt,
    FormatOpt,
    OutDirOpt,
    OutputFormat,
    QuietOpt,
    ShowValuesOpt,
    SparkConfOpt,
    SparkMasterOpt,
    console,
    engine_options,
)
from dq.cli._typer import app
from dq.cli.ingest import render_stats
from dq.cli.report import render_findings
from dq.errors import ConfigError, QualityGateFailed
from dq.resources import shipped_dir

if TYPE_CHECKING:
    from dq.pipeline import RunSummary

__all__ = ["demo_command", "demo_workspace", "render_summary", "run_command"]

AsOfOpt = Annotated[
    datetime | None,
    typer.Option(
        "--as-of",
        formats=["%Y-%m-%d"],
        help="Day that date rules compare with (default: project.as_of in dq.yaml, else today).",
    ),
]


def render_summary(summary: RunSummary) -> None:
    """Print a run's summary: rows per file, standardisation, quality, customers, outputs."""
    console.print(render_stats(summary.sources))
    if summary.standardized:
        table = Table(title="Standardised", title_justify="left", box=box.SIMPLE_HEAD)
        for name in ("column", "changed", "invalid", "unchanged"):
            table.add_column(name, justify="left" if name == "column" else "right")
        for column, changed, invalid, unchanged in summary.standardized:
            table.add_row(column, f"{changed:,}", f"{invalid:,}", f"{unchanged:,}")
        console.print(table)
    if summary.dataset_score is not None:
        dims = ", ".join(f"{d} {s:.1f}" for d, s in summary.dimension_scores.items())
        console.print(
            Text.assemble(
                "Quality: dataset score ",
                (f"{summary.dataset_score:.1f}", "bold"),
                f" ({dims}); {summary.errors:,} errors, {summary.warnings:,} warnings in issues",
            )
        )
    console.print(
        Text.assemble(
            f"Matching: {summary.records:,} records → ",
            (f"{summary.customers:,}", "bold"),
            f" customers with {summary.contacts:,} contacts (from {summary.contact_records:,} "
            f"contact records); {summary.review_pairs:,} pairs to review",
        )
    )
    for line in summary.headlines:
        console.print(line)
    for name, (path, rows) in summary.written.items():
        counted = f"{rows:>8,} rows" if rows is not None else " " * 13
        console.print(f"{name:>20}: {counted} → {path}")
    stages = ", ".join(f"{name} {secs:.2f}s" for name, secs in summary.timings.items())
    console.print(Text(f"stages: {stages} (as of {summary.as_of.isoformat()})", style="dim"))


def _run(
    config: Path,
    out: Path,
    fmt: OutputFormat,
    quiet: bool,
    as_of: datetime | None,
    show: bool,
    state: Path | None = None,
    match_options: dict[str, Any] | None = None,
) -> None:
    from dq.config import load_workspace, with_match_options
    from dq.pipeline import run
    from dq.validate.gates import gate_failure_message

    workspace = with_match_options(load_workspace(config), match_options or {})
    day = None if as_of is None else as_of.date()
    progress = nullcontext() if quiet else console.status("running …")
    with progress as status:
        result = run(
            workspace,
            out,
            fmt=fmt.value,
            as_of=day,
            show_values=show,
            state=state,
            on_stage=(lambda s: status.update(f"{s} …")) if status is not None else None,
        )
    if not quiet:
        render_summary(result.summary)
    render_findings(result.report.findings, quiet=quiet)
    message = gate_failure_message(result.failed_gates, f"gates.{fmt.value}")
    if message is not None:
        raise QualityGateFailed(message)
    if result.report.failed:
        raise QualityGateFailed(f"report thresholds failed; see {out / 'report.html'}")


@app.command("run")
def run_command(
    config: Annotated[
        Path, typer.Argument(help="dq.yaml, or the workspace folder holding it.")
    ] = Path("dq.yaml"),
    out: OutDirOpt = Path("out"),
    fmt: FormatOpt = OutputFormat.parquet,
    as_of: AsOfOpt = None,
    show_values: ShowValuesOpt = False,
    engine: EngineOpt = None,
    spark_master: SparkMasterOpt = None,
    spark_conf: SparkConfOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Run the whole job on a workspace: ingest, standardise, validate, match; write every output.

    Exits 1 when a quality gate of the workspace's `validate:` section fails (after writing).
    `--engine spark` runs matching's pair work on Apache Spark (same answers).
    """
    options = engine_options(engine, spark_master, spark_conf)
    _run(config, out, fmt, quiet, as_of, show_values, match_options=options)


def demo_workspace() -> Path:
    """The bundled demo workspace (examples/demo)."""
    return shipped_dir("examples") / "demo"


@app.command("demo")
def demo_command(
    out: OutDirOpt = Path("out/demo"),
    fmt: FormatOpt = OutputFormat.parquet,
    as_of: AsOfOpt = None,
    show_values: ShowValuesOpt = False,
    engine: EngineOpt = None,
    spark_master: SparkMasterOpt = None,
    spark_conf: SparkConfOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Run the main job on the bundled demo workspace (examples/demo); its state database is
    kept in OUT/.dq/. `--engine spark` matches on Apache Spark (same answers).

    The demo is a fictional German wholesaler: DATEV customers and three years of bookings, a
    HubSpot companies export, Salesforce contacts and sales notes.
    """
    workspace = demo_workspace()
    if not (workspace / "dq.yaml").is_file():
        raise ConfigError(
            workspace / "dq.yaml", ["the demo workspace is missing from this installation"]
        )
    if not quiet:
        console.print(
            Text.assemble(("dq demo", "bold"), f": workspace {workspace}, outputs in {out}")
        )
    # The demo's state lives with its outputs: the shipped workspace may be read-only.
    options = engine_options(engine, spark_master, spark_conf)
    state = out / ".dq" / "state.sqlite"
    _run(workspace, out, fmt, quiet, as_of, show_values, state=state, match_options=options)
