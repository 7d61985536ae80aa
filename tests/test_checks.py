"""dq's registered pandera checks: registration, statistics, and the checks' own logic."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa
import pytest

from dq.checks import CHECKS, DIMENSIONS, make_check

AS_OF = pd.Timestamp("2026-06-01")


def _run(name: str, frame: pd.DataFrame, **stats: object) -> list[object]:
    spec = CHECKS[name]
    full = {key: stats.get(key) for key in spec.statistics}
    if spec.level == "column":
        out = spec.impl(frame.iloc[:, 0], full, AS_OF)  # type: ignore[arg-type]
    else:
        out = spec.impl(frame, full, AS_OF)  # type: ignore[arg-type]
    return [None if v is pd.NA else bool(v) for v in out]


def test_every_check_is_registered_on_pandera_with_dimension_and_severity() -> None:
    for name, spec in CHECKS.items():
        assert hasattr(pa.Check, name)
        assert {"dimension", "severity"} <= set(spec.statistics)
        assert spec.dimension in DIMENSIONS


def test_make_check_sets_every_statistic() -> None:
    check = make_check("postcode_valid", column="postcode")
    assert check.statistics == {
        "column": "postcode",
        "country_column": None,
        "dimension": "validity",
        "severity": "error",
        "default_country": None,
    }
    with pytest.raises(TypeError, match="takes no statistic"):
        make_check("not_blank", column="x")
    with pytest.raises(KeyError, match="unknown check"):
        make_check("nope")


@pytest.mark.parametrize(
    ("values", "expected"),
    [(["Müller", " ", None, "\t", "x"], [True, False, False, False, True])],
)
def test_not_blank(values: list[str | None], expected: list[bool]) -> None:
    assert _run("not_blank", pd.DataFrame({"v": values})) == expected


def test_dates_against_the_day_of_validation() -> None:
    dates = pd.DataFrame({"d": pd.to_datetime(["2026-06-01", "2026-06-02", "2020-01-01", None])})
    assert _run("date_not_in_future", dates) == [True, False, True, None]
    assert _run("not_older_than_days", dates, days=365) == [True, True, False, None]


def test_dates_given_as_text_are_parsed() -> None:
    dates = pd.DataFrame({"d": ["2026-05-31", "2027-01-01", "kein Datum"]})
    assert _run("date_not_in_future", dates) == [True, False, None]


def test_any_present() -> None:
    frame = pd.DataFrame({"email": ["a@b.de", None, " "], "phone": [None, "+4930123", None]})
    assert _run("any_present", frame, columns=["email", "phone"]) == [True, True, False]


def test_unique_within_groups() -> None:
    frame = pd.DataFrame(
        {
            "customer_number": ["1", "1", "1", "2", None, None],
            "source": ["a", "a", "b", "a", "a", "a"],
        }
    )
    result = _run("unique_within", frame, column="customer_number", by=["source"])
    assert result == [False, False, True, True, None, None]
    assert _run("unique_within", frame, column="customer_number") == [
        False, False, False, True, None, None,
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("phone", "country", "expected"),
    [
        ("+498912345678", "DE", True),
        ("+43 1 1234567", "DE", False),
        ("+43 1 1234567", "AT", True),
        ("+41441234567", "CH", True),
        ("+447911123456", "GG", True),  # +44 serves Guernsey too
        ("+12125551234", "US", True),
        ("089 1234567", "DE", None),  # national format: no country to compare
        ("+498912345678", None, None),
    ],
)
def test_phone_country_matches(phone: str, country: str | None, expected: bool | None) -> None:
    frame = pd.DataFrame({"phone": [phone], "country": [country]})
    assert _run("phone_country_matches", frame, column="phone") == [expected]


@pytest.mark.parametrize(
    ("vat_id", "country", "expected"),
    [
        ("DE136695976", "DE", True),
        ("ATU13585627", "DE", False),
        ("EL094259216", "GR", True),
        ("de 136 695 976", "DE", True),
        ("136695976", "DE", None),
    ],
)
def test_vat_id_country_matches(vat_id: str, country: str, expected: bool | None) -> None:
    frame = pd.DataFrame({"vat_id": [vat_id], "country": [country]})
    assert _run("vat_id_country_matches", frame, column="vat_id") == [expected]


@pytest.mark.parametrize(
    ("email", "website", "expected"),
    [
        ("info@mueller.de", "https://www.mueller.de/impressum", True),
        ("anna@mail.mueller.de", "mueller.de", True),
        ("info@schmidt-gmbh.de", "https://mueller.de", False),
        ("mueller.gmbh@gmx.de", "https://mueller.de", None),  # free mail says nothing
        ("info@mueller.de", None, None),
    ],
)
def test_email_domain_matches_website(
    email: str, website: str | None, expected: bool | None
) -> None:
    frame = pd.DataFrame({"email": [email], "website": [website]})
    assert _run("email_domain_matches_website", frame, column="email") == [expected]


def test_plain_pandera_runs_the_registered_checks() -> None:
    schema = pa.DataFrameSchema(
        {"name": pa.Column(nullable=True, checks=[make_check("not_blank")])},
        checks=[make_check("unique_within", column="id", by=None)],
    )
    frame = pd.DataFrame({"name": ["a", None], "id": ["1", "1"]})
    with pytest.raises(pa.errors.SchemaErrors) as info:
        schema.validate(frame, lazy=True)
    checks = set(info.value.failure_cases["check"].astype(str))
    assert any(c.startswith("not_blank") for c in checks)
    assert any(c.startswith("unique_within") for c in checks)


SAMPLE = pd.DataFrame(
    {
        "email": ["info@mueller.de", None, "x@gmx.de", "info@weber.de", "kein@mail"],
        "website": ["mueller.de", None, "b.de", "https://www.schmidt.de", "mail.de"],
        "phone": ["+498912345678", None, "+43 1 1234567", "089 1234567", "+4930123"],
        "vat_id": ["DE136695976", None, "ATU13585627", "DE136695975", "xx"],
        "postcode": ["80331", None, "1010", "808020", "10115"],
        "country": ["DE", "DE", "AT", None, "DE"],
        "customer_number": ["1", "1", "2", None, "3"],
        "source": ["a"] * 5,
    }
)
FRAME_STATS = {
    "email_domain_matches_website": {"column": "email", "website_column": "website"},
    "phone_country_matches": {"column": "phone", "country_column": "country"},
    "vat_id_country_matches": {"column": "vat_id", "country_column": "country"},
    "phone_valid": {"column": "phone", "country_column": "country"},
    "postcode_valid": {"column": "postcode", "country_column": "country"},
    "unique_within": {"column": "customer_number", "by": ["source"]},
    "any_present": {"columns": ["email", "phone"]},
}


@pytest.mark.parametrize("name", sorted(FRAME_STATS))
def test_frame_checks_keep_the_index_of_a_subset(name: str) -> None:
    """Rule sets run on row subsets: results must align with any index, not only 0..n."""
    plain = _run(name, SAMPLE, **FRAME_STATS[name])
    shuffled = SAMPLE.set_index(pd.Index([40, 7, 13, 2, 99]))
    spec = CHECKS[name]
    stats = {key: FRAME_STATS[name].get(key) for key in spec.statistics}
    out = spec.impl(shuffled, stats, AS_OF)  # type: ignore[arg-type]
    assert list(out.index) == [40, 7, 13, 2, 99]
    assert [None if v is pd.NA else bool(v) for v in out] == plain


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("email_valid", "info@mueller-maschinenbau.de", True),
        ("email_valid", "info@@bauer-kg", False),
        ("vat_id_valid", "DE136695976", True),
        ("vat_id_valid", "DE136695975", False),
        ("iban_valid", "DE89370400440532013000", True),
        ("iban_valid", "DE89370400440532013001", False),
        ("register_number_valid", "HRB 12345", True),
        ("register_number_valid", "XYZ 1", False),
        ("legal_form_known", "GmbH", True),
        ("legal_form_known", "GmbHx", False),
        ("salutation_known", "Frau", True),
        ("salutation_known", "Exzellenz", False),
        ("not_placeholder", "unbekannt", False),
        ("not_placeholder", "n/a", False),
        ("not_placeholder", "Müller", True),
        ("email_valid", None, None),
        ("iban_valid", "  ", None),
    ],
)
def test_value_checks_use_the_standardisers(name: str, value: str | None, expected: object) -> None:
    assert _run(name, pd.DataFrame({"v": [value]})) == [expected]


@pytest.mark.parametrize(
    ("postcode", "country", "expected"),
    [
        ("80331", "DE", True),
        ("808020", "DE", False),
        ("1010", "AT", True),
        ("8001", "CH", True),
        ("80331", None, True),  # no country: the default, DE
    ],
)
def test_postcode_valid_for_the_row_s_country(
    postcode: str, country: str | None, expected: bool
) -> None:
    frame = pd.DataFrame({"postcode": [postcode], "country": [country]})
    result = _run("postcode_valid", frame, column="postcode", country_column="country")
    assert result == [expected]


def test_every_check_is_documented() -> None:
    text = (Path(__file__).resolve().parents[1] / "docs" / "rules.md").read_text(encoding="utf-8")
    missing = [name for name in CHECKS if f"`{name}`" not in text]
    assert missing == []
