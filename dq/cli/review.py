"""``dq review import FILE``: store the decisions of an edited review file in the workspace."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from dq.cli._common import QuietOpt, console
from dq.cli._typer import app

review_app = typer.Typer(
    name="review",
    help="Clerical review of uncertain pairs: import the decisions made in a review file.",
    no_args_is_help=True,
)
app.add_typer(review_app, name="review")


@review_app.command("import")
def import_command(
    file: Annotated[
        Path,
        typer.Argument(help="The review file dq match wrote, with the decision column filled in."),
    ],
    workspace: Annotated[
        Path,
        typer.Option(
            "--workspace", help="Workspace folder whose .dq/state.sqlite keeps decisions."
        ),
    ] = Path("."),
    quiet: QuietOpt = False,
) -> None:
    """Store match / no match decisions; the next `dq match` honours them.

    Blank decision cells are skipped; any other value than match / no match is an error that
    names the line and column. Importing again replaces earlier decisions on the same pairs.
    """
    from dq.match.review import import_decisions
    from dq.store import Store, default_store_path
    from dq.tables import read_table

    frame = read_table(file)
    with Store(default_store_path(workspace)) as store:
        result = import_decisions(store, frame, path=file)
    if not quiet:
        console.print(
            f"{result.stored:,} decisions stored, {result.unchanged:,} unchanged, "
            f"{result.blank:,} rows left blank"
        )
