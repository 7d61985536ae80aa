"""``dq match IN... -o DIR``: link records into golden records; writes golden, crosswalk, review."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table
from rich.text import Text

from dq.cli._common import (
    EngineOpt,
    FormatOpt,
    OutDirOpt,
    OutputFormat,
    QuietOpt,
    SparkConfOpt,
    SparkMasterOpt,
    console,
    engine_options,
)
from dq.cli._typer import app

if TYPE_CHECKING:
    from dq.match.accuracy import Metrics
    from dq.match.run import MatchResult

WorkspaceOpt = Annotated[
    Path,
    typer.Option(
        "--workspace",
        help="Workspace folder whose .dq/state.sqlite keeps golden IDs and review decisions.",
    ),
]


@app.command("match")
def match_command(
    inputs: Annotated[
        list[Path],
        typer.Argument(
            metavar="IN...", help="Canonical record files (.parquet or .csv), one or more."
        ),
    ],
    out: OutDirOpt,
    truth: Annotated[
        str | None,
        typer.Option(
            "--truth",
            help="Column with the true entity of each record: print precision/recall/F1 of "
            "the pairs implied by the clusters, of exact clusters and B-cubed.",
        ),
    ] = None,
    model_file: Annotated[
        Path | None,
        typer.Option("--model", help="Reuse a trained model.json instead of training one."),
    ] = None,
    config: Annotated[
        Path | None, typer.Option("--config", help="dq.yaml to read the match section from.")
    ] = None,
    workspace: WorkspaceOpt = Path("."),
    fmt: FormatOpt = OutputFormat.parquet,
    engine: EngineOpt = None,
    spark_master: SparkMasterOpt = None,
    spark_conf: SparkConfOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """De-duplicate and link records into golden records with stable IDs.

    Each file's `source` column tells dedupe (same source) from link (across sources).
    Records that were not standardised yet (no *_valid flag columns) are standardised first.
    Writes DIR/golden, DIR/crosswalk, DIR/review (pairs to decide: fill in the decision
    column, then `dq review import`) and DIR/model.json.

    `--engine spark` runs candidate pairs, training, scoring and connected components on
    Apache Spark (`--spark-master local[2]`, `--spark-conf spark.executor.memory=2g`), with
    the same answers as the local engine; Parquet inputs (files or folders) are read by
    Spark and, when not standardised yet, standardised there; see docs/scale.md.
    """
    from dq.match.files import match_files

    options = engine_options(engine, spark_master, spark_conf)
    done = match_files(
        inputs,
        out,
        truth=truth,
        model_file=model_file,
        config=config,
        workspace=workspace,
        fmt=fmt.value,
        options=options,
    )
    if quiet:
        return
    result = done.match
    _print_blocking(result)
    _print_timings(result)
    changes = result.ids.counts()
    console.print(
        f"{done.records:,} records → {len(result.golden):,} golden records; "
        f"{len(result.review):,} pairs to review; {result.decisions_applied:,} decisions applied; "
        f"IDs: {changes['new']:,} new, {changes['merge']:,} merged, {changes['split']:,} split, "
        f"{changes['retire']:,} retired"
    )
    for path in done.written.values():
        console.print(f"  wrote {path}")
    if done.metrics is not None:
        _print_metrics(done.metrics)


def _print_blocking(result: MatchResult) -> None:
    report = result.blocking
    table = Table(
        title=f"Blocking: {report.pairs:,} candidate pairs from {report.records:,} records"
    )
    table.add_column("key")
    table.add_column("pairs", justify="right")
    table.add_column("blocks split", justify="right")
    table.add_column("blocks skipped", justify="right")
    ranked = bool(report.key_caps)  # the pair budget was spent key by key
    if ranked:
        table.add_column("cap / window", justify="right")
        table.add_column("matches per pair (est.)", justify="right")
    for key, pairs in report.pairs_per_key.items():
        cells = [
            key,
            f"{pairs:,}",
            f"{report.blocks_split.get(key, 0):,}",
            f"{report.blocks_skipped.get(key, 0):,}",
        ]
        if ranked:
            cap = report.key_caps.get(key)
            share = report.key_yield.get(key)
            cells += ["" if cap is None else str(cap), "" if share is None else f"{share:.2f}"]
        table.add_row(*cells)
    console.print(table)
    largest = ", ".join(f"{k} {s:,}" for k, s in report.largest_blocks[:5])
    console.print(
        f"records without any candidate: {report.share_without_candidate:.1%}; "
        f"largest blocks: {largest or '-'}"
    )
    for warning in report.warnings:
        console.print(Text.assemble(("warning:", "yellow"), f" {warning}"))


def _print_timings(result: MatchResult) -> None:
    table = Table(title="Stage timings")
    table.add_column("stage")
    table.add_column("seconds", justify="right")
    for stage, seconds in result.timings.items():
        table.add_row(stage, f"{seconds:.2f}")
    table.add_row("total", f"{sum(result.timings.values()):.2f}")
    console.print(table)


def _print_metrics(metrics: Metrics) -> None:
    from dq.match.accuracy import METRIC_NAMES

    table = Table(title=f"Accuracy against the truth column ({metrics.records:,} records)")
    for name in ("", "precision", "recall", "F1"):
        table.add_column(name, justify="left" if not name else "right")
    for kind, label in METRIC_NAMES.items():
        p, r, f = (getattr(metrics, f"{kind}_{m}") for m in ("precision", "recall", "f1"))
        table.add_row(label, f"{p:.4f}", f"{r:.4f}", f"{f:.4f}")
    console.print(table)
