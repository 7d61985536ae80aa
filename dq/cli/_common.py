"""Options shared by several commands, defined once so they read the same everywhere."""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

__all__ = [
    "ConfigArg",
    "EngineOpt",
    "FormatOpt",
    "OutDirOpt",
    "OutputFormat",
    "QuietOpt",
    "ShowValuesOpt",
    "SparkConfOpt",
    "SparkMasterOpt",
    "console",
    "engine_options",
    "err_console",
]

# Piped output and CI logs get 120 columns (rich would assume 80) unless COLUMNS says otherwise.
_WIDTH = None if sys.stdout.isatty() else int(os.environ.get("COLUMNS") or 120)
# markup=False: file names, values and messages are printed as they are ("kunden[alt].csv" is not
# a style tag); styled output is built from rich.text.Text (Text.assemble), never from markup.
console = Console(highlight=False, markup=False, width=_WIDTH)
err_console = Console(stderr=True, highlight=False, markup=False, width=_WIDTH)


class OutputFormat(StrEnum):
    parquet = "parquet"
    csv = "csv"


ConfigArg = Annotated[Path, typer.Argument(help="dq.yaml, or the workspace folder holding it.")]
OutDirOpt = Annotated[
    Path,
    typer.Option(
        "--out", "-o", help="Folder to write the output tables into (created if missing)."
    ),
]
FormatOpt = Annotated[
    OutputFormat, typer.Option("--format", help="File format of the output tables.")
]
QuietOpt = Annotated[
    bool, typer.Option("--quiet", "-q", help="Print nothing but errors; no progress bars.")
]
ShowValuesOpt = Annotated[
    bool,
    typer.Option(
        "--show-values", help="Show personal values in the output instead of masking them."
    ),
]
EngineOpt = Annotated[
    str | None,
    typer.Option(
        "--engine",
        metavar="local|spark",
        help="Where matching's pair work runs: local (this process) or spark (Apache Spark, "
        "same answers; needs pyspark, the spark extra of dq, and Java 17). Default: "
        "match.engine in dq.yaml, else local.",
    ),
]
SparkMasterOpt = Annotated[
    str | None,
    typer.Option(
        "--spark-master",
        metavar="URL",
        help="Spark master for --engine spark: local[N] (N cores here), spark://host:7077, "
        "yarn, k8s://… Default: match.spark_master in dq.yaml, else local[*].",
    ),
]
SparkConfOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--spark-conf",
        metavar="KEY=VALUE",
        help="A Spark option for --engine spark, repeatable (e.g. spark.executor.memory=2g); "
        "added to match.spark_conf in dq.yaml.",
    ),
]


def engine_options(
    engine: str | None, master: str | None, conf: list[str] | None
) -> dict[str, Any]:
    """The match settings the engine options give (only those given), for
    :func:`dq.match.settings.with_options`."""
    out: dict[str, Any] = {}
    if engine is not None:
        out["engine"] = engine
    if master is not None:
        out["spark_master"] = master
    if conf:
        pairs = {}
        for item in conf:
            key, sep, value = item.partition("=")
            if not sep or not key.strip():
                raise typer.BadParameter(f"{item!r} is not KEY=VALUE", param_hint="--spark-conf")
            pairs[key.strip()] = value.strip()
        out["spark_conf"] = pairs
    return out
