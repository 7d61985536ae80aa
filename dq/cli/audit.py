"""``dq audit``: is the customer data ready to migrate into a CRM? Verdict and import files."""

from __future__ import annotations

from contextlib import nullcontext
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from dq.cli._common import OutDirOpt, QuietOpt, console
from dq.cli._typer import app

__all__ = ["audit_command"]


class TargetName(StrEnum):
    hubspot = "hubspot"
    salesforce = "salesforce"
    generic = "generic"


@app.command("audit")
def audit_command(
    config: Annotated[
        Path, typer.Argument(help="dq.yaml, or the workspace folder holding it.")
    ] = Path("dq.yaml"),
    target: Annotated[
        TargetName, typer.Option("--target", "-t", help="The CRM to prepare the import for.")
    ] = TargetName.generic,
    out: OutDirOpt = Path("audit"),
    as_of: Annotated[
        datetime | None,
        typer.Option(
            "--as-of", formats=["%Y-%m-%d"], help="Day retention periods and dates compare with."
        ),
    ] = None,
    target_fields: Annotated[
        Path | None,
        typer.Option(
            "--target-fields",
            help="CSV of the target's picklists: columns 'column' and 'options' (split by ;).",
        ),
    ] = None,
    include_restricted: Annotated[
        bool,
        typer.Option(
            "--include-restricted", help="Also export customers whose data is only restricted."
        ),
    ] = False,
    quiet: QuietOpt = False,
) -> None:
    """Audit a workspace before a CRM migration: readiness verdict, reasons, import files.

    Runs every stage read-only: the workspace and its state database stay byte-identical, and
    nothing is written outside OUT. Writes OUT/audit.html, audit.md, audit.json, the import files
    in the target's layout (split at its limits), field_map.csv and excluded.csv. Exit code 0
    whatever the verdict (read it from audit.json in scripts).
    """
    from dq.audit import audit, write_audit
    from dq.config import load_workspace

    workspace = load_workspace(config)
    day = as_of.date() if as_of is not None else None
    with nullcontext() if quiet else console.status("auditing …"):
        result = audit(
            workspace,
            target.value,
            as_of=day,
            target_fields=target_fields,
            include_restricted=include_restricted,
        )
    write_audit(result, out)
    if quiet:
        return
    colour = {"ready": "green", "ready with warnings": "yellow", "not ready": "red"}
    console.print(Text.assemble("Verdict: ", (result.verdict, f"bold {colour[result.verdict]}")))
    for reason in result.reasons:
        console.print(f"  {reason.level}: {reason.message}")
    for paths in result.written.values():
        for path in paths:
            console.print(f"  wrote {path}")
