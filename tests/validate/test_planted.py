"""A file with planted defects: each appears in `issues` with the right check, dimension and
severity, and nothing else does (the shipped default rule sets, on canonical records)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from dq.tables import read_table
from dq.validate import resolve_rule_sets, validate

DATA = Path(__file__).resolve().parents[1] / "data"

PLANTED = DATA / "validate" / "planted.csv"
EXPECTED = DATA / "validate" / "planted_expected.csv"
KEY = ["record_id", "column", "check", "dimension", "severity"]


def _keys(frame: pd.DataFrame) -> set[tuple[str, ...]]:
    return set(frame[KEY].astype(str).itertuples(index=False, name=None))


def test_every_planted_defect_and_nothing_else() -> None:
    result = validate(read_table(PLANTED), as_of="2026-06-01")
    assert result.rule_sets == ("company", "person", "records")
    expected = _keys(pd.read_csv(EXPECTED, dtype=str))
    got = _keys(result.issues)
    assert got - expected == set(), "unexpected issues"
    assert expected - got == set(), "planted defects not found"
    assert len(result.issues) == len(expected)


def test_clean_rows_score_100_and_defective_rows_less() -> None:
    result = validate(read_table(PLANTED), as_of="2026-06-01")
    scores = result.records.set_index("record_id")["quality_score"]
    assert (scores[["crm:2", "crm:3", "crm:4"]] == 100).all()
    defective = pd.read_csv(EXPECTED, dtype=str)["record_id"].unique()
    assert (scores[defective] < 100).all()
    assert 0 < result.dataset_score < 100


def test_migration_readiness_rule_sets() -> None:
    records = read_table(PLANTED)
    result = validate(
        records, resolve_rule_sets(["migration", "migration_contacts"]), as_of="2026-06-01"
    )
    by_record = result.issues.groupby("record_id", observed=True)["column"].apply(set)
    # a person has no company name; a record without email and phone cannot be contacted
    assert by_record["crm:2"] == {"company_name"}
    assert "crm:1" not in by_record.index  # complete: name, address, email and phone
    assert by_record["crm:24"] == {"company_name", "first_name", "email|phone"}
    assert by_record["crm:5"] == {"company_name", "email|phone"}
