"""``dq value TABLES_DIR -o OUT``: customer value on the tables of an earlier run."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich import box
from rich.table import Table
from rich.text import Text

from dq.cli._common import FormatOpt, OutDirOpt, OutputFormat, QuietOpt, console
from dq.cli._typer import app

__all__ = ["value_command"]


@app.command("value")
def value_command(
    tables_dir: Annotated[
        Path,
        typer.Argument(
            metavar="TABLES_DIR",
            help="Output folder of `dq run` (golden, transactions, interactions).",
        ),
    ],
    out: OutDirOpt,
    as_of: Annotated[
        datetime | None,
        typer.Option(
            "--as-of",
            formats=["%Y-%m-%d"],
            help="Day the values are computed for (default: today).",
        ),
    ] = None,
    config: Annotated[
        Path | None, typer.Option("--config", help="dq.yaml to read the value section from.")
    ] = None,
    fmt: FormatOpt = OutputFormat.parquet,
    quiet: QuietOpt = False,
) -> None:
    """Revenue, payment behaviour, order rhythm, complaints, ABC/RFM, lifecycle per customer.

    Writes OUT/customer_value (one row per golden customer) and OUT/golden (the golden table with
    revenue_12m, abc, lifecycle and payment_class). Settings: the `value:` section of dq.yaml.
    """
    from dq.config import Workspace, load_workspace
    from dq.enrich.tables import value_from_tables
    from dq.tables import write_table

    workspace = load_workspace(config) if config else Workspace()
    day = as_of.date() if as_of else date.today()
    output = value_from_tables(tables_dir, workspace, day)
    written = {
        name: write_table(frame, out, name, fmt.value) for name, frame in output.tables.items()
    }
    if quiet:
        return
    result = output.result
    table = Table(title=f"Customer value as of {day.isoformat()}", box=box.SIMPLE_HEAD)
    table.add_column("lifecycle")
    table.add_column("customers", justify="right")
    for name, count in sorted(result.lifecycle.items()):
        table.add_row(name, f"{count:,}")
    console.print(table)
    console.print(f"prepayment recommended: {result.prepayment_recommended:,}")
    skipped = {k: v for k, v in vars(result.counts).items() if v}
    if skipped:
        reasons = ", ".join(f"{k.replace('_', ' ')} {v:,}" for k, v in skipped.items())
        console.print(Text.assemble(("transactions not counted:", "yellow"), f" {reasons}"))
    for name, path in written.items():
        console.print(f"{name:>16}: {len(output.tables[name]):>8,} rows → {path}", markup=False)
