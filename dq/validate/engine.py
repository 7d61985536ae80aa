"""The validation engine: apply rule sets to a canonical table and return every failure as data.

Each rule is evaluated vectorised on the rows its rule set applies to (dq checks through their
:class:`~dq.checks.CheckSpec`, pandera built-ins through the pandera ``Check`` itself). Nothing is
capped: every failing value becomes one row of ``issues``. Scores weigh each checked value by its
rule's severity; gates compare the results with the thresholds of :class:`ValidateSettings`.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from dq.checks import CHECKS, DIMENSIONS
from dq.errors import RuleError
from dq.schema import INTERACTION_COLUMNS, RECORD_COLUMNS, TRANSACTION_COLUMNS, conform
from dq.validate.gates import evaluate_gates
from dq.validate.masking import NON_PERSONAL_COLUMNS, mask_values
from dq.validate.rules import Rule, RuleSet, TableKind, default_rule_sets, resolve_rule_sets
from dq.validate.settings import ValidateSettings

__all__ = ["ISSUE_COLUMNS", "SUMMARY_COLUMNS", "ValidationResult", "table_kind", "validate"]

log = logging.getLogger(__name__)

ISSUE_COLUMNS = [
    "record_id",
    "source",
    "source_row",
    "rule_set",
    "column",
    "check",
    "dimension",
    "severity",
    "value",
]
SUMMARY_COLUMNS = [
    "column",
    "dimension",
    "checked",
    "passed",
    "failed",
    "errors",
    "warnings",
    "score",
]
RULE_COLUMNS = ["rule", "rule_set", "column", "check", "dimension", "severity", "checked", "failed"]

_TABLE_COLUMNS = {
    "records": RECORD_COLUMNS,
    "transactions": TRANSACTION_COLUMNS,
    "interactions": INTERACTION_COLUMNS,
}


@dataclass(frozen=True)
class ValidationResult:
    """What :func:`validate` found.

    ``issues``: one row per failing value; ``summary``: per column and dimension;
    ``records``: the input plus ``quality_score`` (0–100); ``rules``: per rule checked/failed;
    ``gates``: every quality gate that applied and whether it passed.
    """

    issues: pd.DataFrame
    summary: pd.DataFrame
    records: pd.DataFrame
    rules: pd.DataFrame
    gates: pd.DataFrame
    dataset_score: float
    dimension_scores: dict[str, float] = field(default_factory=dict)
    rule_sets: tuple[str, ...] = ()

    @property
    def failed_gates(self) -> pd.DataFrame:
        """The gates that failed (empty when the data passes)."""
        return self.gates[~self.gates["passed"]]

    @property
    def passed(self) -> bool:
        """True when no quality gate failed."""
        return bool(self.gates["passed"].all()) if len(self.gates) else True


def table_kind(frame: pd.DataFrame) -> TableKind:
    """Which canonical table ``frame`` holds, judged by its columns."""
    cols = set(frame.columns)
    if "doc_type" in cols or {"amount", "doc_date"} <= cols:
        return "transactions"
    if "channel" in cols and "kind" in cols:
        return "interactions"
    return "records"


def validate(
    records: pd.DataFrame,
    rule_sets: Sequence[RuleSet] | None = None,
    *,
    settings: ValidateSettings | None = None,
    as_of: pd.Timestamp | str | None = None,
    show_values: bool = False,
) -> ValidationResult:
    """Validate a canonical table with ``rule_sets`` (default: the shipped sets that fit it).

    ``as_of`` is the day date checks compare with (default: today); values in ``issues`` are
    masked unless ``show_values``. Raises :class:`~dq.errors.RuleError` when a rule set does
    not fit the table (another table kind, or a column the input lacks).
    """
    settings = settings or ValidateSettings()
    today = pd.Timestamp(as_of) if as_of is not None else pd.Timestamp.now()
    table = table_kind(records)
    columns = _TABLE_COLUMNS[table]
    frame = conform(records, columns).reset_index(drop=True)
    # Arrow-backed text: a fifth of the memory of Python strings, and string ops run in C
    text = [c for c, kind in columns.items() if kind == "text" and c in frame.columns]
    frame = frame.astype(dict.fromkeys(text, "string[pyarrow]"))
    if rule_sets is None:
        sets = resolve_rule_sets(settings.rules) if settings.rules else default_rule_sets(table)
    else:
        sets = list(rule_sets)
    _check_fit(sets, frame, table)

    n = len(frame)
    weights = {sev: float(w) for sev, w in settings.severity_weights.items()}
    checked_w = np.zeros(n)
    failed_w = np.zeros(n)
    all_rules: list[Rule] = []
    fail_positions: list[np.ndarray] = []
    rule_rows: list[dict[str, object]] = []
    for rule_set in sets:
        mask = rule_set.row_mask(frame).to_numpy()
        positions = np.flatnonzero(mask)
        sub = frame.loc[mask, rule_set.columns()] if not mask.all() else frame
        for rule in rule_set.rules:
            outcome = _evaluate(rule, sub, today, rule_set)
            checked = outcome.notna().to_numpy()
            failed = outcome.eq(False).fillna(False).to_numpy(dtype=bool)
            weight = weights.get(rule.severity, 1.0)
            checked_w[positions[checked]] += weight
            failed_w[positions[failed]] += weight
            all_rules.append(rule)
            fail_positions.append(positions[failed])
            rule_rows.append(
                {
                    "rule": rule.id,
                    "rule_set": rule.rule_set,
                    "column": rule.column,
                    "check": rule.check,
                    "dimension": rule.dimension,
                    "severity": rule.severity,
                    "checked": int(checked.sum()),
                    "failed": int(failed.sum()),
                }
            )
        log.info("rule set %s: %d rules on %d rows", rule_set.name, len(rule_set.rules), mask.sum())

    rules = pd.DataFrame(rule_rows, columns=RULE_COLUMNS)
    issues = _issues(frame, all_rules, fail_positions, show_values)
    with np.errstate(divide="ignore", invalid="ignore"):
        scores = np.where(checked_w > 0, 100.0 * (1.0 - failed_w / checked_w), 100.0)
    scored = records.copy()
    scored["quality_score"] = np.round(scores, 1)
    dataset_score = float(np.round(scores.mean(), 2)) if n else 100.0
    dimension_scores = _dimension_scores(rules)
    return ValidationResult(
        issues=issues,
        summary=_summary(rules),
        records=scored,
        rules=rules,
        gates=evaluate_gates(rules, dataset_score, dimension_scores, settings),
        dataset_score=dataset_score,
        dimension_scores=dimension_scores,
        rule_sets=tuple(s.name for s in sets),
    )


def _check_fit(sets: Sequence[RuleSet], frame: pd.DataFrame, table: TableKind) -> None:
    problems = []
    for rule_set in sets:
        where = str(rule_set.path or rule_set.name)
        if rule_set.table != table:
            problems.append(f"{where}: checks {rule_set.table}, but the input holds {table}")
            continue
        missing = [c for c in rule_set.columns() if c not in frame.columns]
        if missing:
            problems.append(f"{where}: the input has no column(s) {', '.join(missing)}")
    if problems:
        raise RuleError("; ".join(problems))


def _evaluate(rule: Rule, frame: pd.DataFrame, as_of: pd.Timestamp, rule_set: RuleSet) -> pd.Series:
    """The rule's outcome per row: True passed, False failed, NA not checked."""
    if rule.level == "nullable":
        present = frame[rule.column].notna().to_numpy()
        return pd.Series(present, index=frame.index, dtype="boolean")
    spec = CHECKS.get(rule.check)
    if spec is not None and rule.level == "column":
        return spec.impl(frame[rule.column], rule.statistics, as_of)  # type: ignore[arg-type]
    if spec is not None:
        return spec.impl(frame, rule.statistics, as_of)  # type: ignore[arg-type]
    assert rule.pandera_check is not None
    try:
        result = rule.pandera_check(frame, rule.column)
    except Exception as exc:  # a built-in check given a column it cannot handle
        where = rule_set.path or rule_set.name
        raise RuleError(
            f"{where}: pandera check {rule.check} cannot run on column {rule.column!r} "
            f"({type(exc).__name__}); check its dtype and statistics"
        ) from exc
    out = pd.Series(result.check_output, index=frame.index).astype("boolean")
    if rule.pandera_check.ignore_na:
        out = out.mask(frame[rule.column].isna())
    return out


def _issues(
    frame: pd.DataFrame, rules: list[Rule], fail_positions: list[np.ndarray], show_values: bool
) -> pd.DataFrame:
    """One row per failing value, ordered by record and rule."""
    sizes = np.array([len(p) for p in fail_positions], dtype=np.int64)
    if sizes.sum() == 0:
        return _empty_issues()
    rule_index = np.repeat(np.arange(len(rules)), sizes)
    positions = np.concatenate(fail_positions)
    pieces = []
    for rule, pos in zip(rules, fail_positions, strict=True):
        piece = _values(frame, rule, pos)
        if not show_values and rule.column not in NON_PERSONAL_COLUMNS:
            piece = mask_values(piece)
        pieces.append(piece)
    values = pd.concat(pieces, ignore_index=True)
    order = np.lexsort((rule_index, positions))

    def attr(name: str) -> pd.Series:
        labels = np.asarray([str(getattr(r, name)) for r in rules], dtype=object)
        return pd.Series(labels[rule_index[order]]).astype("category")

    out = pd.DataFrame(
        {
            "record_id": frame["record_id"].to_numpy()[positions[order]],
            "source": frame["source"].to_numpy()[positions[order]],
            "source_row": frame["source_row"].to_numpy()[positions[order]]
            if "source_row" in frame
            else pd.NA,
            "rule_set": attr("rule_set"),
            "column": attr("column"),
            "check": attr("check"),
            "dimension": attr("dimension"),
            "severity": attr("severity"),
            "value": values.to_numpy()[order],
        }
    )
    return out.astype(
        {"record_id": "string", "source": "string", "value": "string", "source_row": "Int64"}
    )


def _empty_issues() -> pd.DataFrame:
    out = pd.DataFrame({c: pd.Series(dtype="string") for c in ISSUE_COLUMNS})
    return out.astype({"source_row": "Int64"})


def _values(frame: pd.DataFrame, rule: Rule, positions: np.ndarray) -> pd.Series:
    """The failing values of one rule as text (dates as ISO dates, multi-column rules: NA)."""
    column = rule.column
    if rule.check == "any_present" or column not in frame.columns:
        return pd.Series(pd.NA, index=range(len(positions)), dtype="string")
    values: pd.Series = frame[column].take(positions).reset_index(drop=True)
    if pd.api.types.is_datetime64_any_dtype(values):
        values = values.dt.strftime("%Y-%m-%d")
    return values.astype("string")


def _summary(rules: pd.DataFrame) -> pd.DataFrame:
    """Checked, passed and failed values per column and dimension, with a score in %."""
    if rules.empty:
        return pd.DataFrame(columns=SUMMARY_COLUMNS)
    frame = rules.assign(
        errors=rules["failed"].where(rules["severity"] == "error", 0),
        warnings=rules["failed"].where(rules["severity"] == "warning", 0),
    )
    grouped = frame.groupby(["column", "dimension"], sort=False, as_index=False)[
        ["checked", "failed", "errors", "warnings"]
    ].sum()
    grouped["passed"] = grouped["checked"] - grouped["failed"]
    grouped["score"] = np.where(
        grouped["checked"] > 0,
        np.round(
            100.0 * grouped["passed"] / grouped["checked"].where(grouped["checked"] > 0, 1), 2
        ),
        100.0,
    )
    return grouped[SUMMARY_COLUMNS].reset_index(drop=True)


def _dimension_scores(rules: pd.DataFrame) -> dict[str, float]:
    """Share of checked values that passed, per dimension, in %."""
    out: dict[str, float] = {}
    for dimension in DIMENSIONS:
        part = rules[rules["dimension"] == dimension]
        checked = int(part["checked"].sum())
        if checked:
            out[dimension] = round(100.0 * (checked - int(part["failed"].sum())) / checked, 2)
    return out
