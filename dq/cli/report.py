"""``dq report OUT_DIR``: rebuild report.html/.json/.md from the tables of an earlier run."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.text import Text

from dq.cli._common import QuietOpt, ShowValuesOpt, console, err_console
from dq.cli._typer import app

if TYPE_CHECKING:
    from dq.report.checks import Finding

__all__ = ["render_findings", "report_command"]


def render_findings(findings: Sequence[Finding], *, quiet: bool) -> None:
    """Warnings and failures on stderr; with ``quiet`` one line on stdout for cron logs."""
    from dq.report import one_line

    if quiet:
        console.print(one_line(findings))
        return
    for finding in findings:
        colour = "red" if finding.level == "fail" else "yellow"
        err_console.print(Text.assemble((finding.level, colour), f": {finding.message}"))


@app.command("report")
def report_command(
    out_dir: Annotated[
        Path, typer.Argument(help="Output folder of a run (dq run -o / dq demo -o).")
    ],
    workspace: Annotated[
        Path | None,
        typer.Option(
            "--workspace",
            help="dq.yaml or its folder: its report: settings, language and run history "
            "(.dq/state.sqlite).",
        ),
    ] = None,
    state: Annotated[
        Path | None,
        typer.Option(
            "--state",
            help="State database with the run history (default: the workspace's, "
            "else OUT_DIR/.dq/state.sqlite if present).",
        ),
    ] = None,
    show_values: ShowValuesOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Build report.html, report.json and report.md from a run's output tables.

    Trends come from the run history, which a rebuild reads but does not extend. Exits 1 when a
    fail threshold or change check of the report: section is hit; warnings go to stderr;
    --quiet prints one line for cron logs.
    """
    from dq.config import load_workspace
    from dq.report import build_report
    from dq.store import Store, default_store_path

    settings = language = None
    if workspace is not None:
        ws = load_workspace(workspace)
        settings, language = ws.report, ws.project.language
        state = state or default_store_path(ws.root)
    if state is None and (out_dir / ".dq" / "state.sqlite").is_file():
        state = out_dir / ".dq" / "state.sqlite"
    store = Store(state) if state is not None else None
    try:
        result = build_report(
            out_dir, store=store, show_values=show_values, settings=settings, language=language
        )
    finally:
        if store is not None:
            store.close()
    render_findings(result.findings, quiet=quiet)
    if not quiet:
        for path in result.paths.values():
            console.print(f"{path.name:>12} → {path}")
    if result.failed:
        raise typer.Exit(1)
