"""``dq connectors``: list the connector profiles and what each reads."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from dq.cli._common import console
from dq.cli._typer import app
from dq.sources.profiles import list_connectors

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
) -> None:
    """List connector profiles: name, reader, what they produce and which exports they read."""
    table = Table(title="Connectors", title_justify="left")
    for name in ("name", "reader", "produces", "reads"):
        table.add_column(name)
    for profile in list_connectors(workspace):
        reads = Text(profile.description)
        if profile.formats:
            reads.append("\n" + "; ".join(profile.formats), style="dim")
        table.add_row(profile.name, profile.reader, profile.produces, reads)
    console.print(table)
