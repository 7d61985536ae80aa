"""Comparisons: levels per kind on hand-made standardised pairs, spec loading and errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dq.errors import ConfigError
from dq.match.comparisons import compare, load_comparisons, parse_comparisons
from dq.match.similarity import truncated

SPEC = {c.name: c for c in load_comparisons()}
SPEC["street"] = parse_comparisons(
    {
        "comparisons": [
            {
                "name": "street",
                "kind": "street",
                "columns": ["street", "house_number"],
                "thresholds": [0.9],
            }
        ]
    }
)[0]


def _level(name: str, left: dict[str, str | None], right: dict[str, str | None]) -> str:
    frame = pd.DataFrame([left, right], dtype="string")
    comp = SPEC[name]
    vectors = compare(frame, np.array([0]), np.array([1]), [comp])
    return comp.labels()[int(vectors.levels[name][0])]


@pytest.mark.parametrize(
    ("left", "right", "level"),
    [
        ("mueller bau", "mueller bau", "exact"),
        ("mueller bau", "bau mueller", "close>=0.92"),  # token order does not matter
        ("mueller bau", "mueler bau", "close>=0.92"),
        ("mueller bau", "muelelr bau", "close>=0.8"),
        ("mueller bau", "mueller bau nord", "subset"),
        ("mueller bau", "mueller", "subset"),
        ("schmidt logistik", "schmid logistic", "close>=0.8"),
        ("mueller bau", "schmidt logistik", "far"),
        ("mueller bau", None, "missing"),
        # cut off by a field-length limit inside a word: the long name it was cut from
        ("plv programm lizenzvermar", "plv programm lizenzvermarktungsgesellschaft", "subset"),
        ("rheinische grundstuecksverw", "rheinische grundstuecksverwaltung", "subset"),
        ("mueller bau", "mueller bauer", "close>=0.8"),  # too short to be a cut: another name
        ("rheinische grundstuecksverw", "rheinische grundstuecksverkehr", "close>=0.8"),
        # words abbreviated ("Int.", "StB", "Gebr.", "…ges."): the same name written short
        ("weidner int", "weidner international", "subset"),
        ("ostwald stb", "ostwald steuerberatung", "subset"),
        ("gebr albers", "gebrueder albers", "subset"),
        ("kamp verlagsges", "kamp verlagsgesellschaft", "subset"),
        ("ostwald stb", "ostwald steinbau", "subset"),  # as far as letters can tell
        ("ostwald stb", "ostwald holzbau", "far"),  # not the same first letter
        ("ostwald int", "nordmann international", "far"),  # the other words must agree
    ],
)
def test_company_name_levels(left: str, right: str | None, level: str) -> None:
    assert _level("name_core", {"name_core": left}, {"name_core": right}) == level


@pytest.mark.parametrize(
    ("left", "right", "level"),
    [
        ("GMBH", "GMBH", "same"),
        ("GMBH", "GMBH_CO_KG", "different"),  # Müller Bau GmbH is not Müller Bau GmbH & Co. KG
        ("GMBH", "UG", "compatible"),
        ("GmbH & Co. KG", "GMBH_CO_KG", "same"),  # compared without case and punctuation
        # "KG" is written short for "GmbH & Co. KG" (and "UG & Co. KG"): compatible with
        # both, while the two long forms stay apart from each other and from GmbH
        ("KG", "GMBH_CO_KG", "compatible"),
        ("KG", "UG_CO_KG", "compatible"),
        ("GMBH_CO_KG", "AG_CO_KG", "different"),
        ("KG", "GMBH", "different"),
        ("OHG", "GMBH_CO_OHG", "compatible"),
        ("EK", "EINZELFIRMA", "compatible"),
        ("EK", "EU", "compatible"),  # Austrian e.U.
        ("AG", "SE", "compatible"),
        ("AG", "SA", "compatible"),  # Swiss AG in French
        ("GMBH", "SARL", "compatible"),  # Swiss GmbH in French (Sàrl)
        ("OHG", "OG", "compatible"),  # the Austrian OHG
        ("AG", "EK", "different"),
        (None, "AG", "missing"),
    ],
)
def test_legal_form_levels(left: str | None, right: str, level: str) -> None:
    assert _level("legal_form", {"legal_form": left}, {"legal_form": right}) == level


@pytest.mark.parametrize(
    ("left", "right", "level"),
    [
        (("anna", "mueller"), ("anna", "mueller"), "exact"),
        (("anna", "mueller"), ("mueller", "anna"), "swapped"),
        (("anna", "mueller"), ("a", "mueller"), "initial"),
        (("anna", "mueller"), (None, "mueller"), "initial"),
        (("anna", "mueller"), ("anna", "mueler"), "close"),
        # one typo in a short first name: as close as a typo in the last name
        (("felix", "schmidt"), ("fnlix", "schmidt"), "close"),
        (("dieter", "gross"), ("dioter", "gross"), "close"),
        (("anna", "mueller"), ("peter", "mueller"), "last_only"),
        (("anna", "mueller"), ("peter", "schmidt"), "far"),
        # a typo in the last name does not turn "another first name" into a contradiction
        (("natalia", "gredn"), ("william", "green"), "last_only"),
        (("anna", "mueller"), ("peter", "muller"), "last_only"),
        (("anna", "meier"), ("peter", "mayer"), "far"),  # too far apart for a typo
        # one name in the other field, the other name another one: not a contradiction
        (("berry", "emily"), ("sam", "berry"), "last_only"),
        (("bullock", "holly"), ("adele", "bullcok"), "last_only"),
        # the same first name, another last name: a marriage or a colleague, EM weighs it
        (("anna", "mueller"), ("anna", "schmidt"), "first_only"),
        # swapped, and then an initial or a typo on top (real records: "Otto A." and
        # "Angelika Otto", "Arnold Edik" and "Erik Arnold")
        (("otto", "a."), ("angelika", "otto"), "swapped"),
        (("arnold", "edik"), ("erik", "arnold"), "swapped"),
        (("anna", None), ("anna", "mueller"), "missing"),
    ],
)
def test_person_name_levels(
    left: tuple[str | None, str | None], right: tuple[str | None, str | None], level: str
) -> None:
    def row(v: tuple[str | None, str | None]) -> dict[str, str | None]:
        return {"first_name": v[0], "last_name": v[1]}

    assert _level("person_name", row(left), row(right)) == level


@pytest.mark.parametrize(
    ("left", "right", "level"),
    [
        (("hauptstrasse", "12"), ("hauptstrasse", "12"), "exact"),
        (("hauptstrasse", "12"), ("hauptstrase", "12"), "close"),
        (("hauptstrasse", "12"), ("hauptstrasse", "14"), "number_differs"),
        (("hauptstrasse", "12"), ("gartenweg", "12"), "far"),
        ((None, "12"), ("gartenweg", "12"), "missing"),
    ],
)
def test_street_levels(
    left: tuple[str | None, str], right: tuple[str | None, str], level: str
) -> None:
    def row(v: tuple[str | None, str]) -> dict[str, str | None]:
        return {"street": v[0], "house_number": v[1]}

    assert _level("street", row(left), row(right)) == level


@pytest.mark.parametrize(
    ("left", "right", "level"),
    [
        (
            ("hauptstrasse", "12", "10115", "berlin"),
            ("hauptstrasse", "12", "10115", "berlin"),
            "exact",
        ),
        (("hauptstrasse", "12", "10115", "berlin"), ("hauptstrase", "14", "10115", None), "street"),
        (
            ("hauptstrasse", "12", "10115", "berlin"),
            ("gartenweg", "1", "10115", "berlin"),
            "postcode",
        ),
        (
            ("hauptstrasse", "12", "10115", "berlin"),
            ("hauptstrasse", "12", "10117", "berlin"),
            "city",
        ),
        ((None, None, None, "berlin"), ("gartenweg", "1", None, "berlin"), "city_no_street"),
        # a street missing on one side is unknown, not another street
        (
            ("hauptstrasse", "12", "10115", "berlin"),
            (None, None, "10115", "berlin"),
            "postcode_no_street",
        ),
        (("hauptstrasse", "12", "10115", "berlin"), ("gartenweg", "1", "10117", "berlin"), "city"),
        (
            ("hauptstrasse", "12", "10115", "berlin"),
            ("hauptstrasse", "12", "80331", "muenchen"),
            "far",
        ),
        ((None, None, None, None), ("gartenweg", "1", "10115", "berlin"), "missing"),
    ],
)
def test_address_levels(
    left: tuple[str | None, ...], right: tuple[str | None, ...], level: str
) -> None:
    def row(v: tuple[str | None, ...]) -> dict[str, str | None]:
        return dict(zip(("street", "house_number", "postcode", "city"), v, strict=True))

    assert _level("address", row(left), row(right)) == level


@pytest.mark.parametrize(
    ("name", "left", "right", "level"),
    [
        ("vat_id", "DE123456788", "DE123456788", "exact"),
        ("vat_id", "DE123456788", "DE987654328", "different"),
        ("phone", "+4930123456", "+4930123457", "close"),
        ("mobile", "+4917612345678", "+4917612345678", "exact"),
        ("mobile", "+4917612345678", "+4915198765432", "far"),
        ("email", "info@mueller-bau.de", "info@mueller-bau.de", "exact"),
        ("domain", "mueller-bau.de", "mueller.de", "different"),
        # a tax number is not checked by standardisation: one digit off is a typo, not a conflict
        ("tax_number", "21/815/08150", "21/815/08150", "exact"),
        ("tax_number", "21/815/08150", "21/815/08159", "close>=0.85"),
        ("tax_number", "123456789", "123465789", "close>=0.85"),  # two digits transposed
        ("tax_number", "21/815/08150", "93/107/44211", "far"),
        # dates of birth are compared by their digits YYYYMMDD
        ("birth_date", "1975-11-09", "1975-11-09", "exact"),
        ("birth_date", "1975-11-09", "1975-11-08", "close>=0.85"),  # one digit typed wrong
        ("birth_date", "1975-11-09", "1957-11-09", "close>=0.85"),  # two digits swapped
        ("birth_date", "1975-11-09", "1975-09-11", "far"),  # day and month exchanged
        ("birth_date", "1975-11-09", "1981-03-02", "far"),
    ],
)
def test_simple_levels(name: str, left: str, right: str, level: str) -> None:
    column = SPEC[name].columns[0]
    assert _level(name, {column: left}, {column: right}) == level


def test_generic_spec_for_other_datasets() -> None:
    comps = parse_comparisons(
        {"comparisons": [{"name": "surname", "scorer": "jaro_winkler", "thresholds": [0.9]}]}
    )
    frame = pd.DataFrame({"surname": ["jonathan", "jonathon", "jones"]}, dtype="string")
    vectors = compare(frame, np.array([0, 0]), np.array([1, 2]), comps)
    assert [comps[0].labels()[x] for x in vectors.levels["surname"]] == ["close>=0.9", "far"]


def test_tf_frequencies_only_for_exact_agreements() -> None:
    comps = parse_comparisons({"comparisons": [{"name": "n", "tf": True}]})
    frame = pd.DataFrame({"n": ["a", "a", "a", "b"]}, dtype="string")
    vectors = compare(frame, np.array([0, 2]), np.array([1, 3]), comps)
    assert vectors.tf_freq["n"][0] == pytest.approx(0.75)
    assert np.isnan(vectors.tf_freq["n"][1])
    assert vectors.tf_baseline["n"] == pytest.approx(0.75**2 + 0.25**2)


def test_tf_frequencies_at_close_levels_take_the_more_common_value() -> None:
    # "christina schmidt" is common, "christian schmidt" rarer: agreeing closely on them is
    # judged by the common one; a close level not named in tf_levels gets no adjustment
    first = ["christina"] * 3 + ["christian", "petra", "petra"]
    last = ["schmidt"] * 4 + ["meyer", "mayer"]
    frame = pd.DataFrame({"first_name": first, "last_name": last}, dtype="string")
    left, right = np.array([0, 0, 4]), np.array([1, 3, 5])
    comp = SPEC["person_name"]
    assert comp.tf_levels == ("exact", "close")
    vectors = compare(frame, left, right, [comp])
    labels = [comp.labels()[x] for x in vectors.levels["person_name"]]
    assert labels == ["exact", "close", "close"]
    # a close agreement on two rare names counts as average (sum of squared frequencies), not
    # rarer: Petra Meyer and Petra Mayer may be relatives however rare the family name
    average = 0.5**2 + 3 * (1 / 6) ** 2
    assert vectors.tf_freq["person_name"].tolist() == pytest.approx([0.5, 0.5, average])
    assert vectors.tf_baseline["person_name"] == pytest.approx(average)
    exact_only = parse_comparisons(
        {
            "comparisons": [
                {
                    "name": "p",
                    "kind": "person_name",
                    "columns": ["first_name", "last_name"],
                    "tf": True,
                }
            ]
        }
    )
    freq = compare(frame, left, right, exact_only).tf_freq["p"]
    assert freq[0] == pytest.approx(0.5)
    assert np.isnan(freq[1:]).all()


@pytest.mark.parametrize(
    ("values", "ok"),
    [(["exact", "close"], True), (["close"], True), (["nope"], False), (["missing"], False)],
)
def test_tf_levels_must_name_levels(values: list[str], ok: bool) -> None:
    raw = {"name": "p", "kind": "person_name", "columns": ["a", "b"], "tf": True}
    spec = {"comparisons": [{**raw, "tf_levels": values}]}
    if ok:
        assert parse_comparisons(spec)[0].tf_levels == tuple(values)
    else:
        with pytest.raises(ConfigError):
            parse_comparisons(spec)


def test_spec_errors_are_collected() -> None:
    with pytest.raises(ConfigError) as info:
        parse_comparisons(
            {
                "comparisons": [
                    {"name": "a", "kind": "nope"},
                    {"name": "b", "scorer": "soundex", "thresholds": [0.5, 0.9]},
                    {"name": "c", "kind": "person_name", "columns": ["x"]},
                ]
            }
        )
    assert len(info.value.problems) == 4


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.sampled_from(["mueller bau", "muller bau", "bau", "schmidt", None]),
        min_size=2,
        max_size=12,
    )
)
def test_levels_are_symmetric(values: list[str | None]) -> None:
    frame = pd.DataFrame({"name_core": pd.array(values, dtype="string")})
    left = np.arange(len(values) - 1)
    right = np.arange(1, len(values))
    comps = [SPEC["name_core"]]
    forward = compare(frame, left, right, comps).levels["name_core"]
    backward = compare(frame, right, left, comps).levels["name_core"]
    assert forward.tolist() == backward.tolist()


def test_folded_keys_are_used_where_the_standardiser_added_them() -> None:
    frame = pd.DataFrame(
        {
            "first_name": ["Jülide", "Juelide"],
            "last_name": ["Müller", "Mueller"],
            "first_name_fold": ["juelide", "juelide"],
            "last_name_fold": ["mueller", "mueller"],
        },
        dtype="string",
    )
    comp = SPEC["person_name"]
    assert comp.columns[1] == "last_name_fold,last_name"
    vectors = compare(frame, np.array([0]), np.array([1]), [comp])
    assert comp.labels()[int(vectors.levels["person_name"][0])] == "exact"
    plain = frame.drop(columns=["first_name_fold", "last_name_fold"])
    vectors = compare(plain, np.array([0]), np.array([1]), [comp])
    assert comp.labels()[int(vectors.levels["person_name"][0])] != "exact"


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="abcdefghij ", min_size=1, max_size=40), st.integers(1, 40))
def test_a_value_cut_short_inside_a_word_is_truncated(value: str, cut: int) -> None:
    short = value[:cut]
    got = truncated(np.array([short], dtype=object), np.array([value], dtype=object))[0]
    inside_word = len(short) < len(value) and value[len(short)] != " "
    last_word = len(short) - short.rfind(" ") - 1
    assert got == (len(short) >= 20 and inside_word and last_word >= 4)
    assert got == truncated(np.array([value], dtype=object), np.array([short], dtype=object))[0]


@pytest.mark.parametrize(
    ("left", "right", "level"),
    [
        ("k.albers@mueller-bau.de", "k.albers@mueller-bau.de", "exact"),
        ("k.albers@mueller-bau.de", "info@mueller-bau.de", "different"),
        ("karin.albers@gmx.de", "k.albers@web.de", "different"),
        # a person's private and business mailboxes: two addresses, no disagreement
        ("k.albers@mueller-bau.de", "karin.albers71@gmx.de", "missing"),
        ("k.albers@mueller-bau.de", None, "missing"),
    ],
)
def test_email_levels(left: str, right: str | None, level: str) -> None:
    assert _level("email", {"email": left}, {"email": right}) == level


def test_a_date_that_is_no_date_is_missing() -> None:
    """A typed or ISO date column compares by its digits; text that is no date has no level."""
    typed = pd.DataFrame({"birth_date": pd.to_datetime(["1975-11-09", "1975-11-08"])})
    vectors = compare(typed, np.array([0]), np.array([1]), [SPEC["birth_date"]])
    assert SPEC["birth_date"].labels()[int(vectors.levels["birth_date"][0])] == "close>=0.85"
    assert _level("birth_date", {"birth_date": "1975-11-09"}, {"birth_date": "19751192"}) == (
        "missing"
    )
