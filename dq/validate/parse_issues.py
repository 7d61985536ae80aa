"""Values ingest could not parse, as issue rows of dimension ``parse``.

Ingest keeps an unparseable value out of its canonical column (which is then null) and lists it
in ``parse_issues``. Without this step the quality summary would count only the values that did
parse and call the column 100 % valid; here every such value becomes an issue (masked unless
asked otherwise) and each affected column gets a ``parse`` row in the summary.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from dq.validate.engine import ISSUE_COLUMNS, SUMMARY_COLUMNS, ValidationResult, table_kind
from dq.validate.masking import mask_values

__all__ = ["PARSE_DIMENSION", "parse_issue_rows", "parse_summary", "with_parse_issues"]

PARSE_DIMENSION = "parse"
# How much each kind of parse issue weighs: a lost value is an error; a value dq corrected on
# reading (a party type inferred, an Excel-damaged key replaced) is a warning.
_SEVERITY = {
    "parseable": "error",
    "party_type": "warning",
    "excel_identifier": "warning",
    "company_ref": "warning",
}


def parse_issue_rows(
    parse_issues: pd.DataFrame, *, table: str = "records", show_values: bool = False
) -> pd.DataFrame:
    """The parse issues of one table (``records``, ``transactions`` …) as rows of ``issues``."""
    rows = parse_issues[parse_issues["table"] == table] if len(parse_issues) else parse_issues
    values = rows["value"].astype("string")
    out = pd.DataFrame(
        {
            "record_id": rows["record_id"].astype("string"),
            "source": rows["source"].astype("string"),
            "source_row": rows["line"].astype("Int64"),
            "rule_set": "ingest",
            "column": rows["column"].astype("string"),
            "check": rows["check"].astype("string"),
            "dimension": PARSE_DIMENSION,
            "severity": rows["check"].map(_SEVERITY).fillna("error").astype("string"),
            "value": values if show_values else mask_values(values),
        }
    )
    return out[ISSUE_COLUMNS].reset_index(drop=True)


def parse_summary(records: pd.DataFrame, issues: pd.DataFrame) -> pd.DataFrame:
    """One ``parse`` row per column with parse issues: values present vs. values that parsed."""
    if not len(issues):
        return pd.DataFrame(columns=SUMMARY_COLUMNS)
    grouped = issues.groupby("column", sort=True)
    rows = []
    for column, part in grouped:
        failed = len(part)
        if column in records and str(column) not in ("party_type", "source_key", "company_ref"):
            checked = int(records[column].notna().sum()) + failed  # failed values are null
        else:
            checked = len(records)
        errors = int((part["severity"] == "error").sum())
        rows.append(
            {
                "column": column,
                "dimension": PARSE_DIMENSION,
                "checked": checked,
                "passed": checked - failed,
                "failed": failed,
                "errors": errors,
                "warnings": failed - errors,
                "score": round(100.0 * (checked - failed) / checked, 2) if checked else 100.0,
            }
        )
    frame = pd.DataFrame(rows, columns=SUMMARY_COLUMNS)
    return frame.astype(
        {c: np.int64 for c in ("checked", "passed", "failed", "errors", "warnings")}
    )


def with_parse_issues(
    result: ValidationResult, parse_issues: pd.DataFrame, *, show_values: bool = False
) -> ValidationResult:
    """``result`` with the parse issues of its table added to ``issues`` and ``summary``."""
    table = table_kind(result.records)
    rows = parse_issue_rows(parse_issues, table=table, show_values=show_values)
    if not len(rows):
        return result
    issues = pd.concat([rows, result.issues], ignore_index=True) if len(result.issues) else rows
    summary = parse_summary(result.records, rows)
    if len(result.summary):
        summary = pd.concat([result.summary, summary], ignore_index=True)
    return replace(result, issues=issues, summary=summary)
