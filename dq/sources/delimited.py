"""Delimited text (CSV, semicolon, tab) into a raw table of strings, line numbers kept.

Parsing goes through the :mod:`csv` module, so quoted fields may contain delimiters and line
breaks. Rows that cannot be read (ragged, broken quoting, empty) are not dropped: each becomes a
:class:`Reject` with its physical line, the reason and the raw text.
"""

from __future__ import annotations

import csv
import itertools
import operator
import re
from array import array
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import SupportsIndex, overload

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
_CHUNK_ROWS = 16_384
_FIELD_LIMIT = 2**31 - 1
_NON_BLANK = re.compile(r"\S")
_BLOCK_CHARS = 1 << 20
# Line breaks str.splitlines knows besides CR and LF; CSV does not break lines at them.
_OTHER_BREAKS = re.compile("[\v\f\x1c\x1d\x1e\x85\u2028\u2029]")


@dataclass(frozen=True)
class Reject:
    """A source row that did not become an output row, and why."""

    line: int
    reason: str
    raw: str
    column: str | None = None


class RowTexts(Sequence[str]):
    """Each row's text as in the file: spans (start, end) of the decoded text, not copies."""

    def __init__(self, text: str, spans: np.ndarray) -> None:
        self._text = text
        self._spans = spans

    def __len__(self) -> int:
        return len(self._spans)

    @overload
    def __getitem__(self, index: SupportsIndex) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> list[str]: ...
    def __getitem__(self, index: SupportsIndex | slice) -> str | list[str]:
        if isinstance(index, slice):
            return [self._at(i) for i in range(len(self))[index]]
        return self._at(operator.index(index))

    def _at(self, i: int) -> str:
        start, end = self._spans[i]
        return self._text[start:end].rstrip("\r\n")

    def __iter__(self) -> Iterator[str]:
        return (self._at(i) for i in range(len(self)))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]

    def take(self, positions: np.ndarray) -> list[str]:
        """The texts at these row positions."""
        return [self._at(int(i)) for i in positions]


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
    raw: RowTexts | list[str] = field(default_factory=list)  # each row's text as in the file
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
    source = _LineSource(text)
    lines_in = source.lines()
    for _ in itertools.islice(lines_in, skip_lines):
        pass
    reader = csv.reader(lines_in, delimiter=delim, quotechar='"', strict=True)
    out = _Collector(text)
    bad = {b.line: b for b in bad_lines}
    header: list[str] | None = None
    header_line: int | None = None
    width = 0

    for first, last, row, error in _records(reader, skip_lines):
        blank = error is None and not "".join(row).strip()
        if header is None:
            if error is not None:
                raise InputError(f"the header row cannot be parsed: {error}", path=path, row=first)
            if blank:
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
        if blank:
            if row:
                out.reject(Reject(first, "empty row", source.text_of(first, last)))
            continue
        if error is None and len(row) > width and not "".join(row[width:]).strip():
            row = row[:width]
        if error is None and len(row) == width:
            out.accept(row, first, *source.span(first, last))
        elif error is None and first == last:
            reason = f"row has {len(row)} fields, the header has {width}"
            out.reject(Reject(first, reason, source.text_of(first, last)))
        else:
            # A quote that is never closed swallows the lines after it: read them one by one
            # so that only the line with the stray quote is lost.
            start, stop = source.span(first, last)
            _recover(list(iter_lines(text[start:stop])), first, start, width, delim, out)
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


class _LineSource:
    """The physical lines of a text, split a block at a time by C code (``str.splitlines``
    where the block holds no other line separators), with the offset where each line ends."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.ends: array[int] = array("q")

    def lines(self) -> Iterator[str]:
        """Every physical line with its line end; ``ends`` grows as blocks are handed out."""
        return itertools.chain.from_iterable(self._blocks())

    def _blocks(self) -> Iterator[list[str]]:
        text, pos = self.text, 0
        while pos < len(text):
            cut = text.find("\n", pos + _BLOCK_CHARS)
            stop = len(text) if cut < 0 else cut + 1
            block = text[pos:stop]
            lines = (
                list(iter_lines(block))
                if _OTHER_BREAKS.search(block)
                else block.splitlines(keepends=True)
            )
            ends = itertools.accumulate(map(len, lines), initial=pos)
            next(ends)  # the block's start
            self.ends.extend(ends)
            pos = stop
            yield lines

    def span(self, first: int, last: int) -> tuple[int, int]:
        """Offsets of physical lines ``first..last`` (1-based) in the text."""
        return (self.ends[first - 2] if first > 1 else 0), self.ends[last - 1]

    def text_of(self, first: int, last: int) -> str:
        start, stop = self.span(first, last)
        return self.text[start:stop].rstrip("\r\n")


def _getter(indices: list[int]) -> Callable[[list[str]], tuple[str, ...]]:
    if len(indices) >= 2:
        return itemgetter(*indices)
    if len(indices) == 1:
        only = indices[0]
        return lambda row: (row[only],)
    return lambda row: ()


class _Collector:
    """Accepted rows, moved into Arrow column chunks every few thousand rows; each row's text
    is kept as its span of the decoded file."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.keep: dict[int, str] = {}
        self.rejects: list[Reject] = []
        self.lines: list[int] = []
        self._get: Callable[[list[str]], tuple[str, ...]] = _getter([])
        self._rows: list[tuple[str, ...]] = []
        self._chunks: list[list[pa.Array]] = []
        self._spans: array[int] = array("q")

    def start(self, keep: dict[int, str]) -> None:
        self.keep = keep
        self._get = _getter(list(keep))
        self._chunks = [[] for _ in keep]

    def accept(self, fields: list[str], line: int, start: int, end: int) -> None:
        self._rows.append(self._get(fields))
        self.lines.append(line)
        self._spans.append(start)
        self._spans.append(end)
        if len(self._rows) >= _CHUNK_ROWS:
            self._flush()

    def reject(self, reject: Reject) -> None:
        self.rejects.append(reject)

    def _flush(self) -> None:
        if not self._rows:
            return
        for chunks, values in zip(self._chunks, zip(*self._rows, strict=True), strict=False):
            chunks.append(pa.array(values, type=pa.large_string()))
        self._rows.clear()

    def finish(self) -> tuple[pd.DataFrame, list[int], RowTexts]:
        self._flush()
        columns = {
            name: pd.arrays.ArrowStringArray(pa.chunked_array(chunks, type=pa.large_string()))
            for name, chunks in zip(self.keep.values(), self._chunks, strict=True)
        }
        frame = pd.DataFrame(columns, index=pd.RangeIndex(len(self.lines)))
        spans = np.frombuffer(self._spans, dtype=np.int64).reshape(-1, 2)
        return frame, self.lines, RowTexts(self.text, spans)


def _records(
    reader: Iterator[list[str]], offset: int
) -> Iterator[tuple[int, int, list[str], str | None]]:
    """(first line, last line, fields, error) per CSV record; lines are 1-based physical."""
    prev = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            now = reader.line_num  # type: ignore[attr-defined]
            yield prev + 1 + offset, now + offset, [], str(exc)
            prev = now
            continue
        now = reader.line_num  # type: ignore[attr-defined]
        yield prev + 1 + offset, now + offset, row, None
        prev = now


def _recover(
    record: list[str], first: int, offset: int, width: int, delimiter: str, out: _Collector
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
        out.reject(Reject(first, reason, "\n".join(texts)))
        return
    for n, line, text, row in zip(itertools.count(first), record, texts, parsed, strict=False):
        if row is not None:
            out.accept(row, n, offset, offset + len(line))
        elif text.strip():
            reason = f"unbalanced quote: a quoted field opened on line {first} is not closed"
            if n != first:
                reason = f"unreadable after the unbalanced quote on line {first}"
            out.reject(Reject(n, reason, text))
        offset += len(line)
