"""``dq standardize IN -o OUT``: standardise canonical records and print what changed."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from dq.cli._common import FormatOpt, OutDirOpt, OutputFormat, QuietOpt, console
from dq.cli._typer import app


@app.command("standardize")
def standardize_command(
    input_path: Annotated[
        Path, typer.Argument(metavar="IN", help="Canonical records (.parquet or .csv).")
    ],
    out: OutDirOpt,
    fmt: FormatOpt = OutputFormat.parquet,
    country: Annotated[
        str | None,
        typer.Option(
            "--country",
            help="ISO alpha-2 region for records without a country (default: dq.yaml's "
            "project.country, else DE).",
        ),
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option("--config", help="dq.yaml to read the standardize section from."),
    ] = None,
    quiet: QuietOpt = False,
) -> None:
    """Standardise names, legal forms, addresses, phones, e-mails and identifiers.

    Writes OUT/records.<format> (standardised values in the canonical columns, raw values in
    <column>_raw, flag columns such as phone_valid) and prints changed / invalid / unchanged
    counts per column.
    """
    from dq.config import load_standardize_settings
    from dq.schema import RECORD_COLUMNS
    from dq.standardize import standardize_records
    from dq.standardize.settings import StandardizeSettings
    from dq.tables import read_table, write_table

    settings = load_standardize_settings(config) if config else StandardizeSettings()
    region = (country or settings.default_country or "DE").upper()
    if len(region) != 2 or not region.isalpha():
        raise typer.BadParameter(
            "must be an ISO 3166 alpha-2 code such as DE", param_hint="--country"
        )
    records = read_table(input_path, RECORD_COLUMNS)
    result = standardize_records(
        records, default_country=region, null_placeholders=settings.null_placeholders
    )
    path = write_table(result.records, out, "records", fmt.value)
    if quiet:
        return
    table = Table(title=f"Standardised {len(result.records):,} records → {path}")
    for name in ("column", "changed", "invalid", "unchanged"):
        table.add_column(name, justify="left" if name == "column" else "right")
    for row in result.summary.itertuples(index=False):
        if row.changed or row.invalid or row.unchanged:
            table.add_row(
                str(row.column), f"{row.changed:,}", f"{row.invalid:,}", f"{row.unchanged:,}"
            )
    console.print(table)
