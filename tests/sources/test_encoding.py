"""Encoding detection: UTF-8 with and without BOM, UTF-16, Windows-1252; undecodable bytes are
reported with their line, never replaced."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dq.errors import EncodingError, InputError
from dq.sources.encoding import decode_bytes, read_text

TEXT = "Kundennummer;Name\n1;Müller Straße Größe\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT.encode("utf-16"), "utf-16"),
        (TEXT.encode("cp1252"), "cp1252"),
        ("Preis: 5 €\n".encode("cp1252"), "cp1252"),
        (b"plain ascii\n", "utf-8"),
    ],
)
def test_detects_encoding(data: bytes, encoding: str) -> None:
    decoded = decode_bytes(data, "f.csv")
    assert decoded.encoding == encoding
    assert decoded.text.lstrip("\ufeff") in (TEXT, "Preis: 5 €\n", "plain ascii\n")


def test_bom_is_not_part_of_the_text() -> None:
    assert not decode_bytes(codecs.BOM_UTF8 + b"a;b\n", "f").text.startswith("\ufeff")


def test_mixed_encodings_name_the_line_when_strict() -> None:
    data = "a;b\n1;Müller\n".encode() + "2;Gärtner\n".encode("cp1252")
    with pytest.raises(EncodingError) as info:
        decode_bytes(data, "kunden.csv", strict=True)
    assert info.value.row == 3
    assert "kunden.csv, line 3" in str(info.value)
    assert "0xE4" in str(info.value)


def test_one_bad_line_in_utf8_is_blanked_and_reported() -> None:
    data = "a;b\n1;Müller\n".encode() + "2;Gärtner\n".encode("cp1252") + "3;Öz\n".encode()
    decoded = decode_bytes(data, "kunden.csv")
    assert decoded.encoding == "utf-8"
    assert decoded.text == "a;b\n1;Müller\n\n3;Öz\n"  # line numbers stay true
    [bad] = decoded.bad_lines
    assert (bad.line, bad.raw) == (3, "2;G\\xe4rtner")
    assert "0xE4 at character 4 is not valid UTF-8" in bad.reason
    assert "mixes encodings" in bad.reason


def test_bad_byte_before_any_utf8_still_finds_the_file_utf8() -> None:
    # The first non-ASCII byte is the bad one; later lines are real UTF-8, so the file is UTF-8
    # and only line 2 is lost (not the whole file read as Windows-1252 mojibake).
    data = b"a;b\n1;G\xe4rtner\n" + "2;Müller\n".encode()
    decoded = decode_bytes(data, "x.csv")
    assert decoded.encoding == "utf-8"
    assert "Müller" in decoded.text
    assert [b.line for b in decoded.bad_lines] == [2]


def test_bytes_undefined_in_cp1252_are_reported() -> None:
    data = b"a;b\n1;ok\xe4\n2;bad\x81byte\n"
    decoded = decode_bytes(data, "x.csv")
    assert decoded.encoding == "cp1252"
    assert [(b.line, b.raw) for b in decoded.bad_lines] == [(3, "2;bad\\x81byte")]
    assert "neither UTF-8 nor Windows-1252" in decoded.bad_lines[0].reason
    with pytest.raises(EncodingError) as info:
        decode_bytes(data, "x.csv", strict=True)
    assert info.value.row == 3


def test_forced_encoding_rejects_lines_or_refuses_when_strict() -> None:
    data = "a\nä\nb".encode("cp1252")
    assert [b.line for b in decode_bytes(data, "x.csv", encoding="utf-8").bad_lines] == [2]
    with pytest.raises(EncodingError) as info:
        decode_bytes(data, "x.csv", encoding="utf-8", strict=True)
    assert info.value.row == 2
    assert "requested" in str(info.value)


@pytest.mark.parametrize("forced", ["cp1252", "latin-1", "iso-8859-15"])
def test_forcing_a_single_byte_encoding_on_utf8_is_refused(forced: str) -> None:
    data = "Name\nMüller\nGärtner\n".encode() + b"Gro\xdf\n"
    with pytest.raises(EncodingError, match="garble"):
        decode_bytes(data, "x.csv", encoding=forced)


def test_forced_cp1252_on_cp1252_is_fine() -> None:
    assert decode_bytes("Größe\n".encode("cp1252"), "x", encoding="cp1252").text == "Größe\n"


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_detected(codec: str) -> None:
    decoded = decode_bytes(TEXT.encode(codec), "unicode.txt")
    assert (decoded.encoding, decoded.text) == (codec, TEXT)


def test_nul_bytes_in_one_line_are_named() -> None:
    data = b"a;b\n1;x\n2;\x00\x00y\n3;z\n"
    decoded = decode_bytes(data, "x.csv")
    assert decoded.text == "a;b\n1;x\n\n3;z\n"
    [bad] = decoded.bad_lines
    assert bad.line == 3
    assert "NUL byte" in bad.reason
    with pytest.raises(InputError, match="line 3: NUL byte"):
        decode_bytes(data, "x.csv", strict=True)


def test_mostly_nul_data_is_binary() -> None:
    with pytest.raises(InputError, match="NUL bytes"):
        decode_bytes(b"\x00\x00\x07\x00\x00\x01" * 2000, "x.bin")


def test_unknown_forced_encoding() -> None:
    with pytest.raises(InputError, match="unknown encoding"):
        decode_bytes(b"a", "x.csv", encoding="klingon")


def test_binary_file_is_refused_with_a_hint() -> None:
    with pytest.raises(InputError, match="excel"):
        decode_bytes(b"PK\x03\x04\x00\x00binary", "book.csv")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="file not found"):
        read_text(tmp_path / "nope.csv")


@given(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\ufeff"))
)
def test_any_utf8_text_round_trips(text: str) -> None:
    assert decode_bytes(text.encode("utf-8"), "f").text == text
