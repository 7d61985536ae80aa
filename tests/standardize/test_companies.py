"""Column-wise company standardisation (``dq/standardize/companies.py``) against the per-value path."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dq.standardize.companies import (
    company_columns,
    has_person_name,
    legal_form_columns,
    legal_forms,
    parse_legal_form,
)

SPELLINGS = sorted({s for form in legal_forms() for s in form.spellings})
WORDS = ["Müller", "Bau", "Hans", "Inh.", "Co.", "&", "-", ",", "(", ")", "/", "+", "Verwaltungs",
         "Dr.", "ſ", "İnh", "GMBH", "gmbh.", "ag", "e. K.", "Graf von", "X", "KG", "UG", "."]  # fmt: skip
NAMES = st.lists(st.sampled_from(SPELLINGS) | st.sampled_from(WORDS), min_size=1, max_size=5).map(
    lambda parts: "".join(p if i == 0 else (" " + p if i % 2 else p) for i, p in enumerate(parts))
)


def _per_value(names: list[str | None]) -> pd.DataFrame:
    matches = [parse_legal_form(n) if n else None for n in names]
    return pd.DataFrame(
        {
            "code": pd.array([m.form.code if m else None for m in matches], dtype="string"),
            "rest": pd.array([m.rest if m else None for m in matches], dtype="string"),
        }
    )


@settings(max_examples=300, deadline=None)
@given(names=st.lists(st.none() | NAMES | st.text(max_size=12), max_size=8))
def test_legal_form_columns_equal_parse_legal_form(names: list[str | None]) -> None:
    got = legal_form_columns(pd.Series(names, dtype="string"))
    pd.testing.assert_frame_equal(got, _per_value(names))


@pytest.mark.parametrize(
    ("name", "code", "rest"),
    [
        ("Müller Verwaltungs-GmbH", "GMBH", "Müller Verwaltungs"),
        ("Bau AG & Co. KG", "AG_CO_KG", "Bau"),
        ("Meier UG (haftungsbeschränkt)", "UG", "Meier"),
        ("Schmidt GmbH & Co. KG", "GMBH_CO_KG", "Schmidt"),
        ("Stadtwerke Köln", None, None),
        ("Müller GmbH Niederlassung Köln", "GMBH", "Müller Niederlassung Köln"),
    ],
)
def test_legal_form_columns_examples(name: str, code: str | None, rest: str | None) -> None:
    got = legal_form_columns(pd.Series([name], dtype="string")).iloc[0]
    assert (None if pd.isna(got["code"]) else got["code"]) == code
    assert (None if pd.isna(got["rest"]) else got["rest"]) == rest


def test_company_columns_prefer_the_legal_form_value() -> None:
    out = company_columns(
        pd.Series(["Hans Müller Bau GmbH", "Stadtwerke Köln", None, "Alpha e.K."], dtype="string"),
        pd.Series([None, "AG", "xyz", "GmbH"], dtype="string"),
        pd.Series(["DE", "AT", "DE", "DE"], dtype="string"),
    )
    assert out["legal_form"].tolist() == ["GMBH", "AG", "xyz", "GMBH"]
    assert out["legal_form_known"].tolist() == [True, True, False, True]
    assert out["legal_form_elf"].tolist()[:2] == ["2HBR", "EQOV"]
    assert out["name_core"].tolist()[:2] == ["hans mueller bau", "stadtwerke koeln"]
    assert out["personal_data_in_name"].tolist()[0] is True
    assert pd.isna(out["company_name"][2]) and pd.isna(out["name_core"][2])


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Hans Müller GmbH", True),
        ("Bäckerei Schmidt Inh. Anna Schmidt", True),
        ("İnh. Anna Schmidt", True),  # re matches "İ" as "i" case-insensitively
        ("Dr. Meier Zahnarztpraxis", True),
        ("Graf von Faber-Castell AG", True),
        ("Stadtwerke Köln GmbH", False),
        ("Hans", False),
    ],
)
def test_has_person_name(name: str, expected: bool) -> None:
    assert has_person_name(name) is expected
