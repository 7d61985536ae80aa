"""Entry point of the ``dq`` command: imports every command module, each of which registers itself
on :data:`dq.cli._typer.app` (``from dq.cli._typer import app`` then ``@app.command()``)."""

from __future__ import annotations

import importlib

from dq.cli._typer import app

__all__ = ["app", "main"]

# One line per command module keeps the registry in one place.
_COMMAND_MODULES: tuple[str, ...] = (
    "dq.cli.ingest",
    "dq.cli.connectors_cmd",
    "dq.cli.run",
    "dq.cli.standardize",
    "dq.cli.validate",
    "dq.cli.profile",
    "dq.cli.enrich_web",
    "dq.cli.match",
    "dq.cli.review",
    "dq.cli.audit",
    "dq.cli.report",
    "dq.cli.value",
    "dq.cli.gdpr",
    "dq.cli.subject",
)

for _module in _COMMAND_MODULES:
    importlib.import_module(_module)


def main() -> None:
    """Console-script entry point."""
    app()
