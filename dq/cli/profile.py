"""``dq profile``: completeness, validity, distinct counts and value patterns per column."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from dq.cli._common import QuietOpt, console
from dq.cli._typer import app


@app.command("profile")
def profile_command(
    table: Annotated[Path, typer.Argument(help="A table (.parquet/.csv), canonical or not.")],
    suggest_rules: Annotated[
        Path | None,
        typer.Option("--suggest-rules", help="Write a rule set inferred from the data here."),
    ] = None,
    quiet: QuietOpt = False,
) -> None:
    """Profile TABLE: per column completeness, validity, distinct values and top patterns."""
    from dq.tables import read_table
    from dq.validate import save_rule_set
    from dq.validate.profile import profile, suggest_rule_set

    frame = read_table(table, strict=False)
    result = profile(frame)
    if not quiet:
        out = Table("column", "filled %", "check", "valid %", "distinct", "top patterns", box=None)
        for row in result.columns.to_dict("records"):
            validity = row["validity"]
            out.add_row(
                str(row["column"]),
                f"{row['completeness']:.1f}",
                str(row["check"] or ""),
                "" if validity is None or math.isnan(validity) else f"{validity:.1f}",
                str(row["distinct"]),
                str(row["top_patterns"]),
            )
        console.print(f"{result.rows} rows")
        console.print(out)
    if suggest_rules is not None:
        rule_set = suggest_rule_set(frame, result, name=suggest_rules.stem)
        path = save_rule_set(rule_set, suggest_rules)
        if not quiet:
            console.print(f"wrote {path} ({len(rule_set.rules)} rules)")
