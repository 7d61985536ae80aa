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
from dq.errors import InputError
from dq.store import Store, default_store_path
from dq.tables import read_table, write_table

__all__ = ["enrich_web_command"]


def _read_domains(path: Path) -> list[str]:
    if not path.is_file():
        raise InputError("file not found", path=path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte {exc.start})", path=path) from None
    lines = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return [line for line in lines if line]


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
    from dq.sources.web import enrich_web, load_web_settings, parse_resolve

    settings = load_web_settings(
        config,
        allow_private_networks=True if allow_private_networks else None,
        resolve=parse_resolve(resolve) if resolve else None,
        user_agent=user_agent,
    )
    targets = _read_domains(input_path) if domains else read_table(input_path)
    workspace = config.resolve().parent if config is not None else Path.cwd()
    if config is not None and config.is_dir():
        workspace = config.resolve()
    store = None if no_cache else Store(default_store_path(workspace))
    show = not quiet and sys.stderr.isatty()
    try:
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
            result = enrich_web(
                targets,
                settings,
                store=store,
                progress=lambda done, total: bar.update(task, completed=done, total=total),
            )
    finally:
        if store is not None:
            store.close()
    sites_path = write_table(result.sites, out, "web_sites", fmt.value)
    records_path = write_table(result.records, out, "web_records", fmt.value)
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
    console.print(f"wrote {sites_path} and {records_path}")
