"""The Typer application object and its error handling; command modules add themselves to it.

Exit codes: 0 ok, 1 a quality gate failed, 2 usage error, 3 input or configuration error,
4 internal error (a bug: rerun with ``--debug`` and report the traceback).
"""

from __future__ import annotations

import logging
import os
import sys
from typing import Any

import click
import typer
from rich.text import Text
from typer.core import TyperGroup

from dq.cli._common import err_console
from dq.errors import DQError

__all__ = ["EXIT_INTERNAL", "app"]

EXIT_INTERNAL = 4


class _DQGroup(TyperGroup):
    """Turns a DQError into one red line and its exit code; tracebacks only with --debug."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except DQError as exc:
            if _debug(ctx):
                raise
            err_console.print(Text.assemble(("error:", "red"), f" {exc}"), soft_wrap=True)
            raise click.exceptions.Exit(exc.exit_code) from None
        except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort):
            raise
        except BrokenPipeError:
            # the reader went away (`dq … --help | head`): nothing to report, nothing to print
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise click.exceptions.Exit(0) from None
        except Exception as exc:
            if _debug(ctx):
                raise
            err_console.print(
                Text.assemble(
                    ("internal error:", "red"),
                    f" {type(exc).__name__}; rerun with --debug for the traceback and report it",
                )
            )
            raise click.exceptions.Exit(EXIT_INTERNAL) from None


def _debug(ctx: click.Context) -> bool:
    obj = ctx.find_root().obj
    return bool(isinstance(obj, dict) and obj.get("debug")) or os.environ.get("DQ_DEBUG") == "1"


app = typer.Typer(
    name="dq",
    cls=_DQGroup,
    help="Customer-data quality: read exports, standardise, validate, match, report.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,  # tracebacks would show local variables: customer data
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _print_version(value: bool) -> None:
    if value:
        from dq import __version__

        typer.echo(f"dq {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    version: bool = typer.Option(
        False,
        "--version",
        callback=_print_version,
        is_eager=True,
        help="Print the version and exit.",
    ),
    debug: bool = typer.Option(False, "--debug", help="Show full tracebacks on errors."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Log progress details to stderr."),
) -> None:
    ctx.obj = {"debug": debug}
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
