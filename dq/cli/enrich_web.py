"""``dq enrich-web``: crawl customers' websites and extract Impressum / schema.org facts."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from dq.cli._common import FormatOpt, OutDirOpt, OutputFormat, QuietOpt, console, err_console
from dq.cli._typer import app

__all__ = ["enrich_web_command"]


@app.command("enrich-web")
def enrich_web_command(
    input_path: Annotated[
        Path,
        typer.Argument(
            metavar="IN",
            help="Canonical records (.parquet/.csv with website/email) or, with --domains, "
            "a text file with one domain or URL per line.",
        ),
    ],
    out: OutDirOpt,
    domains: Annotated[
        bool, typer.Option("--domains", help="IN is a plain list of domains, one per line.")
    ] = False,
    config: Annotated[
        Path | None,
        typer.Option("--config", help="dq.yaml whose web: section holds the crawler settings."),
    ] = None,
    allow_private_networks: Annotated[
        bool,
        typer.Option(
            "--allow-private-networks",
            help="Allow private and loopback targets (local tests only; metadata stays blocked).",
        ),
    ] = False,
    resolve: Annotated[
        list[str] | None,
        typer.Option(
            "--resolve",
            metavar="HOST:IP",
            help="Use IP for HOST instead of DNS (like curl); repeatable. Still SSRF-checked.",
        ),
    ] = None,
    user_agent: Annotated[
        str | None, typer.Option("--user-agent", help="User-Agent header to identify with.")
    ] = None,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Do not read or write the workspace page cache.")
    ] = False,
    fmt: FormatOpt = OutputFormat.parquet,
    quiet: QuietOpt = False,
) -> None:
    """Crawl websites politely and safely; write web_sites and web_records tables to OUT.

    One row per site: the Impressum facts, a status and provenance (see docs/web.md).
    """
    from dq.sources.web.files import enrich_web_file

    show = not quiet and sys.stderr.isatty()
    with Progress(
        TextColumn("crawling"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        disable=not show,
        transient=True,
    ) as bar:
        task = bar.add_task("sites", total=None)
        done = enrich_web_file(
            input_path,
            out,
            domains=domains,
            config=config,
            allow_private_networks=allow_private_networks,
            resolve=resolve,
            user_agent=user_agent,
            use_cache=not no_cache,
            fmt=fmt.value,
            progress=lambda n, total: bar.update(task, completed=n, total=total),
        )
    result = done.result
    if quiet:
        return
    table = Table(title=f"{len(result.sites)} sites", show_edge=False)
    table.add_column("status")
    table.add_column("sites", justify="right")
    for status, count in result.summary.items():
        if count:
            table.add_row(status, str(count))
    console.print(table)
    if result.skipped_records:
        console.print(f"{result.skipped_records} records without a website or company email")
    console.print(f"wrote {done.written['web_sites']} and {done.written['web_records']}")
