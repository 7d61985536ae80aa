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


def test_mixed_encodings_name_the_line() -> None:
    data = "a;b\n1;Müller\n".encode() + "2;Gärtner\n".encode("cp1252")
    with pytest.raises(EncodingError) as info:
        decode_bytes(data, "kunden.csv")
    assert info.value.row == 3
    assert "kunden.csv, line 3" in str(info.value)
    assert "0xE4" in str(info.value)


def test_bytes_undefined_in_cp1252_are_reported() -> None:
    data = b"a;b\n1;ok\n2;bad\x81byte\n"
    with pytest.raises(EncodingError) as info:
        decode_bytes(data, "x.csv")
    assert info.value.row == 3


def test_forced_encoding_is_strict() -> None:
    with pytest.raises(EncodingError) as info:
        decode_bytes("ä\nö".encode("cp1252"), "x.csv", encoding="utf-8")
    assert info.value.row == 1
    assert "requested" in str(info.value)


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
