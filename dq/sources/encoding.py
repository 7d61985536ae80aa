"""Text encoding detection that never replaces bytes silently.

Accepted: UTF-8 (with or without BOM), UTF-16 with BOM (Excel's "Unicode text") or without one
(detected from its NUL bytes), Windows-1252 (DATEV and most German Windows tools). A line holding
bytes that fit the file's encoding nowhere, or NUL bytes, becomes a :class:`BadLine` (the caller
rejects that row and reads the rest); with ``strict`` the first one refuses the whole file.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from dq.errors import EncodingError, InputError

__all__ = ["BadLine", "DecodedText", "decode_bytes", "iter_lines", "read_text"]

_PROBE = 8192
# Bytes a decoder could not read are kept as lone surrogates (errors="surrogateescape").
_BAD_CHAR = re.compile("[\udc80-\udcff\x00]")
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
_SIGNATURES = {
    b"PK\x03\x04": "a zip archive (an .xlsx/.ods workbook?)",
    b"\xd0\xcf\x11\xe0": "an old Excel/Office file (.xls)",
    b"%PDF": "a PDF document",
    b"SQLite format 3\x00": "an SQLite database",
}
_UTF8_NAMES = {"utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32"}


@dataclass(frozen=True)
class BadLine:
    """A physical line whose bytes do not decode (or hold NULs); it is blanked in the text."""

    line: int
    reason: str
    raw: str  # the line with undecodable bytes shown as \\xNN


@dataclass(frozen=True)
class DecodedText:
    """The decoded text of a file, how it was decoded, and the lines that could not be."""

    text: str
    encoding: str  # "utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1252" or what was forced
    bad_lines: tuple[BadLine, ...] = ()


def iter_lines(text: str) -> Iterator[str]:
    """Physical lines with their line ends, split at CR LF, LF or CR only (as CSV readers do)."""
    for match in _LINE.finditer(text):
        yield match.group()


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _utf16_without_bom(probe: bytes) -> str | None:
    """``utf-16-le``/``-be`` when the NUL bytes sit on every other byte, as in UTF-16 text."""
    probe = probe[: len(probe) - len(probe) % 2]
    if len(probe) < 4:
        return None
    even, odd = probe[0::2], probe[1::2]
    half = len(probe) // 2
    if odd.count(0) > 0.4 * half and even.count(0) < 0.05 * half:
        return "utf-16-le"
    if even.count(0) > 0.4 * half and odd.count(0) < 0.05 * half:
        return "utf-16-be"
    return None


def decode_bytes(
    data: bytes, path: Path | str, encoding: str | None = None, *, strict: bool = False
) -> DecodedText:
    """Decode ``data`` from ``path``: detect the encoding unless one is given.

    Lines with undecodable bytes or NULs come back as ``bad_lines`` (blanked in the text);
    with ``strict`` the first raises :class:`EncodingError` naming its line.
    """
    for signature, what in _SIGNATURES.items():
        if data.startswith(signature):
            raise InputError(
                f"binary file, not delimited text: {what}",
                path=path,
                hint="for .xlsx use the 'excel' connector; otherwise export as CSV",
            )
    if encoding is not None:
        return _decode_forced(data, path, encoding, strict)
    if data.startswith(codecs.BOM_UTF8):
        return _decode_lines(data, path, "utf-8-sig", strict)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode_whole(data, path, "utf-16", "UTF-16")
    probe = data[:_PROBE]
    utf16 = _utf16_without_bom(probe)
    if utf16 is not None:
        name = f"UTF-16 ({'little' if utf16.endswith('le') else 'big'}-endian) without a BOM"
        return _decode_whole(data, path, utf16, name)
    if probe.count(0) > 0.3 * len(probe):
        raise InputError(
            f"binary data, not delimited text: {probe.count(0)} of the first {len(probe)} bytes "
            "are NUL bytes",
            path=path,
            hint="export the data as CSV (UTF-8 or Windows-1252)",
        )
    try:
        return _checked(DecodedText(data.decode("utf-8"), "utf-8"), path, strict)
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", errors="surrogateescape")
    if _has_real_non_ascii(text):  # valid multi-byte UTF-8 elsewhere: the file is UTF-8
        return _checked(DecodedText(text, "utf-8"), path, strict, mixed=True)
    return _decode_lines(data, path, "cp1252", strict)


def _has_real_non_ascii(text: str) -> bool:
    return re.search("[\x80-\udc7f\udd00-\U0010ffff]", text) is not None


def _decode_forced(data: bytes, path: Path | str, encoding: str, strict: bool) -> DecodedText:
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        raise InputError(f"unknown encoding {encoding!r}", path=path) from None
    if name not in _UTF8_NAMES and not data.isascii():
        as_utf8 = data.decode("utf-8", errors="surrogateescape")
        bad = len(_BAD_CHAR.findall(as_utf8))
        real = len(re.findall("[\x80-\udc7f\udd00-\U0010ffff]", as_utf8))
        if real and real >= bad:
            raise EncodingError(
                f"the file is UTF-8 ({real} non-ASCII characters decode as UTF-8); reading it as "
                f"{encoding} would garble them silently (Ã¼ for ü)",
                path=path,
                hint="drop the forced encoding: lines that are not UTF-8 are then rejected one "
                "by one",
            )
    return _decode_lines(data, path, encoding, strict, forced=True)


def _decode_whole(data: bytes, path: Path | str, encoding: str, name: str) -> DecodedText:
    try:
        return DecodedText(data.decode(encoding), encoding)
    except UnicodeDecodeError as exc:
        raise EncodingError(
            f"the file is {name}, but bytes at offset {exc.start} do not decode ({exc.reason})",
            path=path,
            hint="re-export the file as UTF-8",
        ) from None


def _decode_lines(
    data: bytes, path: Path | str, encoding: str, strict: bool, forced: bool = False
) -> DecodedText:
    try:
        text = data.decode(encoding, errors="surrogateescape")
    except UnicodeDecodeError as exc:  # multi-byte codecs that cannot escape a byte
        raise EncodingError(
            f"byte 0x{data[exc.start]:02X} does not decode as {encoding}",
            path=path,
            row=_line_of(data, exc.start),
            hint="check the file's encoding",
        ) from None
    return _checked(DecodedText(text, encoding), path, strict, forced=forced)


def _checked(
    decoded: DecodedText,
    path: Path | str,
    strict: bool,
    *,
    mixed: bool = False,
    forced: bool = False,
) -> DecodedText:
    """Find the lines holding undecodable bytes or NULs; blank them, or raise when strict."""
    text, encoding = decoded.text, decoded.encoding
    if _BAD_CHAR.search(text) is None:
        return decoded
    bad: list[BadLine] = []
    kept: list[str] = []
    for number, line in enumerate(iter_lines(text), start=1):
        hit = _BAD_CHAR.search(line)
        if hit is None:
            kept.append(line)
            continue
        body = line.rstrip("\r\n")
        kept.append(line[len(body) :])  # keep the line end: line numbers stay true
        shown = body.replace("\x00", "\\x00").encode(encoding, "surrogateescape")
        raw = shown.decode(encoding, "backslashreplace")
        reason = _reason(hit.group(), encoding, hit.start() + 1, mixed=mixed, forced=forced)
        if strict:
            hint = "re-export the file as UTF-8, or drop 'strict' to reject only such lines"
            if hit.group() == "\x00":
                raise InputError(reason, path=path, row=number, hint=hint)
            raise EncodingError(reason, path=path, row=number, hint=hint)
        bad.append(BadLine(number, reason, raw))
    return DecodedText("".join(kept), encoding, tuple(bad))


def _reason(char: str, encoding: str, column: int, *, mixed: bool, forced: bool) -> str:
    if char == "\x00":
        return f"NUL byte (0x00) at character {column}: the line holds binary data"
    byte = f"0x{ord(char) - 0xDC00:02X}"
    if mixed:
        return (
            f"byte {byte} at character {column} is not valid UTF-8, but the rest of the file "
            "is UTF-8: the file mixes encodings"
        )
    if encoding == "cp1252" and not forced:
        return f"byte {byte} at character {column} is neither UTF-8 nor Windows-1252"
    how = "the requested" if forced else "the detected"
    return f"byte {byte} at character {column} does not decode as {encoding} ({how} encoding)"


def read_text(path: Path, encoding: str | None = None, *, strict: bool = False) -> DecodedText:
    """Read and decode a text file; a missing or unreadable file is an :class:`InputError`."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError("file not found", path=path) from None
    except IsADirectoryError:
        raise InputError("is a folder, not a file", path=path) from None
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror}", path=path) from None
    return decode_bytes(data, path, encoding, strict=strict)
