"""``dq ingest``: read sources into canonical tables and rejects."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich import box
from rich.table import Table
from rich.text import Text

from dq.cli._common import FormatOpt, OutDirOpt, OutputFormat, QuietOpt, console
from dq.cli._typer import app

if TYPE_CHECKING:
    from dq.ingest import IngestResult, SourceStats

__all__ = ["ingest_command", "render_stats"]


def render_stats(stats: list[SourceStats]) -> Table:
    """Per-file row accounting as a table: rows read = outputs + rejects."""
    table = Table(title="Ingest: rows per file", title_justify="left", box=box.SIMPLE_HEAD)
    table.add_column("source")
    table.add_column("file (encoding)", overflow="fold")
    for name in ("read", "records", "transact.", "interact.", "rejects"):
        table.add_column(name, justify="right", no_wrap=True)
    for s in stats:
        table.add_row(
            s.source,
            Text.assemble(Path(s.file).name, (f" ({s.encoding or '-'})", "dim")),
            f"{s.rows_read:,}",
            f"{s.records:,}",
            f"{s.transactions:,}",
            f"{s.interactions:,}",
            Text(f"{s.rejects:,}", style="yellow") if s.rejects else "0",
        )
    return table


@app.command("ingest")
def ingest_command(
    config: Annotated[
        Path | None,
        typer.Argument(help="dq.yaml, or the workspace folder holding it (default: ./dq.yaml)."),
    ] = None,
    out: OutDirOpt = Path("out"),
    file: Annotated[
        Path | None, typer.Option("--file", "-f", help="Read this one file instead of a workspace.")
    ] = None,
    connector: Annotated[
        str | None,
        typer.Option("--connector", "-c", help="Connector for --file (see `dq connectors`)."),
    ] = None,
    source: Annotated[
        str | None,
        typer.Option("--source", help="Source name for --file (default: the connector's)."),
    ] = None,
    encoding: Annotated[
        str | None,
        typer.Option("--encoding", help="Force an encoding for --file instead of detecting it."),
    ] = None,
    strict: Annotated[
        bool,
        typer.Option(
            "--strict",
            help="Refuse a file with undecodable bytes or NULs instead of rejecting those rows.",
        ),
    ] = False,
    fmt: FormatOpt = OutputFormat.parquet,
    quiet: QuietOpt = False,
) -> None:
    """Read sources into canonical records, transactions, interactions and rejects.

    With a workspace (dq.yaml) every configured source is read; with --file and --connector one
    file is. Every input row ends in exactly one output table: rows that cannot be read go to
    `rejects` with file, line, reason and the raw text; values that cannot be parsed stay in
    their row and are listed in `parse_issues`.
    """
    from dq.config import load_workspace
    from dq.ingest import ingest, ingest_file
    from dq.tables import write_table

    if file is not None:
        if connector is None:
            raise typer.BadParameter(
                "--file needs --connector (see `dq connectors`)", param_hint="--connector"
            )
        if config is not None:
            raise typer.BadParameter(
                "give either a workspace or --file, not both", param_hint="CONFIG"
            )
        result: IngestResult = ingest_file(
            file, connector, source=source, encoding=encoding, strict=strict
        )
    else:
        if connector is not None or source is not None or encoding is not None:
            raise typer.BadParameter(
                "--connector, --source and --encoding go with --file", param_hint="--file"
            )
        workspace = load_workspace(config or Path("dq.yaml"))
        if quiet:
            result = ingest(workspace, strict=strict)
        else:
            with console.status("reading …") as status:
                result = ingest(
                    workspace,
                    progress=lambda src, path: status.update(f"reading {src.name}: {path.name} …"),
                    strict=strict,
                )
    written = {
        name: write_table(frame, out, name, fmt.value) for name, frame in result.tables().items()
    }
    if not quiet:
        console.print(render_stats(result.stats))
        for warning in result.warnings:
            console.print(Text("warning: ", style="yellow") + Text(warning))
        for name, path in written.items():
            console.print(Text(f"{name:>12}: {len(result.tables()[name]):>8,} rows → {path}"))
