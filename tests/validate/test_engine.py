"""The validation engine: every failing value as a row, scores, scoping and gates."""

from __future__ import annotations

import functools
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dq.checks import make_check
from dq.errors import RuleError
from dq.validate import (
    ISSUE_COLUMNS,
    SUMMARY_COLUMNS,
    Threshold,
    ValidateSettings,
    default_rule_sets,
    rule_set_from_schema,
    validate,
)
from dq.validate.rules import RuleSet

AS_OF = "2026-06-01"


def _rules(name: str = "t", applies_to: dict[str, list[str]] | None = None) -> RuleSet:
    schema = pa.DataFrameSchema(
        {
            "company_name": pa.Column(nullable=True, checks=[make_check("not_blank")]),
            "last_activity_at": pa.Column(
                nullable=True,
                checks=[
                    make_check("date_not_in_future"),
                    make_check("not_older_than_days", days=365, severity="warning"),
                ],
            ),
        },
        checks=[make_check("unique_within", column="customer_number", by=["source"])],
    )
    return rule_set_from_schema(schema, name=name, applies_to=applies_to)


def _frame(n: int = 4) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "record_id": [f"crm:{i}" for i in range(n)],
            "source": ["crm"] * n,
            "source_row": list(range(2, n + 2)),
            "party_type": ["company"] * n,
            "company_name": [f"Firma {i} GmbH" for i in range(n)],
            "customer_number": [str(1000 + i) for i in range(n)],
            "last_activity_at": ["2026-01-15"] * n,
        }
    )


def test_clean_data_has_no_issues_and_full_scores() -> None:
    result = validate(_frame(), [_rules()], as_of=AS_OF)
    assert result.issues.empty
    assert list(result.issues.columns) == ISSUE_COLUMNS
    assert result.records["quality_score"].tolist() == [100.0] * 4
    assert result.dataset_score == 100.0
    assert result.passed
    assert list(result.summary.columns) == SUMMARY_COLUMNS


def test_each_failing_value_is_one_issue_row() -> None:
    frame = _frame()
    frame.loc[0, "company_name"] = "  "
    frame.loc[1, "last_activity_at"] = "2027-01-01"
    frame.loc[2, "last_activity_at"] = "2020-01-01"
    frame.loc[3, "customer_number"] = "1002"
    result = validate(frame, [_rules()], as_of=AS_OF, show_values=True)
    got = set(
        result.issues[["record_id", "column", "check", "dimension", "severity"]].itertuples(
            index=False, name=None
        )
    )
    assert got == {
        ("crm:0", "company_name", "not_blank", "completeness", "error"),
        ("crm:1", "last_activity_at", "date_not_in_future", "validity", "error"),
        ("crm:2", "last_activity_at", "not_older_than_days", "timeliness", "warning"),
        ("crm:2", "customer_number", "unique_within", "uniqueness", "error"),
        ("crm:3", "customer_number", "unique_within", "uniqueness", "error"),
    }
    assert result.issues["source_row"].tolist() == [2, 3, 4, 4, 5]
    assert not result.passed
    assert result.records["quality_score"].between(0, 100).all()
    assert result.records["quality_score"].iloc[0] < 100


def test_values_are_masked_unless_asked() -> None:
    frame = _frame()
    frame.loc[1, "customer_number"] = "1000"
    masked = validate(frame, [_rules()], as_of=AS_OF).issues["value"].tolist()
    shown = validate(frame, [_rules()], as_of=AS_OF, show_values=True).issues["value"].tolist()
    assert shown == ["1000", "1000"]
    assert masked == ["1**0", "1**0"]


def test_rule_sets_apply_only_to_their_rows() -> None:
    frame = _frame()
    frame["party_type"] = ["company", "person", "person", None]
    frame["company_name"] = [None] * 4
    result = validate(frame, [_rules(applies_to={"party_type": ["company"]})], as_of=AS_OF)
    assert result.issues["record_id"].tolist() == ["crm:0"]
    summary = result.summary.set_index(["column", "dimension"])
    assert summary.loc[("company_name", "completeness"), "checked"] == 1


def test_summary_counts_checked_passed_failed() -> None:
    frame = _frame()
    frame.loc[0, "last_activity_at"] = None
    frame.loc[1, "last_activity_at"] = "2030-01-01"
    result = validate(frame, [_rules()], as_of=AS_OF)
    row = result.summary.set_index(["column", "dimension"]).loc[("last_activity_at", "validity")]
    assert (row["checked"], row["passed"], row["failed"], row["score"]) == (3, 2, 1, 66.67)


def test_thresholds_replace_the_default_gate() -> None:
    frame = _frame()
    frame.loc[0, "company_name"] = None
    strict = validate(frame, [_rules()], as_of=AS_OF)
    assert strict.failed_gates["gate"].tolist() == ["t:company_name.not_blank"]
    relaxed = ValidateSettings(thresholds=[Threshold(rule="not_blank", max_failed_pct=30)])
    assert validate(frame, [_rules()], as_of=AS_OF, settings=relaxed).passed
    tight = ValidateSettings(thresholds=[Threshold(rule="company_name.*", max_failed=0)])
    assert not validate(frame, [_rules()], as_of=AS_OF, settings=tight).passed


def test_fail_on_warning_and_never() -> None:
    frame = _frame()
    frame.loc[0, "last_activity_at"] = "2019-01-01"  # a warning only
    assert validate(frame, [_rules()], as_of=AS_OF).passed
    on_warning = validate(
        frame, [_rules()], as_of=AS_OF, settings=ValidateSettings(fail_on="warning")
    )
    assert not on_warning.passed
    frame.loc[1, "company_name"] = None
    never = validate(frame, [_rules()], as_of=AS_OF, settings=ValidateSettings(fail_on="never"))
    assert never.passed


def test_score_gates() -> None:
    frame = _frame()
    frame.loc[0, "company_name"] = None
    settings_ = ValidateSettings(
        fail_on="never", min_dataset_score=99, min_dimension_scores={"completeness": 80}
    )
    gates = validate(frame, [_rules()], as_of=AS_OF, settings=settings_).gates.set_index("gate")
    assert not gates.loc["dataset score", "passed"]
    assert not gates.loc["completeness score", "passed"]  # 3 of 4 filled = 75 %


def test_a_rule_set_for_another_table_is_refused() -> None:
    transactions = rule_set_from_schema(pa.DataFrameSchema({}), name="tx", table="transactions")
    with pytest.raises(RuleError, match="checks transactions, but the input holds records"):
        validate(_frame(), [transactions])


def test_a_missing_non_canonical_column_is_refused() -> None:
    schema = pa.DataFrameSchema(
        {"segment": pa.Column(nullable=True, checks=[make_check("not_blank")])}
    )
    with pytest.raises(RuleError, match="no column"):
        validate(_frame(), [rule_set_from_schema(schema, name="seg")])


def test_pandera_builtin_checks_run_as_validity_errors() -> None:
    schema = pa.DataFrameSchema(
        {"party_type": pa.Column(nullable=True, checks=[pa.Check.isin(["company", "person"])])}
    )
    frame = _frame()
    frame.loc[2, "party_type"] = "firm"
    frame.loc[3, "party_type"] = None
    result = validate(frame, [rule_set_from_schema(schema, name="b")])
    assert result.issues[["record_id", "check", "dimension", "severity"]].values.tolist() == [
        ["crm:2", "isin", "validity", "error"]
    ]


@settings(max_examples=30, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(max_size=6)), min_size=1, max_size=20))
def test_every_row_is_scored_and_issues_never_exceed_checks(names: list[str | None]) -> None:
    frame = _frame(len(names))
    frame["company_name"] = names
    result = validate(frame, [_rules()], as_of=AS_OF)
    assert len(result.records) == len(frame)
    assert result.records["quality_score"].between(0, 100).all()
    assert len(result.issues) == int(result.rules["failed"].sum())
    assert (result.rules["failed"] <= result.rules["checked"]).all()


def test_input_index_and_columns_are_kept(tmp_path: Path) -> None:
    frame = _frame().set_index(pd.Index([10, 11, 12, 13]))
    frame["extra"] = "x"
    result = validate(frame, [_rules()], as_of=AS_OF)
    assert list(result.records.index) == [10, 11, 12, 13]
    assert list(result.records.columns) == [*frame.columns, "quality_score"]


def test_transactions_get_the_transactions_rule_set() -> None:
    frame = pd.DataFrame(
        {
            "record_id": ["datev:10001", "datev:10001", None],
            "source": ["datev"] * 3,
            "doc_type": ["invoice", "invoice", "bill"],
            "doc_number": ["RE-1", "RE-1", "RE-2"],
            "doc_date": ["2026-01-10", "2026-01-11", "2027-01-01"],
            "amount": [119.0, None, 50.0],
            "currency": ["EUR", "EUR", "euro"],
        }
    )
    result = validate(frame, as_of=AS_OF)
    assert result.rule_sets == ("transactions",)
    got = set(result.issues[["check", "column"]].astype(str).itertuples(index=False, name=None))
    assert got == {
        ("unique_within", "doc_number"),  # RE-1 twice
        ("not_null", "amount"),
        ("not_blank", "record_id"),
        ("isin", "doc_type"),
        ("date_not_in_future", "doc_date"),
        ("str_matches", "currency"),
    }


def test_a_builtin_check_that_cannot_run_is_a_rule_error() -> None:
    schema = pa.DataFrameSchema(
        {"company_name": pa.Column(nullable=True, checks=[pa.Check.in_range(0, 10)])}
    )
    with pytest.raises(RuleError, match="pandera check in_range cannot run on column"):
        validate(_frame(), [rule_set_from_schema(schema, name="r")])


_TEXT = st.one_of(st.none(), st.text(max_size=12), st.sampled_from(["+49", "DE", "@", "n/a"]))


@functools.cache
def _defaults() -> tuple[RuleSet, ...]:
    return tuple(default_rule_sets("records"))


@settings(max_examples=15, deadline=None)
@given(
    st.lists(
        st.fixed_dictionaries(
            {
                col: _TEXT
                for col in (
                    "party_type",
                    "company_name",
                    "email",
                    "phone",
                    "postcode",
                    "country",
                    "vat_id",
                    "iban",
                    "website",
                    "customer_number",
                    "salutation",
                    "last_name",
                )
            }
        ),
        min_size=1,
        max_size=6,
    )
)
def test_shipped_rule_sets_never_raise_on_arbitrary_text(rows: list[dict[str, str | None]]) -> None:
    frame = pd.DataFrame(rows)
    frame.insert(0, "record_id", [f"x:{i}" for i in range(len(frame))])
    frame.insert(1, "source", "x")
    result = validate(frame, _defaults(), as_of=AS_OF)
    assert len(result.records) == len(frame)
    assert set(result.issues["record_id"]) <= set(frame["record_id"])
    assert result.issues["severity"].isin(["error", "warning"]).all()
