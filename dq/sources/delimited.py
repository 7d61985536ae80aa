"""Delimited text (CSV, semicolon, tab) into a raw table of strings, line numbers kept.

Parsing goes through the :mod:`csv` module, so quoted fields may contain delimiters and line
breaks. Rows that cannot be read (ragged, broken quoting, empty) are not dropped: each becomes a
:class:`Reject` with its physical line, the reason and the raw text.
"""

from __future__ import annotations

import csv
import itertools
import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import overload

import numpy as np
import pandas as pd
import pyarrow as pa

from dq.errors import EmptyFileError, InputError
from dq.sources.encoding import BadLine, iter_lines

__all__ = [
    "RawTable",
    "Reject",
    "RowTexts",
    "Selector",
    "parse_delimited",
    "sniff_delimiter",
    "string_frame",
    "unique_headers",
]

DELIMITERS = (";", ",", "\t", "|")
_SNIFF_LINES = 50
_CHUNK_ROWS = 65_536
_FIELD_LIMIT = 2**31 - 1
_NON_BLANK = re.compile(r"\S")


@dataclass(frozen=True)
class Reject:
    """A source row that did not become an output row, and why."""

    line: int
    reason: str
    raw: str
    column: str | None = None


class RowTexts(Sequence[str]):
    """Each row's text as in the file, held in Arrow memory rather than as Python strings."""

    def __init__(self, texts: pa.ChunkedArray) -> None:
        self._texts = texts

    def __len__(self) -> int:
        return len(self._texts)

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> list[str]: ...
    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            return list(self._texts[index].to_pylist())
        return str(self._texts[int(index)].as_py())

    def __iter__(self) -> Iterator[str]:
        for chunk in self._texts.chunks:
            yield from chunk.to_pylist()

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]

    def take(self, positions: np.ndarray) -> list[str]:
        """The texts at these row positions."""
        return [str(t) for t in self._texts.take(pa.array(positions, type=pa.int64())).to_pylist()]


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
    raw: Sequence[str] = field(default_factory=list)  # each row's text as in the file
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
    bad_lines: Sequence[BadLine] = (),
) -> RawTable:
    """Parse delimited ``text`` read from ``path`` into a :class:`RawTable`.

    ``skip_lines`` physical lines come before the header (DATEV's header record is one).
    ``select`` picks the columns to keep (all by default); rows are checked against the full
    header either way. ``bad_lines`` (blanked by the decoder) become rejects. Rows are read as a
    stream and stored in Arrow chunks, so memory stays a small multiple of the file.
    """
    if _NON_BLANK.search(text) is None:
        raise EmptyFileError("the file is empty (no header row)", path=path)
    delim = delimiter or sniff_delimiter(
        list(itertools.islice((ln for ln in _body(text, skip_lines) if ln.strip()), _SNIFF_LINES))
    )
    if len(delim) != 1 or delim in '"\r\n':
        raise InputError(
            f"delimiter {delim!r} cannot separate fields", path=path, hint="use one character"
        )
    csv.field_size_limit(_FIELD_LIMIT)  # a long note or an embedded document is still one field
    lines_in = _Lines(_body(text, skip_lines), skip_lines)
    reader = csv.reader(lines_in, delimiter=delim, quotechar='"', strict=True)
    out = _Collector()
    bad = {b.line: b for b in bad_lines}
    header: list[str] | None = None
    header_line: int | None = None
    width = 0

    for first, record, row, error in _records(reader, lines_in):
        if header is None:
            if error is not None:
                raise InputError(f"the header row cannot be parsed: {error}", path=path, row=first)
            if not row or all(not c.strip() for c in row):
                continue  # blank lines before the header are not data
            before = [b for n, b in bad.items() if n < first]
            if before:
                raise InputError(
                    f"a line before the data cannot be read: {before[0].reason}",
                    path=path,
                    row=before[0].line,
                )
            header = unique_headers(row)
            header_line = first
            out.start(select(header) if select is not None else dict(enumerate(header)))
            width = len(header)
            continue
        if error is None and (not row or all(not c.strip() for c in row)):
            if row:
                out.reject(Reject(first, "empty row", _text(record)))
            continue
        if error is None and len(row) > width and not any(c.strip() for c in row[width:]):
            row = row[:width]
        if error is None and len(row) == width:
            out.accept(row, first, _text(record))
        elif error is None and len(record) == 1:
            reason = f"row has {len(row)} fields, the header has {width}"
            out.reject(Reject(first, reason, _text(record)))
        else:
            # A quote that is never closed swallows the lines after it: read them one by one
            # so that only the line with the stray quote is lost.
            _recover(record, first, width, delim, out.accept, out.reject)
    if header is None:
        raise EmptyFileError("the file is empty (no header row)", path=path)
    for line in sorted(bad):
        out.reject(Reject(line, bad[line].reason, bad[line].raw))
    frame, lines, raw = out.finish()
    return RawTable(path, frame, lines, out.rejects, encoding, delim, header_line, raw, header)


def _body(text: str, skip_lines: int) -> Iterator[str]:
    lines = iter_lines(text)
    for _ in itertools.islice(lines, skip_lines):
        pass
    return lines


def _text(record: list[str]) -> str:
    return "".join(record).rstrip("\r\n")


class _Lines:
    """Feeds physical lines to the csv reader and remembers those of the current record."""

    def __init__(self, lines: Iterator[str], offset: int) -> None:
        self._lines = lines
        self.number = offset  # physical line number of the last line handed out
        self.record: list[str] = []

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        self.number += 1
        self.record.append(line)
        return line


class _Collector:
    """Accepted rows gathered column by column; every chunk of rows moves into Arrow memory."""

    def __init__(self) -> None:
        self.keep: dict[int, str] = {}
        self.rejects: list[Reject] = []
        self.lines: list[int] = []
        self._columns: list[list[str]] = []
        self._raw: list[str] = []
        self._chunks: list[list[pa.Array]] = []
        self._raw_chunks: list[pa.Array] = []

    def start(self, keep: dict[int, str]) -> None:
        self.keep = keep
        self._columns = [[] for _ in keep]
        self._chunks = [[] for _ in keep]

    def accept(self, fields: list[str], line: int, text: str) -> None:
        for values, i in zip(self._columns, self.keep, strict=True):
            values.append(fields[i])
        self.lines.append(line)
        self._raw.append(text)
        if len(self._raw) >= _CHUNK_ROWS:
            self._flush()

    def reject(self, reject: Reject) -> None:
        self.rejects.append(reject)

    def _flush(self) -> None:
        for chunks, values in zip(self._chunks, self._columns, strict=True):
            chunks.append(pa.array(values, type=pa.large_string()))
            values.clear()
        self._raw_chunks.append(pa.array(self._raw, type=pa.large_string()))
        self._raw.clear()

    def finish(self) -> tuple[pd.DataFrame, list[int], RowTexts]:
        self._flush()
        columns = {
            name: pd.arrays.ArrowStringArray(pa.chunked_array(chunks, type=pa.large_string()))
            for name, chunks in zip(self.keep.values(), self._chunks, strict=True)
        }
        frame = pd.DataFrame(columns, index=pd.RangeIndex(len(self.lines)))
        raw = RowTexts(pa.chunked_array(self._raw_chunks, type=pa.large_string()))
        return frame, self.lines, raw


def _records(
    reader: Iterator[list[str]], lines: _Lines
) -> Iterator[tuple[int, list[str], list[str], str | None]]:
    """(first line, physical lines, fields, error) per CSV record."""
    while True:
        first = lines.number + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            record, lines.record = lines.record, []
            yield first, record, [], str(exc)
            continue
        record, lines.record = lines.record, []
        yield first, record, row, None


def _recover(
    record: list[str],
    first: int,
    width: int,
    delimiter: str,
    accept: Callable[[list[str], int, str], None],
    reject: Callable[[Reject], None],
) -> None:
    """Re-read the physical lines of a record whose quoting broke, one at a time.

    Lines that read as a full row on their own were swallowed by a stray quote and are kept;
    if none does, the record was merely ragged and is rejected as one row.
    """
    texts = [line.rstrip("\r\n") for line in record]
    parsed: list[list[str] | None] = []
    for text in texts:
        try:
            fields = next(csv.reader([text], delimiter=delimiter, quotechar='"'), [])
        except csv.Error:
            fields = []
        if len(fields) > width and not any(c.strip() for c in fields[width:]):
            fields = fields[:width]
        ok = len(fields) == width and text.count('"') % 2 == 0 and any(c.strip() for c in fields)
        parsed.append(fields if ok else None)
    if not any(p is not None for p in parsed):
        reason = f"a quoted field opened on line {first} is not closed as expected"
        reject(Reject(first, reason, "\n".join(texts)))
        return
    for n, text, row in zip(range(first, first + len(texts)), texts, parsed, strict=True):
        if row is not None:
            accept(row, n, text)
        elif text.strip():
            reason = f"unbalanced quote: a quoted field opened on line {first} is not closed"
            if n != first:
                reason = f"unreadable after the unbalanced quote on line {first}"
            reject(Reject(n, reason, text))
