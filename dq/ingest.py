"""Ingest: read a workspace's sources (or one file) into canonical tables plus rejects.

Every data row of every file ends in exactly one output: a record, a transaction, an interaction,
or a reject with file, line and reason. :class:`SourceStats` carries the counts per file and the
accounting is checked before anything is returned. Values that were present but could not be
parsed come back in ``parse_issues`` (file, line, column, raw value, reason).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from dq.config import SourceConfig, Workspace
from dq.errors import ConfigError, EmptyFileError, InputError
from dq.schema import (
    INTERACTION_COLUMNS,
    PARSE_ISSUE_COLUMNS,
    RECORD_COLUMNS,
    REJECT_COLUMNS,
    REQUEST_COLUMNS,
    TRANSACTION_COLUMNS,
    conform,
    empty,
)
from dq.sources.bookings import BOOKING_COLUMNS, derive_bookings, keep_debtors
from dq.sources.datev import parse_header, read_datev
from dq.sources.delimited import RawTable, Reject, parse_delimited
from dq.sources.encoding import iter_lines, read_text
from dq.sources.excel import read_excel
from dq.sources.mapping import map_table
from dq.sources.notes import complete_interactions
from dq.sources.profiles import (
    ConnectorProfile,
    list_connectors,
    load_connector,
    source_columns,
)

__all__ = ["IngestResult", "SourceStats", "ingest", "ingest_file", "read_source_file"]

log = logging.getLogger(__name__)

EMPTY = "(empty file)"  # the connector shown for a source file that held nothing


@dataclass(frozen=True)
class SourceStats:
    """Row accounting for one file: rows_read = records + transactions + interactions
    + requests + rejects."""

    source: str
    connector: str
    file: str
    encoding: str | None
    rows_read: int
    records: int
    transactions: int
    interactions: int
    rejects: int
    requests: int = 0

    @property
    def balanced(self) -> bool:
        outputs = self.records + self.transactions + self.interactions + self.requests
        return self.rows_read == outputs + self.rejects


@dataclass
class IngestResult:
    """The canonical tables read from all sources, the rejects, and per-file counts."""

    records: pd.DataFrame
    transactions: pd.DataFrame
    interactions: pd.DataFrame
    rejects: pd.DataFrame
    stats: list[SourceStats] = field(default_factory=list)
    parse_issues: pd.DataFrame = field(default_factory=lambda: empty(PARSE_ISSUE_COLUMNS))
    warnings: list[str] = field(default_factory=list)
    requests: pd.DataFrame = field(default_factory=lambda: empty(REQUEST_COLUMNS))

    def tables(self) -> dict[str, pd.DataFrame]:
        """The output tables by name, as written by ``dq ingest``."""
        return {
            "records": self.records,
            "transactions": self.transactions,
            "interactions": self.interactions,
            "rejects": self.rejects,
            "parse_issues": self.parse_issues,
            **({"requests": self.requests} if len(self.requests) else {}),
        }


def read_source_file(
    path: Path,
    profile: ConnectorProfile,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | int | None = None,
    strict: bool = False,
    workspace_dir: Path | None = None,
) -> RawTable:
    """Read one file with the profile's reader into a raw table (bookings derived for DATEV).

    Lines with undecodable bytes become rejects; ``strict`` refuses the whole file instead.
    """
    wanted = source_columns(profile)
    if profile.reader == "excel":
        return read_excel(path, sheet)
    if profile.reader == "datev":
        wanted |= BOOKING_COLUMNS | {"Konto"}
        header, table = read_datev(
            path, encoding=encoding or profile.encoding, wanted=wanted, strict=strict
        )
        if header.category != profile.datev_category:
            raise InputError(
                f"DATEV category {header.category} ({header.format_name}), but connector "
                f"{profile.name!r} reads category {profile.datev_category}",
                path=path,
                row=1,
                hint=_datev_hint(header.category, workspace_dir),
            )
        if profile.datev is not None and header.category == 21:
            table = derive_bookings(table, header, profile.datev)
        elif profile.datev is not None and header.category == 16 and profile.datev.debtors_only:
            table = keep_debtors(table, header, profile.datev)
        return table
    decoded = read_text(path, encoding or profile.encoding, strict=strict)
    first = next(iter_lines(decoded.text), "")
    if first.lstrip('"').startswith(("EXTF", "DTVF")):
        category = parse_header(first, path).category
        raise InputError(
            f"this is a DATEV file (category {category}), but connector {profile.name!r} reads "
            "plain CSV",
            path=path,
            row=1,
            hint=_datev_hint(category, workspace_dir),
        )
    return parse_delimited(
        decoded.text,
        path,
        delimiter=delimiter or profile.delimiter,
        encoding=decoded.encoding,
        select=lambda names: {i: n for i, n in enumerate(names) if n in wanted},
        bad_lines=decoded.bad_lines,
    )


def _datev_hint(category: int, workspace_dir: Path | None) -> str:
    """Name the connector for a DATEV category, or say that there is none."""
    datev = [p for p in list_connectors(workspace_dir) if p.reader == "datev"]
    fitting = [p.name for p in datev if p.datev_category == category]
    if fitting:
        return f"use connector {' or '.join(fitting)}"
    known = ", ".join(f"{p.datev_category} ({p.name})" for p in datev)
    return f"dq has no connector for DATEV category {category}; it reads categories {known}"


def _rejects_frame(source: str, path: Path, rejects: list[Reject]) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "source": source,
            "file": str(path),
            "line": [r.line for r in rejects],
            "column": [r.column for r in rejects],
            "reason": [r.reason for r in rejects],
            "raw": [r.raw for r in rejects],
        }
    )
    return conform(frame, REJECT_COLUMNS)


def ingest_file(
    path: Path | str,
    connector: str | ConnectorProfile,
    *,
    source: str | None = None,
    records_of: str | None = None,
    workspace_dir: Path | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | int | None = None,
    strict: bool = False,
) -> IngestResult:
    """Read one file with a connector into canonical tables.

    ``source`` names the source (prefix of record IDs; default: the connector's name);
    ``records_of`` is the source that transactions/interactions refer to (default: ``source``);
    ``strict`` refuses a file with undecodable lines instead of rejecting those lines.
    """
    p = Path(path)
    profile = (
        connector
        if isinstance(connector, ConnectorProfile)
        else load_connector(connector, workspace_dir)
    )
    name = source or profile.name
    table = read_source_file(
        p,
        profile,
        encoding=encoding,
        delimiter=delimiter,
        sheet=sheet,
        strict=strict,
        workspace_dir=workspace_dir,
    )
    mapped = map_table(table, profile, name, records_of or name, workspace_dir=workspace_dir)
    rows_read, encoding_used = table.rows_read, table.encoding
    rejects = [*table.rejects, *mapped.rejects]
    del table  # the raw strings and the decoded text: as large as the file, no longer needed
    outputs = {"records": empty(RECORD_COLUMNS), "transactions": empty(TRANSACTION_COLUMNS)}
    outputs["interactions"] = empty(INTERACTION_COLUMNS)
    outputs["requests"] = empty(REQUEST_COLUMNS)
    outputs[profile.produces] = (
        complete_interactions(mapped.frame) if profile.produces == "interactions" else mapped.frame
    )
    stats = SourceStats(
        source=name,
        connector=profile.name,
        file=str(p),
        encoding=encoding_used,
        rows_read=rows_read,
        records=len(outputs["records"]),
        transactions=len(outputs["transactions"]),
        interactions=len(outputs["interactions"]),
        rejects=len(rejects),
        requests=len(outputs["requests"]),
    )
    if not stats.balanced:  # a bug, not bad input: rows must never vanish
        raise AssertionError(f"row accounting does not balance for {p}: {stats}")
    return IngestResult(
        records=outputs["records"],
        transactions=outputs["transactions"],
        interactions=outputs["interactions"],
        rejects=_rejects_frame(name, p, rejects),
        stats=[stats],
        parse_issues=mapped.issues,
        warnings=mapped.warnings,
        requests=outputs["requests"],
    )


def _combine(results: list[IngestResult]) -> IngestResult:
    def cat(name: str, columns: dict[str, str]) -> pd.DataFrame:
        frames = [getattr(r, name) for r in results if len(getattr(r, name))]
        if not frames:
            return empty(columns)  # type: ignore[arg-type]
        if len(frames) == 1:
            return conform(frames[0], columns)  # type: ignore[arg-type]
        # One string storage for every frame, so no column's dtype depends on which file it
        # came from (pandas warns about mixing them).
        text = [c for c, kind in columns.items() if kind == "text"]
        frames = [f.astype({c: "string[pyarrow]" for c in text if c in f}) for f in frames]
        return conform(pd.concat(frames, ignore_index=True), columns)  # type: ignore[arg-type]

    return IngestResult(
        records=cat("records", RECORD_COLUMNS),  # type: ignore[arg-type]
        transactions=cat("transactions", TRANSACTION_COLUMNS),  # type: ignore[arg-type]
        interactions=cat("interactions", INTERACTION_COLUMNS),  # type: ignore[arg-type]
        rejects=cat("rejects", REJECT_COLUMNS),  # type: ignore[arg-type]
        stats=[s for r in results for s in r.stats],
        parse_issues=cat("parse_issues", PARSE_ISSUE_COLUMNS),  # type: ignore[arg-type]
        warnings=[w for r in results for w in r.warnings],
        requests=cat("requests", REQUEST_COLUMNS),  # type: ignore[arg-type]
    )


def ingest(
    workspace: Workspace,
    *,
    progress: Callable[[SourceConfig, Path], None] | None = None,
    strict: bool = False,
) -> IngestResult:
    """Read every source of ``workspace``; record IDs unique across sources are checked.

    An empty file or a glob matching no file is a warning (the source reads no rows); a
    missing file is an error. ``strict`` (or a source's ``strict: true``) refuses files with
    undecodable lines instead of rejecting those lines.
    """
    if not [s for s in workspace.sources if not s.is_website]:
        raise ConfigError(workspace.root / "dq.yaml", ["sources: no sources configured"])
    results: list[IngestResult] = []
    warnings: list[str] = []
    for source in workspace.sources:
        if source.is_website:
            continue  # crawled after standardisation (dq.pipeline), not read from a file
        profile = load_connector(source.connector, workspace.root)
        files = workspace.source_files(source)
        if not files:
            warnings.append(f"source {source.name!r}: no file matches {source.path!r}")
            log.warning("%s", warnings[-1])
            continue
        for path in files:
            if progress is not None:
                progress(source, path)
            log.info("reading source %s file %s with %s", source.name, path.name, profile.name)
            try:
                results.append(
                    ingest_file(
                        path,
                        profile,
                        source=source.name,
                        records_of=source.records_of or source.name,
                        workspace_dir=workspace.root,
                        encoding=source.encoding,
                        delimiter=source.delimiter,
                        sheet=source.sheet,
                        strict=strict or source.strict,
                    )
                )
            except EmptyFileError as exc:
                warnings.append(f"source {source.name!r}: {exc} — no rows read from it")
                log.warning("%s", warnings[-1])
                results.append(_empty_result(source.name, path))
    if not [r for r in results if r.stats[0].connector != EMPTY]:
        raise InputError(f"no source could be read: {'; '.join(warnings)}", path=workspace.root)
    combined = _combine(results)
    combined.warnings[:0] = warnings
    dup = combined.records["record_id"].duplicated(keep=False)
    if dup.any():
        ids = ", ".join(combined.records.loc[dup, "record_id"].drop_duplicates().head(5))
        raise InputError(
            f"record IDs appear in more than one file of the same source: {ids}",
            hint="a source's files must not overlap; split them into sources of their own",
        )
    return combined


def _empty_result(source: str, path: Path) -> IngestResult:
    """A file that held nothing: it is listed with zero rows, so the run accounts for it."""
    stats = SourceStats(source, EMPTY, str(path), None, 0, 0, 0, 0, 0)
    return IngestResult(
        records=empty(RECORD_COLUMNS),
        transactions=empty(TRANSACTION_COLUMNS),
        interactions=empty(INTERACTION_COLUMNS),
        rejects=empty(REJECT_COLUMNS),
        stats=[stats],
    )
