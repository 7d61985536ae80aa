"""Conforming frames to the canonical tables: every column present, typed, text blanks null."""

from __future__ import annotations

import pandas as pd

from dq.schema import RECORD_COLUMNS, conform, records_schema


def test_conform_adds_missing_columns_and_types() -> None:
    frame = conform(
        pd.DataFrame({"record_id": ["a:1"], "employees": ["12"], "extra": [1]}), RECORD_COLUMNS
    )
    assert list(frame.columns[: len(RECORD_COLUMNS)]) == list(RECORD_COLUMNS)
    assert frame["employees"].iloc[0] == 12
    assert frame["extra"].iloc[0] == 1  # extra columns are kept after the canonical ones
    records_schema().validate(frame)


def test_text_booleans_from_csv() -> None:
    frame = conform(
        pd.DataFrame({"marketing_consent": ["True", "False", "", "ja", None]}), RECORD_COLUMNS
    )
    assert frame["marketing_consent"].tolist()[:2] == [True, False]
    assert frame["marketing_consent"].isna().tolist() == [False, False, True, False, True]


def test_blank_text_is_null() -> None:
    frame = conform(pd.DataFrame({"city": ["Köln", "  ", ""]}), RECORD_COLUMNS)
    assert frame["city"].isna().tolist() == [False, True, True]
