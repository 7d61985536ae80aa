"""One truth for validity: the standardiser's flag, or the same function where there is none."""

from __future__ import annotations

import pandas as pd
import pytest

from dq.standardize import standardize_records
from dq.standardize.validity import VALIDATED, valid_mask, validity


def _frame(field: str, values: list[str | None], **other: list[str]) -> pd.DataFrame:
    data = {field: pd.Series(values, dtype="string")}
    data.update({k: pd.Series(v, dtype="string") for k, v in other.items()})
    return pd.DataFrame(data)


@pytest.mark.parametrize(
    ("field", "value", "valid"),
    [
        ("vat_id", "DE136695976", True),
        ("vat_id", "DE 136 695 976", True),
        ("vat_id", "DE136695967", False),  # the last two digits transposed
        ("vat_id", "DE13669597G", False),  # OCR: a 6 read as G
        ("vat_id", "DE136695975", False),  # one digit mistyped
        ("vat_id", "ATU13585627", True),
        ("vat_id", "ATU13585626", False),
        ("vat_id", "FR40303265045", True),
        ("vat_id", "FR40303265054", False),
        ("vat_id", "NL004495445B01", True),
        ("vat_id", "IT00743110157", True),
        ("vat_id", "ESB58378431", True),
        ("vat_id", "PL8567346215", True),
        ("vat_id", "CHE-109.322.551 MWST", True),
        ("vat_id", "CHE-109.322.515", False),
        ("iban", "DE89 3704 0044 0532 0130 00", True),
        ("iban", "DE89370400440532013001", False),  # last digit mistyped
        ("iban", "DE89370400440532010300", False),  # two digits transposed
        ("iban", "AT61 1904 3002 3457 3201", True),
        ("email", "info@mueller-bau.de", True),
        ("email", "info@mueller", False),
        ("phone", "+4989123456", True),
        ("phone", "089 123456", True),  # national format, valid for the default region DE
        ("phone", "+49 123", False),
        ("register_number", "HRB 12345", True),
        ("register_number", "Amtsgericht München HRB 73315", True),
        ("register_number", "12345", False),
        ("postcode", "80331", True),
        ("postcode", "8O331", True),  # an OCR O for a 0 is repaired
        ("postcode", "8OO31", False),  # two letters: not a postcode
    ],
)
def test_validity_without_flags_uses_the_standardisation_function(
    field: str, value: str, valid: bool
) -> None:
    assert field in VALIDATED
    assert bool(valid_mask(_frame(field, [value]), field)[0]) is valid


def test_the_flag_wins_where_the_frame_has_one() -> None:
    frame = _frame("vat_id", ["DE136695976", "DE136695967", None])
    frame["vat_id_valid"] = pd.array([False, True, None], dtype="boolean")
    assert validity(frame, "vat_id").tolist() == [False, True, pd.NA]
    assert valid_mask(frame, "vat_id").tolist() == [False, True, False]


def test_blank_values_are_neither_valid_nor_invalid() -> None:
    got = validity(_frame("iban", [None, "DE89 3704 0044 0532 0130 00"]), "iban")
    assert got.isna().tolist() == [True, False]


def test_phone_validity_uses_the_records_country() -> None:
    frame = _frame("phone", ["01 42 68 53 00", "01 42 68 53 00"], country=["FR", "DE"])
    assert valid_mask(frame, "phone").tolist() == [True, False]


def test_flags_of_standardisation_agree_with_the_functions() -> None:
    raw = pd.DataFrame(
        {
            "record_id": ["a", "b", "c"],
            "vat_id": ["DE 136 695 976", "DE136695967", "ATU13585627"],
            "iban": ["DE89 3704 0044 0532 0130 00", "DE89370400440532013001", None],
            "register_number": ["HRB 12345", "12345", None],
            "country": ["DE", "DE", "AT"],
        }
    ).astype("string")
    flagged = standardize_records(raw).records
    for field in ("vat_id", "iban", "register_number"):
        plain = raw[[field]]
        assert valid_mask(flagged, field).tolist() == valid_mask(plain, field).tolist(), field


def test_a_column_nothing_checks_is_refused() -> None:
    with pytest.raises(KeyError, match="no validity function"):
        validity(_frame("city", ["Köln"]), "city")
