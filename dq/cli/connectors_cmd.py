"""``dq connectors``: list the connector profiles and what each reads."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from dq.cli._common import console
from dq.cli._typer import app

__all__ = ["connectors_command"]


@app.command("connectors")
def connectors_command(
    workspace: Annotated[
        Path | None,
        typer.Option(
            "--workspace",
            "-w",
            help="Also list the profiles in this workspace's connectors/ folder.",
        ),
    ] = None,
    detect: Annotated[
        Path | None,
        typer.Option(
            "--detect",
            help="Suggest the connectors for this file, by how many of their columns it has.",
        ),
    ] = None,
) -> None:
    """List connector profiles: name, reader, what they produce and which exports they read.

    With --detect FILE, list the connectors that fit the file best by header overlap.
    """
    if detect is not None:
        _print_detected(detect, workspace)
        return
    from dq.sources.profiles import list_connectors

    table = Table(title="Connectors", title_justify="left")
    for name in ("name", "reader", "produces", "reads"):
        table.add_column(name)
    for profile in list_connectors(workspace):
        reads = Text(profile.description)
        if profile.formats:
            reads.append("\n" + "; ".join(profile.formats), style="dim")
        table.add_row(profile.name, profile.reader, profile.produces, reads)
    console.print(table)


def _print_detected(path: Path, workspace: Path | None) -> None:
    from dq.sources.headers import detect_connectors

    fits = detect_connectors(path, workspace)
    if not fits:
        console.print(Text(f"{path}: no connector reads any of its columns; see `dq connectors`"))
        raise typer.Exit(1)
    table = Table(title=Text(f"Connectors for {path.name}"), title_justify="left")
    for name in ("connector", "columns found", "share"):
        table.add_column(name)
    for fit in fits:
        found = f"{len(fit.found)} of {len(fit.expected)}: " + ", ".join(fit.found)
        table.add_row(fit.profile, Text(found), f"{fit.share:.0%}")
    console.print(table)
