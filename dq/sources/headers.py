"""Does a file's header fit a connector profile? The header check and connector detection.

A profile's columns are its fields and key parts, each counted once however many alternative
header names it accepts. A file whose header holds fewer than the profile's
``min_header_share`` of them is refused with what was expected, what was found and the closest
profile by header overlap, so a wrong connector never maps a file into empty records.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path

from dq.errors import EmptyFileError, InputError
from dq.sources.datev import parse_header
from dq.sources.delimited import RawTable, sniff_delimiter, unique_headers
from dq.sources.encoding import decode_bytes, iter_lines
from dq.sources.profiles import ConnectorProfile, list_connectors

__all__ = ["HeaderFit", "check_header", "detect_connectors", "header_fit"]

_PROBE_BYTES = 65_536


@dataclass(frozen=True)
class HeaderFit:
    """How many of a profile's columns a header holds."""

    profile: str
    found: tuple[str, ...]  # the profile's columns (first accepted name) present in the header
    expected: tuple[str, ...]  # every column of the profile (first accepted name)
    matched: int  # header names the profile reads

    @property
    def share(self) -> float:
        """Found columns as a share of the profile's columns."""
        return len(self.found) / len(self.expected) if self.expected else 0.0


def _groups(profile: ConnectorProfile) -> list[list[str]]:
    """Alternative header names per profile column (field or key part)."""
    groups = [spec.columns() for spec in profile.fields.values() if spec.value is None]
    for key in [*profile.key, *profile.record_key]:
        groups.append([key] if isinstance(key, str) else list(key))
    return [g for g in groups if g and not g[0].startswith("_")]  # "_x": derived by the reader


def header_fit(profile: ConnectorProfile, header: list[str]) -> HeaderFit:
    """How well ``header`` fits ``profile`` (exact header names)."""
    names = set(header)
    groups = _groups(profile)
    seen: set[str] = set()
    expected: list[str] = []
    found: list[str] = []
    for group in groups:
        if group[0] in seen:
            continue
        seen.add(group[0])
        expected.append(group[0])
        if names.intersection(group):
            found.append(group[0])
    accepted = {n for g in groups for n in g}
    return HeaderFit(profile.name, tuple(found), tuple(expected), len(names & accepted))


def _closest(header: list[str], exclude: str, workspace_dir: Path | None) -> HeaderFit | None:
    fits = [
        header_fit(p, header)
        for p in list_connectors(workspace_dir)
        if p.name != exclude and p.reader == "delimited"
    ]
    fits = [f for f in fits if f.matched]
    return max(fits, key=lambda f: (f.matched, f.share), default=None)


def check_header(
    table: RawTable, profile: ConnectorProfile, workspace_dir: Path | None = None
) -> None:
    """Refuse a file whose header holds fewer than ``profile.min_header_share`` of its columns."""
    header = list(dict.fromkeys([*table.header, *table.frame.columns]))
    fit = header_fit(profile, header)
    needed = max(1, math.ceil(profile.min_header_share * len(fit.expected)))
    if len(fit.found) >= needed or not fit.expected:
        return
    closest = _closest(header, profile.name, workspace_dir)
    hint = "check the connector (`dq connectors --detect FILE` suggests one)"
    if closest is not None:
        hint = (
            f"closest connector: {closest.profile} ({closest.matched} of the file's columns); "
            + hint
        )
    shown = ", ".join(repr(h) for h in table.header[:15]) + (" …" if len(table.header) > 15 else "")
    expected = ", ".join(repr(e) for e in fit.expected[:20])
    expected += " …" if len(fit.expected) > 20 else ""
    raise InputError(
        f"connector {profile.name!r} finds {len(fit.found)} of its {len(fit.expected)} columns "
        f"in the header (needs {needed}); expected {expected}; found {shown}",
        path=table.path,
        row=table.header_line,
        hint=hint,
    )


def _first_header(path: Path) -> tuple[list[str], int | None]:
    """The header names of a delimited file, or of a DATEV file (and its category)."""
    try:
        with path.open("rb") as fh:
            data = fh.read(_PROBE_BYTES)
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror}", path=path) from None
    cut = max(data.rfind(b"\n"), data.rfind(b"\r"))
    if cut > 0 and len(data) == _PROBE_BYTES:
        data = data[: cut + 1]
    text = decode_bytes(data, path).text
    lines = [ln for ln in iter_lines(text) if ln.strip()]
    if not lines:
        raise EmptyFileError("the file is empty (no header row)", path=path)
    category = None
    if lines[0].lstrip('"').startswith(("EXTF", "DTVF")):
        category = parse_header(lines[0], path).category
        lines = lines[1:]
    if not lines:
        return [], category
    delimiter = ";" if category is not None else sniff_delimiter(lines)
    row = next(csv.reader([lines[0]], delimiter=delimiter), [])
    return unique_headers(row), category


def detect_connectors(
    path: Path, workspace_dir: Path | None = None, *, limit: int = 3
) -> list[HeaderFit]:
    """The connectors that fit ``path`` best by header overlap (DATEV files by category).

    Only connectors that read at least one of the file's columns are listed, best first.
    """
    header, category = _first_header(path)
    profiles = list_connectors(workspace_dir)
    if category is not None:
        datev = [p for p in profiles if p.reader == "datev" and p.datev_category == category]
        return [header_fit(p, header) for p in datev][:limit]
    fits = [header_fit(p, header) for p in profiles if p.reader == "delimited"]
    fits = [f for f in fits if f.matched]
    fits.sort(key=lambda f: (-f.share, -len(f.found), f.profile))
    return fits[:limit]
