"""dq's registered pandera checks: registration, statistics, and the checks' own logic."""

from __future__ import annotations

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
