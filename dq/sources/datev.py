"""DATEV EXTF/DTVF files: the header record, and columns found by position per format version.

Line 1 is the header record (format, category, version, fiscal year, period, currency), line 2
the column names, data from line 3. Header names drift between versions, so each column dq reads
is located by its position in the layout table ``data/datev_layouts.yaml`` when the name there
fits, else by name, else by position alone.
"""

from __future__ import annotations

import csv
import logging
import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from dq.errors import InputError
from dq.sources.delimited import RawTable, parse_delimited
from dq.sources.encoding import iter_lines, read_text

__all__ = ["DatevHeader", "parse_header", "read_datev", "resolve_columns"]

log = logging.getLogger(__name__)

_LAYOUTS = Path(__file__).with_name("data") / "datev_layouts.yaml"


@dataclass(frozen=True)
class DatevHeader:
    """The fields of a DATEV header record (line 1) that dq uses."""

    kind: str  # "EXTF" (written by a third-party tool) or "DTVF" (written by DATEV)
    header_version: int
    category: int
    format_name: str
    format_version: int
    fiscal_year_start: date | None
    account_length: int | None
    period_from: date | None
    period_to: date | None
    currency: str | None


def _ymd(value: str) -> date | None:
    value = value.strip()
    if not re.fullmatch(r"\d{8}", value):
        return None
    try:
        return date(int(value[:4]), int(value[4:6]), int(value[6:8]))
    except ValueError:
        return None


def _int(value: str) -> int | None:
    value = value.strip()
    return int(value) if value.isdigit() else None


def parse_header(line: str, path: Path) -> DatevHeader:
    """Parse DATEV's header record; raises :class:`InputError` when line 1 is not one."""
    fields = next(csv.reader([line.rstrip("\r\n")], delimiter=";", quotechar='"'), [])
    if not fields or fields[0].strip() not in {"EXTF", "DTVF"}:
        raise InputError(
            'not a DATEV file: line 1 must be the header record starting with "EXTF" or "DTVF"',
            path=path,
            row=1,
            hint="use a CSV connector for plain CSV files",
        )
    fields += [""] * (31 - len(fields))
    category, version = _int(fields[2]), _int(fields[4])
    if category is None or version is None:
        raise InputError(
            "DATEV header record has no category or format version (fields 3 and 5)",
            path=path,
            row=1,
        )
    return DatevHeader(
        kind=fields[0].strip(),
        header_version=_int(fields[1]) or 0,
        category=category,
        format_name=fields[3].strip(),
        format_version=version,
        fiscal_year_start=_ymd(fields[12]),
        account_length=_int(fields[13]),
        period_from=_ymd(fields[14]),
        period_to=_ymd(fields[15]),
        currency=fields[21].strip() or None,
    )


@cache
def _layouts() -> dict[int, dict[str, Any]]:
    with _LAYOUTS.open(encoding="utf-8") as fh:
        data: dict[int, dict[str, Any]] = yaml.safe_load(fh)
    return data


def _norm(name: str) -> str:
    return re.sub(r"\s+", " ", name.replace("\u2013", "-")).strip().casefold()


def resolve_columns(header: DatevHeader, names: list[str]) -> dict[str, int]:
    """Map each layout column of the file's category to its 0-based index in ``names``."""
    layout = _layouts().get(header.category)
    if layout is None:
        return {}
    positions: dict[str, int] = layout["positions"].get(header.format_version) or {}
    if not positions:
        log.warning(
            "DATEV category %s format version %s has no known layout; columns are found by name",
            header.category,
            header.format_version,
        )
    aliases: dict[str, list[str]] = layout.get("aliases") or {}
    wanted = set(positions) | set(aliases)
    for version_positions in layout["positions"].values():
        wanted |= set(version_positions or {})
    normalised = [_norm(n) for n in names]
    out: dict[str, int] = {}
    for column in sorted(wanted):
        known = {_norm(column), *(_norm(a) for a in aliases.get(column, []))}
        pos = positions.get(column)
        if pos is not None and pos <= len(names) and normalised[pos - 1] in known:
            out[column] = pos - 1
            continue
        by_name = next((i for i, n in enumerate(normalised) if n in known), None)
        if by_name is not None:
            out[column] = by_name
        elif pos is not None and pos <= len(names):
            log.warning("DATEV column %r found by position %d only (header drift)", column, pos)
            out[column] = pos - 1
    return out


def read_datev(
    path: Path,
    *,
    encoding: str | None = None,
    wanted: Collection[str] | None = None,
    strict: bool = False,
) -> tuple[DatevHeader, RawTable]:
    """Read a DATEV file: its header record and a raw table whose layout columns carry their
    canonical DATEV names (e.g. ``EU-USt-IdNr.`` even where the file says ``EU-UStID``).

    ``wanted`` limits the table to these columns (canonical names or plain header names).
    """
    decoded = read_text(path, encoding, strict=strict)
    unreadable = [b for b in decoded.bad_lines if b.line <= 2]
    if unreadable:
        raise InputError(
            f"the DATEV header cannot be read: {unreadable[0].reason}",
            path=path,
            row=unreadable[0].line,
        )
    first = next(iter_lines(decoded.text), "")
    header = parse_header(first, path)

    def select(names: list[str]) -> dict[int, str]:
        mapping = resolve_columns(header, names)
        chosen = {idx: canonical for canonical, idx in mapping.items()}
        for i, name in enumerate(names):
            if i not in chosen and name not in mapping:
                chosen[i] = name
        if wanted is not None:
            chosen = {i: n for i, n in chosen.items() if n in wanted}
        return dict(sorted(chosen.items()))

    table = parse_delimited(
        decoded.text,
        path,
        delimiter=";",
        skip_lines=1,
        encoding=decoded.encoding,
        select=select,
        bad_lines=decoded.bad_lines,
    )
    return header, table
