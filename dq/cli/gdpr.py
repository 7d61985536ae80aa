"""``dq gdpr [CONFIG] -o DIR [--as-of] [--apply]``: retention verdicts, overdue actions, and a
redacted copy of the outputs with an audit log."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich import box
from rich.table import Table
from rich.text import Text

from dq.cli._common import ConfigArg, FormatOpt, OutDirOpt, OutputFormat, QuietOpt, console
from dq.cli._typer import app
from dq.cli.run import AsOfOpt

__all__ = ["gdpr_command"]


@app.command("gdpr")
def gdpr_command(
    config: ConfigArg = Path("dq.yaml"),
    out: OutDirOpt = Path("out"),
    fmt: FormatOpt = OutputFormat.parquet,
    as_of: AsOfOpt = None,
    apply: Annotated[
        bool,
        typer.Option(
            "--apply",
            help="Also write a redacted copy of the output tables into OUT/redacted (deleted "
            "customers removed, restricted ones reduced and marked) and OUT/gdpr_audit.csv. "
            "Source systems are never written.",
        ),
    ] = False,
    quiet: QuietOpt = False,
) -> None:
    """Apply the deletion concept: keep, restrict or delete per customer and contact, and why.

    Runs the stages up to retention and writes OUT/retention, OUT/deletion_manifest (one row
    per source record, grouped by source) and OUT/privacy_requests next to the other outputs.
    Prints the counts per action and the overdue customers (IDs only). The shipped periods
    (rules/retention.yaml) are a starting point to agree with your data-protection officer
    and tax adviser; a workspace's retention.yaml overrides them.
    """
    from dq.config import load_workspace
    from dq.gdpr.run import run_gdpr

    workspace = load_workspace(config)
    day = None if as_of is None else as_of.date()
    if quiet:
        result = run_gdpr(workspace, out, as_of=day, fmt=fmt.value, apply=apply)
        return
    with console.status("running the stages up to retention …"):
        result = run_gdpr(workspace, out, as_of=day, fmt=fmt.value, apply=apply)
    summary = result.summary
    table = Table(
        title=f"Retention on {summary.as_of.isoformat()}", title_justify="left", box=box.SIMPLE_HEAD
    )
    for name in ("action", "customers", "contacts"):
        table.add_column(name, justify="left" if name == "action" else "right")
    for action in ("keep", "restrict", "delete"):
        table.add_row(
            action,
            f"{summary.customers.get(action, 0):,}",
            f"{summary.contacts.get(action, 0):,}",
        )
    console.print(table)
    console.print(
        Text.assemble(
            "Overdue: ",
            (f"{summary.overdue:,}", "bold"),
            f" customers, {summary.overdue_contacts:,} contacts (due date before the as-of day)",
        )
    )
    if summary.requests:
        counts = ", ".join(f"{n:,} {status}" for status, n in sorted(summary.requests.items()))
        console.print(f"Privacy requests: {counts}")
    overdue = result.overdue.sort_values("due_date").head(20)
    if len(overdue):
        listing = Table(title="Overdue (first 20)", title_justify="left", box=box.SIMPLE_HEAD)
        for name in ("golden_id", "action", "due_date", "rule"):
            listing.add_column(name)
        for row in overdue.itertuples():
            listing.add_row(
                str(row.golden_id), str(row.action), f"{row.due_date:%Y-%m-%d}", str(row.rule)
            )
        console.print(listing)
    for name in ("retention", "deletion_manifest", "privacy_requests", "gdpr_audit"):
        if name in result.written:
            console.print(f"{name:>20}: → {result.written[name]}")
    if apply:
        console.print(f"redacted copies: {out / 'redacted'}")
    console.print(Text(summary.disclaimer, style="dim"))
