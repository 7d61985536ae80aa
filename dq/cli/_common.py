"""Options shared by several commands, defined once so they read the same everywhere."""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

__all__ = [
    "ConfigArg",
    "FormatOpt",
    "OutDirOpt",
    "OutputFormat",
    "QuietOpt",
    "ShowValuesOpt",
    "console",
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
