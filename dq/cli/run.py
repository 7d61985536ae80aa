"""``dq run`` and ``dq demo``: the main job on a workspace."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from dq.cli._common import FormatOpt, OutDirOpt, OutputFormat, QuietOpt, console
from dq.cli._typer import app
from dq.cli.ingest import render_stats
from dq.config import load_workspace
from dq.errors import ConfigError
from dq.pipeline import RunResult, run
from dq.resources import shipped_dir

__all__ = ["demo_command", "run_command"]


def _render(result: RunResult) -> None:
    console.print(render_stats(result.ingest.stats))
    for name, path in result.written.items():
        console.print(f"{name:>12}: {len(result.tables[name]):>8,} rows → {path}")
    stages = ", ".join(f"{name} {secs:.2f}s" for name, secs in result.timings.items())
    console.print(f"[dim]stages: {stages}[/dim]")


def _run(config: Path, out: Path, fmt: OutputFormat, quiet: bool) -> None:
    workspace = load_workspace(config)
    if quiet:
        run(workspace, out, fmt=fmt.value)
        return
    with console.status("running …") as status:
        result = run(workspace, out, fmt=fmt.value, on_stage=lambda s: status.update(f"{s} …"))
    _render(result)


@app.command("run")
def run_command(
    config: Annotated[
        Path, typer.Argument(help="dq.yaml, or the workspace folder holding it.")
    ] = Path("dq.yaml"),
    out: OutDirOpt = Path("out"),
    fmt: FormatOpt = OutputFormat.parquet,
    quiet: QuietOpt = False,
) -> None:
    """Run the whole job on a workspace: ingest and every later stage; write all outputs."""
    _run(config, out, fmt, quiet)


def demo_workspace() -> Path:
    """The bundled demo workspace (examples/demo)."""
    return shipped_dir("examples") / "demo"


@app.command("demo")
def demo_command(
    out: OutDirOpt = Path("out/demo"),
    fmt: FormatOpt = OutputFormat.parquet,
    quiet: QuietOpt = False,
) -> None:
    """Run the main job on the bundled demo workspace (examples/demo).

    The demo is a fictional German wholesaler: DATEV customers and three years of bookings, a
    HubSpot companies export, Salesforce contacts and sales notes.
    """
    workspace = demo_workspace()
    if not (workspace / "dq.yaml").is_file():
        raise ConfigError(
            workspace / "dq.yaml", ["the demo workspace is missing from this installation"]
        )
    if not quiet:
        console.print(f"[bold]dq demo[/bold]: workspace {workspace}, outputs in {out}")
    _run(workspace, out, fmt, quiet)
