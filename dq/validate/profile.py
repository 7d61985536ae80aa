"""Profiling a table: completeness, validity, distinct counts and value patterns per column.

Validity uses the same dq checks as the rule sets (a column named ``email`` is tested with
``email_valid`` …); the profile can propose a rule set inferred from the data that loads back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa

from dq.checks import CHECKS, Severity, make_check
from dq.schema import RECORD_COLUMNS, TRANSACTION_COLUMNS
from dq.validate.engine import table_kind
from dq.validate.rules import RuleSet, rule_set_from_schema

__all__ = ["PROFILE_COLUMNS", "ProfileResult", "profile", "suggest_rule_set", "value_pattern"]

PROFILE_COLUMNS = [
    "column",
    "rows",
    "filled",
    "completeness",
    "check",
    "checked",
    "valid",
    "validity",
    "distinct",
    "top_patterns",
]

# Which dq check tests the values of a canonical column (data, not code: extend here).
VALIDITY_CHECKS: dict[str, tuple[str, dict[str, Any]]] = {
    "email": ("email_valid", {}),
    "vat_id": ("vat_id_valid", {}),
    "iban": ("iban_valid", {}),
    "register_number": ("register_number_valid", {}),
    "legal_form": ("legal_form_known", {}),
    "salutation": ("salutation_known", {}),
    "postcode": ("postcode_valid", {"country_column": "country", "default_country": "DE"}),
    "phone": ("phone_valid", {"country_column": "country", "default_country": "DE"}),
    "mobile": ("phone_valid", {"country_column": "country", "default_country": "DE"}),
    "fax": ("phone_valid", {"country_column": "country", "default_country": "DE"}),
    "company_name": ("not_placeholder", {}),
    "last_name": ("not_placeholder", {}),
    "first_name": ("not_placeholder", {}),
    "city": ("not_placeholder", {}),
    "street": ("not_placeholder", {}),
}
_DATE_COLUMNS = {
    name for name, kind in {**RECORD_COLUMNS, **TRANSACTION_COLUMNS}.items() if kind == "date"
}
# Columns whose values identify a row, so duplicates are worth a uniqueness rule.
_KEY_COLUMNS = {"record_id": None, "customer_number": ["source"]}


@dataclass(frozen=True)
class ProfileResult:
    """One row per input column (see :data:`PROFILE_COLUMNS`)."""

    columns: pd.DataFrame
    rows: int


def value_pattern(value: str, max_length: int = 16) -> str:
    """The shape of a value: digits → 9, letters → A/a, other characters kept.

    >>> value_pattern("80331"), value_pattern("+49 89 1234567")
    ('99999', '+99 99 9999999')
    """
    out = []
    for ch in value[:max_length]:
        if ch.isdigit():
            out.append("9")
        elif ch.isalpha():
            out.append("A" if ch.isupper() else "a")
        else:
            out.append(ch)
    return "".join(out) + ("…" if len(value) > max_length else "")


def profile(
    frame: pd.DataFrame, *, top: int = 3, as_of: pd.Timestamp | None = None
) -> ProfileResult:
    """Profile every column of ``frame``; validity where dq has a check for the column."""
    today = as_of if as_of is not None else pd.Timestamp.now()
    rows = []
    n = len(frame)
    for column in frame.columns:
        values = frame[column]
        text = values.astype("string").str.strip()
        text = text.mask(text == "")
        filled = int(text.notna().sum())
        counts = text.value_counts(dropna=True)
        check, outcome = _validity(frame, str(column), today)
        checked = int(outcome.notna().sum()) if outcome is not None else 0
        valid = int(outcome.eq(True).sum()) if outcome is not None else 0
        rows.append(
            {
                "column": str(column),
                "rows": n,
                "filled": filled,
                "completeness": round(100.0 * filled / n, 2) if n else 100.0,
                "check": check,
                "checked": checked,
                "valid": valid,
                "validity": round(100.0 * valid / checked, 2) if checked else np.nan,
                "distinct": len(counts),
                "top_patterns": _top_patterns(counts, top),
            }
        )
    return ProfileResult(columns=pd.DataFrame(rows, columns=PROFILE_COLUMNS), rows=n)


def _validity(
    frame: pd.DataFrame, column: str, as_of: pd.Timestamp
) -> tuple[str | None, pd.Series | None]:
    if column in _DATE_COLUMNS:
        spec = CHECKS["date_not_in_future"]
        return spec.name, spec.impl(frame[column], {}, as_of)  # type: ignore[arg-type]
    entry = VALIDITY_CHECKS.get(column)
    if entry is None:
        return None, None
    name, stats = entry
    spec = CHECKS[name]
    if spec.level == "column":
        return name, spec.impl(frame[column], stats, as_of)  # type: ignore[arg-type]
    return name, spec.impl(frame, {"column": column, **stats}, as_of)  # type: ignore[arg-type]


def _top_patterns(counts: pd.Series, top: int) -> str:
    if counts.empty:
        return ""
    patterns = (
        pd.Series(counts.to_numpy(), index=[value_pattern(str(v)) for v in counts.index])
        .groupby(level=0)
        .sum()
    )
    best = patterns.sort_values(ascending=False, kind="stable").head(top)
    return ", ".join(f"{pattern} ({count})" for pattern, count in best.items())


def suggest_rule_set(
    frame: pd.DataFrame, result: ProfileResult | None = None, *, name: str = "suggested"
) -> RuleSet:
    """A rule set inferred from the data: rules the data mostly meets, as errors or warnings.

    A column at least 99 % filled gets ``not_blank`` (error; 90 %: warning); a column with a dq
    validity check gets it as an error when at least 95 % of its values pass, else a warning.
    """
    result = result or profile(frame)
    columns: dict[str, pa.Column] = {}
    frame_checks: list[pa.Check] = []
    for row in result.columns.to_dict("records"):
        column = str(row["column"])
        checks: list[pa.Check] = []
        if row["completeness"] >= 99:
            checks.append(make_check("not_blank"))
        elif row["completeness"] >= 90:
            checks.append(make_check("not_blank", severity="warning"))
        if row["check"] and row["checked"]:
            severity: Severity = "error" if row["validity"] >= 95 else "warning"
            check_name = str(row["check"])
            spec = CHECKS[check_name]
            stats = VALIDITY_CHECKS.get(column, (check_name, {}))[1]
            if spec.level == "column":
                checks.append(make_check(check_name, severity=severity, **stats))
            else:
                stats = {k: v for k, v in stats.items() if k != "country_column"}
                country = "country" if "country" in frame.columns else None
                frame_checks.append(
                    make_check(
                        check_name,
                        severity=severity,
                        column=column,
                        country_column=country,
                        **stats,
                    )
                )
        if column in _KEY_COLUMNS and row["filled"]:
            by = [c for c in _KEY_COLUMNS[column] or [] if c in frame.columns] or None
            frame_checks.append(make_check("unique_within", column=column, by=by))
        if checks:
            columns[column] = pa.Column(nullable=True, checks=checks)
    schema = pa.DataFrameSchema(
        columns,
        checks=frame_checks,
        name=name,
        description=f"Suggested by `dq profile` from {result.rows} rows; review before use.",
    )
    return rule_set_from_schema(schema, name=name, table=table_kind(frame))
