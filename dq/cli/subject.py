"""``dq subject QUERY [CONFIG] -o DIR [--as-of]``: a subject access export (Art. 15 DSGVO)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from dq.cli._common import ConfigArg, OutDirOpt, QuietOpt, console
from dq.cli._typer import app
from dq.cli.run import AsOfOpt

__all__ = ["subject_command"]


@app.command("subject")
def subject_command(
    query: Annotated[
        str,
        typer.Argument(help="E-mail, phone, customer number or name of the person (or an ID)."),
    ],
    config: ConfigArg = Path("dq.yaml"),
    out: OutDirOpt = Path("out/subject"),
    as_of: AsOfOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Export everything held about one person: records, contact data, bookings, notes and
    requests across all sources, with sources, purposes, retention and legal basis.

    Writes OUT/subject-<id>.json and OUT/subject-<id>.md, unmasked (the export is for the
    person); nothing about other persons is in it. A query that fits several people is
    refused with their IDs: run again with one of them.
    """
    from dq.config import load_workspace
    from dq.gdpr.subject import subject_access

    workspace = load_workspace(config)
    day = None if as_of is None else as_of.date()
    access, written = subject_access(workspace, query, out, as_of=day)
    if quiet:
        return
    counts = ", ".join(f"{len(frame):,} {name}" for name, frame in access.tables.items())
    console.print(f"Subject {access.subject_id}: {counts}")
    console.print(f"Retention: {access.verdict.get('action')} ({access.verdict.get('rule')})")
    for kind, path in written.items():
        console.print(f"{kind:>10}: → {path}")
