"""Text encoding detection that never replaces bytes silently.

Accepted: UTF-8 (with or without BOM), UTF-16 with BOM (Excel's "Unicode text"), Windows-1252
(DATEV and most German Windows tools). Bytes that fit none of them are reported with their line.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

from dq.errors import EncodingError, InputError

__all__ = ["DecodedText", "decode_bytes", "read_text"]

_BINARY_PROBE = 8192


@dataclass(frozen=True)
class DecodedText:
    """The decoded text of a file and how it was decoded."""

    text: str
    encoding: str  # "utf-8", "utf-8-sig", "utf-16", "cp1252" or what the user forced


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def decode_bytes(data: bytes, path: Path | str, encoding: str | None = None) -> DecodedText:
    """Decode ``data`` from ``path``: detect the encoding unless one is given.

    Raises :class:`EncodingError` naming the line of the first byte that does not decode.
    """
    if encoding is not None:
        return _decode_strict(data, path, encoding, forced=True)
    if data.startswith(codecs.BOM_UTF8):
        return _decode_strict(data, path, "utf-8-sig")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode_strict(data, path, "utf-16")
    if b"\x00" in data[:_BINARY_PROBE]:
        raise InputError(
            "binary file, not delimited text",
            path=path,
            hint="for .xlsx use the 'excel' connector; otherwise export as CSV",
        )
    try:
        return DecodedText(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as exc:
        # Everything before the bad byte decoded as UTF-8; if it held non-ASCII characters,
        # those were real UTF-8 sequences and the file mixes encodings.
        if not data[: exc.start].isascii():
            line = _line_of(data, exc.start)
            raise EncodingError(
                f"byte 0x{data[exc.start]:02X} is not valid UTF-8, but the rest of the file is "
                "UTF-8: the file mixes encodings",
                path=path,
                row=line,
                hint="re-export the file as UTF-8, or force one with --encoding / 'encoding:'",
            ) from None
    try:
        return DecodedText(data.decode("cp1252"), "cp1252")
    except UnicodeDecodeError as exc:  # the five bytes Windows-1252 leaves undefined
        raise EncodingError(
            f"byte 0x{data[exc.start]:02X} is neither UTF-8 nor Windows-1252",
            path=path,
            row=_line_of(data, exc.start),
            hint="check the file's encoding and force it with --encoding / 'encoding:'",
        ) from None


def _decode_strict(
    data: bytes, path: Path | str, encoding: str, forced: bool = False
) -> DecodedText:
    try:
        return DecodedText(data.decode(encoding), encoding)
    except LookupError:
        raise InputError(f"unknown encoding {encoding!r}", path=path) from None
    except UnicodeDecodeError as exc:
        how = "the requested" if forced else "the detected"
        raise EncodingError(
            f"byte 0x{data[exc.start]:02X} does not decode as {encoding} ({how} encoding)",
            path=path,
            row=_line_of(data, exc.start),
            hint="check the file's encoding",
        ) from None


def read_text(path: Path, encoding: str | None = None) -> DecodedText:
    """Read and decode a text file; a missing or unreadable file is an :class:`InputError`."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError("file not found", path=path) from None
    except IsADirectoryError:
        raise InputError("is a folder, not a file", path=path) from None
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror}", path=path) from None
    return decode_bytes(data, path, encoding)
