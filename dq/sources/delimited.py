"""Delimited text (CSV, semicolon, tab) into a raw table of strings, line numbers kept.

Parsing goes through the :mod:`csv` module, so quoted fields may contain delimiters and line
breaks. Rows that cannot be read (ragged, broken quoting, empty) are not dropped: each becomes a
:class:`Reject` with its physical line, the reason and the raw text.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from dq.errors import InputError

__all__ = [
    "RawTable",
    "Reject",
    "Selector",
    "parse_delimited",
    "sniff_delimiter",
    "string_frame",
    "unique_headers",
]

DELIMITERS = (";", ",", "\t", "|")
_SNIFF_LINES = 50


@dataclass(frozen=True)
class Reject:
    """A source row that did not become an output row, and why."""

    line: int
    reason: str
    raw: str
    column: str | None = None


@dataclass
class RawTable:
    """A source file read into strings: one row per data record, plus what could not be read."""

    path: Path
    frame: pd.DataFrame  # string columns named by the header; "" for empty cells
    lines: list[int]  # physical line (1-based) where each row of `frame` starts
    rejects: list[Reject] = field(default_factory=list)
    encoding: str | None = None
    delimiter: str | None = None
    header_line: int | None = None  # physical line of the header row
    raw: list[str] = field(default_factory=list)  # each row's text as in the file
    header: list[str] = field(default_factory=list)  # every column of the file, kept or not

    @property
    def rows_read(self) -> int:
        """Data rows seen in the file: rows read into the frame plus rows rejected."""
        return len(self.frame) + len(self.rejects)


# Given the header, which columns to keep and under which name (index → name).
Selector = Callable[[list[str]], dict[int, str]]


def string_frame(columns: dict[str, list[str]], length: int) -> pd.DataFrame:
    """A frame of Arrow-backed strings: a fraction of the memory of Python objects, C string ops."""
    return pd.DataFrame(
        {name: pd.array(values, dtype="string[pyarrow]") for name, values in columns.items()},
        index=pd.RangeIndex(length),
    )


def _count_outside_quotes(line: str, delimiter: str) -> int:
    count, quoted = 0, False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif ch == delimiter and not quoted:
            count += 1
    return count


def sniff_delimiter(lines: Sequence[str]) -> str:
    """The delimiter that splits the first lines into the most, most consistent fields."""
    sample = [ln for ln in lines[:_SNIFF_LINES] if ln.strip()]
    if not sample:
        return ","
    best, best_score = ",", (-1.0, 0)
    for delim in DELIMITERS:
        counts = [_count_outside_quotes(ln, delim) for ln in sample]
        header = counts[0]
        if header == 0:
            continue
        consistent = sum(1 for c in counts if c == header) / len(counts)
        score = (consistent, header)
        if score > best_score:
            best, best_score = delim, score
    return best


def unique_headers(names: Sequence[str]) -> list[str]:
    """Header names made unique and non-empty ("Leerfeld", "Leerfeld (2)", "column 7")."""
    seen: Counter[str] = Counter()
    out = []
    for i, raw in enumerate(names, start=1):
        name = raw.strip() or f"column {i}"
        seen[name] += 1
        out.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return out


def parse_delimited(
    text: str,
    path: Path,
    *,
    delimiter: str | None = None,
    skip_lines: int = 0,
    encoding: str | None = None,
    select: Selector | None = None,
) -> RawTable:
    """Parse delimited ``text`` read from ``path`` into a :class:`RawTable`.

    ``skip_lines`` physical lines come before the header (DATEV's header record is one).
    ``select`` picks the columns to keep (all by default); rows are checked against the full
    header either way.
    """
    physical = list(io.StringIO(text, newline=""))
    body = physical[skip_lines:]
    if not any(line.strip() for line in body):
        raise InputError("the file is empty (no header row)", path=path)
    delim = delimiter or sniff_delimiter(body)
    reader = csv.reader(iter(body), delimiter=delim, quotechar='"', strict=True)

    header: list[str] | None = None
    header_line: int | None = None
    keep: dict[int, str] = {}
    columns: list[list[str]] = []
    lines: list[int] = []
    raw: list[str] = []
    rejects: list[Reject] = []

    def accept(fields: list[str], line: int, text: str) -> None:
        for out, i in zip(columns, keep, strict=True):
            out.append(fields[i])
        lines.append(line)
        raw.append(text)

    for start, end, row, error in _records(reader):
        first = start + skip_lines
        record = "".join(body[start - 1 : end]).rstrip("\r\n")
        if header is None:
            if error is not None:
                raise InputError(f"the header row cannot be parsed: {error}", path=path, row=first)
            if not row or all(not c.strip() for c in row):
                continue  # blank lines before the header are not data
            header = unique_headers(row)
            header_line = first
            keep = select(header) if select is not None else dict(enumerate(header))
            columns = [[] for _ in keep]
            continue
        if error is None and (not row or all(not c.strip() for c in row)):
            if row:
                rejects.append(Reject(first, "empty row", record))
            continue
        width = len(header)
        if error is None and len(row) > width and not any(c.strip() for c in row[width:]):
            row = row[:width]
        if error is None and len(row) == width:
            accept(row, first, record)
        elif error is None and start == end:
            reason = f"row has {len(row)} fields, the header has {width}"
            rejects.append(Reject(first, reason, record))
        else:
            # A quote that is never closed swallows the lines after it: read them one by one
            # so that only the line with the stray quote is lost.
            _recover(body, start, end, skip_lines, width, delim, accept, rejects)
    if header is None:
        raise InputError("the file is empty (no header row)", path=path)
    frame = string_frame(dict(zip(keep.values(), columns, strict=True)), len(lines))
    return RawTable(path, frame, lines, rejects, encoding, delim, header_line, raw, header)


def _records(reader: Iterator[list[str]]) -> Iterator[tuple[int, int, list[str], str | None]]:
    """(first line, last line, fields, error) per CSV record; lines relative to the reader."""
    prev = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield prev + 1, reader.line_num, [], str(exc)  # type: ignore[attr-defined]
            prev = reader.line_num  # type: ignore[attr-defined]
            continue
        yield prev + 1, reader.line_num, row, None  # type: ignore[attr-defined]
        prev = reader.line_num  # type: ignore[attr-defined]


def _recover(
    body: Sequence[str],
    start: int,
    end: int,
    offset: int,
    width: int,
    delimiter: str,
    accept: Callable[[list[str], int, str], None],
    rejects: list[Reject],
) -> None:
    """Re-read the physical lines ``start..end`` of a record whose quoting broke, one at a time.

    Lines that read as a full row on their own were swallowed by a stray quote and are kept;
    if none does, the record was merely ragged and is rejected as one row.
    """
    texts = [body[n - 1].rstrip("\r\n") for n in range(start, end + 1)]
    parsed: list[list[str] | None] = []
    for text in texts:
        fields = next(csv.reader([text], delimiter=delimiter, quotechar='"'), [])
        if len(fields) > width and not any(c.strip() for c in fields[width:]):
            fields = fields[:width]
        ok = len(fields) == width and text.count('"') % 2 == 0 and any(c.strip() for c in fields)
        parsed.append(fields if ok else None)
    if not any(p is not None for p in parsed):
        reason = f"a quoted field opened on line {start + offset} is not closed as expected"
        rejects.append(Reject(start + offset, reason, "\n".join(texts)))
        return
    for n, text, row in zip(range(start, end + 1), texts, parsed, strict=True):
        if row is not None:
            accept(row, n + offset, text)
        elif text.strip():
            reason = (
                f"unbalanced quote: a quoted field opened on line {start + offset} is not closed"
            )
            if n != start:
                reason = f"unreadable after the unbalanced quote on line {start + offset}"
            rejects.append(Reject(n + offset, reason, text))
