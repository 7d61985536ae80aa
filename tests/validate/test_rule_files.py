"""Loading rule files: clear RuleError messages naming the file and every problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from dq.errors import RuleError
from dq.validate import load_rule_set, resolve_rule_sets


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "mine.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_hand_written_rule_file_loads(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """
columns:
  email:
    nullable: true
    email_valid: {severity: warning}
  company_name:
    nullable: true
    not_blank: {}
checks:
- column: postcode
  options: {check_name: postcode_valid}
metadata:
  dq: {applies_to: {party_type: company}}
""",
    )
    rule_set = load_rule_set(path)
    by_check = {r.check: r for r in rule_set.rules}
    assert by_check["email_valid"].severity == "warning"
    assert by_check["email_valid"].dimension == "validity"
    assert by_check["not_blank"].dimension == "completeness"
    assert by_check["not_blank"].severity == "error"
    assert by_check["postcode_valid"].column == "postcode"
    assert rule_set.applies_to == {"party_type": ("company",)}
    assert rule_set.name == "mine"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("columns:\n  email:\n    emal_valid: {}\n", "unknown check 'emal_valid'"),
        (
            "columns:\n  email:\n    email_valid: {severity: fatal}\n",
            "severity 'fatal' is not one of error, warning",
        ),
        (
            "columns:\n  email:\n    email_valid: {dimension: accuracy}\n",
            "dimension 'accuracy' is not one of",
        ),
        (
            "columns:\n  x:\n    not_older_than_days: {severity: warning}\n",
            "the statistic 'days' is required",
        ),
        (
            "columns:\n  x:\n    not_older_than_days: {days: soon}\n",
            "days must be a whole number of days, not 'soon'",
        ),
        (
            "columns:\n  postcode:\n    postcode_valid: {severity: error}\n",
            "put it under the schema's `checks:`",
        ),
        ("metadata:\n  dq: {table: orders}\n", "metadata.dq.table: 'orders' is not one of"),
        ("metadata:\n  dq: {scope: x}\n", "metadata.dq.scope: unknown key"),
        ("- a\n- b\n", "must be a mapping"),
        ("columns: [\n", "invalid YAML"),
    ],
)
def test_bad_rule_files_name_the_file_and_the_problem(
    tmp_path: Path, text: str, message: str
) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(RuleError) as info:
        load_rule_set(path)
    assert str(path) in str(info.value)
    assert message in str(info.value)


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "columns:\n  a:\n    emal_valid: {}\n  b:\n    not_blnk: {}\n",
    )
    with pytest.raises(RuleError, match="2 problems") as info:
        load_rule_set(path)
    assert "emal_valid" in str(info.value) and "not_blnk" in str(info.value)


def test_missing_file_and_unknown_shipped_name(tmp_path: Path) -> None:
    with pytest.raises(RuleError, match="rule file not found"):
        load_rule_set(tmp_path / "nope.yaml")
    with pytest.raises(RuleError, match="shipped: "):
        resolve_rule_sets(["no_such_set"])


def test_shipped_sets_resolve_by_name() -> None:
    (company,) = resolve_rule_sets(["company"])
    assert company.applies_to == {"party_type": ("company",)}


def test_the_same_check_twice_on_a_column_round_trips(tmp_path: Path) -> None:
    """pandera writes a list instead of flat keys then; dq must read and write both shapes."""
    import pandera.pandas as pa

    from dq.checks import make_check
    from dq.validate import rule_set_from_schema, save_rule_set

    schema = pa.DataFrameSchema(
        {
            "last_activity_at": pa.Column(
                nullable=True,
                checks=[
                    make_check("not_older_than_days", days=365, severity="warning"),
                    make_check("not_older_than_days", days=1095, severity="error"),
                ],
            )
        }
    )
    first = rule_set_from_schema(schema, name="twice")
    path = save_rule_set(first, tmp_path / "twice.yaml")
    assert "error: not_older_than_days(" not in path.read_text(encoding="utf-8")
    again = load_rule_set(path)
    assert again.rules == first.rules
    assert [r.statistics["days"] for r in again.rules] == [365, 1095]
    assert save_rule_set(again, tmp_path / "again.yaml").read_text(encoding="utf-8") == (
        path.read_text(encoding="utf-8")
    )
