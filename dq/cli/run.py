"""``dq run`` and ``dq demo``: the main job on a workspace."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich import box
from rich.table import Table
from rich.text import Text

from dq.cli._common import FormatOpt, OutDirOpt, OutputFormat, QuietOpt, ShowValuesOpt, console
from dq.cli._typer import app
from dq.cli.ingest import render_stats
from dq.config import load_workspace
from dq.errors import ConfigError, QualityGateFailed
from dq.pipeline import RunResult, run
from dq.resources import shipped_dir
from dq.validate.settings import gate_failure_message

__all__ = ["demo_command", "demo_workspace", "run_command"]

AsOfOpt = Annotated[
    datetime | None,
    typer.Option(
        "--as-of", formats=["%Y-%m-%d"], help="Day that date rules compare with (default: today)."
    ),
]


def _render(result: RunResult) -> None:
    console.print(render_stats(result.ingest.stats))
    summary = result.standardize_summary
    changed = summary[summary["changed"] > 0]
    if len(changed):
        table = Table(title="Standardised", title_justify="left", box=box.SIMPLE_HEAD)
        for name in ("column", "changed", "invalid", "unchanged"):
            table.add_column(name, justify="left" if name == "column" else "right")
        for row in changed.itertuples():
            table.add_row(
                str(row.column), f"{row.changed:,}", f"{row.invalid:,}", f"{row.unchanged:,}"
            )
        console.print(table)
    records = result.validation[0]
    counts = result.tables["issues"]["severity"].value_counts()
    dims = ", ".join(f"{d} {s:.1f}" for d, s in records.dimension_scores.items())
    errors, warnings = int(counts.get("error", 0)), int(counts.get("warning", 0))
    console.print(
        Text.assemble(
            "Quality: dataset score ",
            (f"{records.dataset_score:.1f}", "bold"),
            f" ({dims}); {errors:,} errors, {warnings:,} warnings in issues",
        )
    )
    match = result.match
    console.print(
        Text.assemble(
            f"Matching: {len(result.tables['records']):,} records → ",
            (f"{len(match.golden):,}", "bold"),
            f" golden records; {len(match.review):,} pairs to review",
        )
    )
    for name, path in result.written.items():
        rows = f"{len(result.tables[name]):>8,} rows" if name in result.tables else " " * 13
        console.print(f"{name:>20}: {rows} → {path}")
    stages = ", ".join(f"{name} {secs:.2f}s" for name, secs in result.timings.items())
    console.print(Text(f"stages: {stages}", style="dim"))


def _run(
    config: Path,
    out: Path,
    fmt: OutputFormat,
    quiet: bool,
    as_of: datetime | None,
    show: bool,
    state: Path | None = None,
) -> None:
    workspace = load_workspace(config)
    day = None if as_of is None else as_of.date().isoformat()
    if quiet:
        result = run(workspace, out, fmt=fmt.value, as_of=day, show_values=show, state=state)
    else:
        with console.status("running …") as status:
            result = run(
                workspace,
                out,
                fmt=fmt.value,
                as_of=day,
                show_values=show,
                state=state,
                on_stage=lambda s: status.update(f"{s} …"),
            )
        _render(result)
    message = gate_failure_message(result.failed_gates, f"gates.{fmt.value}")
    if message is not None:
        raise QualityGateFailed(message)


@app.command("run")
def run_command(
    config: Annotated[
        Path, typer.Argument(help="dq.yaml, or the workspace folder holding it.")
    ] = Path("dq.yaml"),
    out: OutDirOpt = Path("out"),
    fmt: FormatOpt = OutputFormat.parquet,
    as_of: AsOfOpt = None,
    show_values: ShowValuesOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Run the whole job on a workspace: ingest, standardise, validate, match; write every output.

    Exits 1 when a quality gate of the workspace's `validate:` section fails (after writing).
    """
    _run(config, out, fmt, quiet, as_of, show_values)


def demo_workspace() -> Path:
    """The bundled demo workspace (examples/demo)."""
    return shipped_dir("examples") / "demo"


@app.command("demo")
def demo_command(
    out: OutDirOpt = Path("out/demo"),
    fmt: FormatOpt = OutputFormat.parquet,
    as_of: AsOfOpt = None,
    show_values: ShowValuesOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Run the main job on the bundled demo workspace (examples/demo); its state database is
    kept in OUT/.dq/.

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
    _run(workspace, out, fmt, quiet, as_of, show_values, state=out / ".dq" / "state.sqlite")
