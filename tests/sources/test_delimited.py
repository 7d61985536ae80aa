"""Delimited parsing: delimiters, quoted line breaks, and that every data row is accounted for."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dq.errors import InputError
from dq.sources.delimited import parse_delimited, sniff_delimiter, unique_headers
from dq.sources.encoding import BadLine

P = Path("test.csv")


@pytest.mark.parametrize(
    ("text", "delimiter"),
    [
        ("a;b;c\n1;2;3\n", ";"),
        ("a,b,c\n1,2,3\n", ","),
        ("a\tb\tc\n1\t2\t3\n", "\t"),
        ("a|b\n1|2\n", "|"),
        ('name;amount\n"Müller, Hans";1,50\n', ";"),  # commas inside values do not fool it
        ('Name,Betrag\n"Meier; Söhne",3\n', ","),
    ],
)
def test_sniff_delimiter(text: str, delimiter: str) -> None:
    assert sniff_delimiter(text.splitlines()) == delimiter


def test_quoted_line_breaks_and_delimiters() -> None:
    table = parse_delimited(
        'ID,Street,City\r\n1,"Zeil 1\r\n3. OG",Frankfurt\r\n2,"A, B",Köln\r\n', P
    )
    assert table.frame["Street"].tolist() == ["Zeil 1\r\n3. OG", "A, B"]
    assert table.lines == [2, 4]
    assert table.rejects == []


def test_ragged_rows_are_rejected_with_line_and_raw_text() -> None:
    table = parse_delimited("a;b;c\n1;2\n4;5;6;7\n8;9;10;;\n", P)
    assert table.frame.values.tolist() == [["8", "9", "10"]]  # trailing empty fields are fine
    assert [(r.line, r.raw) for r in table.rejects] == [(2, "1;2"), (3, "4;5;6;7")]
    assert "2 fields" in table.rejects[0].reason


def test_unclosed_quote_loses_only_its_own_line() -> None:
    table = parse_delimited('a;b;c\n1;"oops;3\n4;5;6\n7;"8";9\n10;11;12\n', P)
    assert table.frame["a"].tolist() == ["4", "7", "10"]
    assert table.lines == [3, 4, 5]
    assert [r.line for r in table.rejects] == [2]
    assert "unbalanced quote" in table.rejects[0].reason


def test_unclosed_quote_at_end_of_file() -> None:
    table = parse_delimited('a;b\n1;2\n3;"truncated\n', P)
    assert table.frame["a"].tolist() == ["1"]
    assert [r.line for r in table.rejects] == [3]


def test_empty_rows_are_rejects_blank_lines_are_not_rows() -> None:
    table = parse_delimited("a;b;c\n;;\n\n1;2;3\n", P)
    assert table.frame["a"].tolist() == ["1"]
    assert [(r.line, r.reason) for r in table.rejects] == [(2, "empty row")]


def test_header_only_file_has_no_rows() -> None:
    table = parse_delimited("a;b;c\r\n", P)
    assert list(table.frame.columns) == ["a", "b", "c"]
    assert table.rows_read == 0


@pytest.mark.parametrize("text", ["", "\n\n", "   \r\n"])
def test_empty_file_is_an_input_error(text: str) -> None:
    with pytest.raises(InputError, match="empty"):
        parse_delimited(text, P)


def test_skip_lines_offsets_line_numbers() -> None:
    table = parse_delimited('"EXTF";700\nKonto;Name\n10000;"A"\n', P, delimiter=";", skip_lines=1)
    assert table.lines == [3]
    assert table.header_line == 2


def test_unique_headers() -> None:
    assert unique_headers(["Leerfeld", "x", "Leerfeld", " "]) == [
        "Leerfeld",
        "x",
        "Leerfeld (2)",
        "column 4",
    ]


cell = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r\n"),
    max_size=8,
)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.lists(cell, min_size=1, max_size=4), min_size=0, max_size=12),
    st.sampled_from([";", ","]),
)
def test_every_row_is_accounted_for(rows: list[list[str]], delimiter: str) -> None:
    """Whatever the rows (ragged, quotes, delimiters in values), rows out + rejects = rows in."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
    writer.writerow(["h1", "h2", "h3"])
    writer.writerows(rows)
    table = parse_delimited(buf.getvalue(), P, delimiter=delimiter)
    assert table.rows_read == len(rows)  # the csv writer never writes a blank line for a row

    def kept(r: list[str]) -> bool:
        width_ok = len(r) == 3 or (len(r) > 3 and not any(c.strip() for c in r[3:]))
        return width_ok and any(c.strip() for c in r)

    assert table.frame.values.tolist() == [r[:3] for r in rows if kept(r)]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from('ab;"\n\r x'), max_size=60))
def test_arbitrary_text_keeps_every_nonblank_line(text: str) -> None:
    """Broken quoting included: each non-blank physical line is a row's first line, inside a
    row, or a reject; no row has the wrong width."""
    table = parse_delimited("a;b\n" + text, P, delimiter=";")
    assert all(len(row) == 2 for row in table.frame.values.tolist())
    assert len(table.frame) == len(table.lines)
    if text.strip():
        assert table.rows_read >= 1


def test_a_field_beyond_the_csv_module_limit() -> None:
    big = "x" * 300_000
    table = parse_delimited(f"a;b\n1;{big}\n2;y\n", P)
    assert table.frame["b"].str.len().tolist() == [300_000, 1]


def test_bad_lines_from_the_decoder_become_rejects() -> None:
    bad = BadLine(3, "NUL byte (0x00) at character 3", "2;\\x00")
    table = parse_delimited("a;b\n1;x\n\n3;z\n", P, bad_lines=[bad])
    assert table.frame["a"].tolist() == ["1", "3"]
    assert [(r.line, r.reason) for r in table.rejects] == [(3, bad.reason)]
    assert table.rows_read == 3


def test_a_bad_line_before_the_header_refuses_the_file() -> None:
    with pytest.raises(InputError, match="line 1: a line before the data cannot be read"):
        parse_delimited("\na;b\n1;2\n", P, bad_lines=[BadLine(1, "NUL byte", "\\x00")])


@pytest.mark.parametrize("separator", ["\u2028", "\x0b", "\x0c", "\x1c", "\x85"])
def test_only_cr_and_lf_break_lines(separator: str) -> None:
    table = parse_delimited(f"a;b\n1;x{separator}y\n2;z\n", P)
    assert table.frame["b"].tolist() == [f"x{separator}y", "z"]
    assert table.lines == [2, 3]


def test_row_texts_are_the_file_lines() -> None:
    table = parse_delimited('a;b\r\n1;"x\r\ny"\r\n2;z\r\n', P)
    assert list(table.raw) == ['1;"x\r\ny"', "2;z"]
    assert table.raw[1] == "2;z"


def test_lines_across_read_blocks_keep_their_numbers() -> None:
    rows = [f"{i};{'v' * 97}" for i in range(30_000)]  # about 3 MB: several read blocks
    table = parse_delimited("a;b\n" + "\n".join(rows) + "\n", P)
    assert table.lines[-1] == 30_001
    assert table.raw[25_000] == rows[25_000]
    assert table.frame["a"].iloc[-1] == "29999"


def test_rows_recovered_after_a_stray_quote_keep_their_own_text() -> None:
    table = parse_delimited('a;b;c\r\n1;"oops;3\r\n4;5;6\r\n7;"8";9\r\n', P)
    assert list(table.raw) == ["4;5;6", '7;"8";9']
    assert [(r.line, r.raw) for r in table.rejects] == [(2, '1;"oops;3')]
