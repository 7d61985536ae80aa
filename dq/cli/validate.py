"""``dq validate``: apply rule sets to a canonical table; write issues, summary and scores."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from dq.cli._common import FormatOpt, OutDirOpt, OutputFormat, QuietOpt, ShowValuesOpt, console
from dq.cli._typer import app
from dq.errors import QualityGateFailed


class FailOnChoice(StrEnum):
    error = "error"
    warning = "warning"
    never = "never"


@app.command("validate")
def validate_command(
    table: Annotated[
        Path, typer.Argument(help="Canonical records or transactions (.parquet/.csv).")
    ],
    out: OutDirOpt,
    rules: Annotated[
        list[str] | None,
        typer.Option(
            "--rules",
            "-r",
            help="Rule file or shipped rule set name (repeatable); default: the shipped sets "
            "that fit the input.",
        ),
    ] = None,
    fail_on: Annotated[
        FailOnChoice | None,
        typer.Option("--fail-on", help="Lowest severity that fails the quality gate (exit 1)."),
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option("--config", help="dq.yaml whose `validate:` section holds thresholds."),
    ] = None,
    as_of: Annotated[
        datetime | None,
        typer.Option(
            "--as-of",
            formats=["%Y-%m-%d"],
            help="Day that date checks compare with (default: today).",
        ),
    ] = None,
    show_values: ShowValuesOpt = False,
    fmt: FormatOpt = OutputFormat.parquet,
    quiet: QuietOpt = False,
) -> None:
    """Validate TABLE with rule sets; every failing value becomes a row of `issues`.

    Writes issues, summary, records (+ quality_score) and gates to the output folder.

    Exits 1 when a quality gate fails, after writing the outputs.
    """
    # pandas and pandera load here, not at import, so that `dq --help` stays fast
    from dq.tables import read_table, write_table
    from dq.validate import ValidateSettings, load_validate_settings, resolve_rule_sets, validate
    from dq.validate.gates import gate_failure_message

    settings = load_validate_settings(config) if config is not None else ValidateSettings()
    if fail_on is not None:
        settings = settings.model_copy(update={"fail_on": fail_on.value})
    rule_sets = resolve_rule_sets(rules) if rules else None
    frame = read_table(table)
    result = validate(
        frame,
        rule_sets,
        settings=settings,
        as_of=None if as_of is None else as_of.date().isoformat(),
        show_values=show_values,
    )

    written = [
        write_table(result.issues, out, "issues", fmt.value),
        write_table(result.summary, out, "summary", fmt.value),
        write_table(result.records, out, "records", fmt.value),
        write_table(result.gates, out, "gates", fmt.value),
    ]
    if not quiet:
        counts = result.issues["severity"].value_counts()
        console.print(
            f"validated {len(result.records)} rows with {', '.join(result.rule_sets)}: "
            f"{int(counts.get('error', 0))} errors, {int(counts.get('warning', 0))} warnings; "
            f"dataset score {result.dataset_score:.1f}"
        )
        scores = Table("dimension", "score", box=None)
        for dimension, score in result.dimension_scores.items():
            scores.add_row(dimension, f"{score:.1f}")
        console.print(scores)
        for path in written:
            console.print(f"wrote {path}")
    message = gate_failure_message(result.failed_gates, f"gates.{fmt.value}")
    if message is not None:
        raise QualityGateFailed(message)
