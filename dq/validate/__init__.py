"""Validation: rule sets (pandera YAML in ``rules/``) applied to canonical tables.

Every failing value comes back as a row of ``issues``; scores per record, column, dimension and
dataset; quality gates from the ``validate:`` section of dq.yaml. See ``docs/rules.md``.
"""

from __future__ import annotations

from dq.validate.engine import (
    ISSUE_COLUMNS,
    SUMMARY_COLUMNS,
    ValidationResult,
    table_kind,
    validate,
)
from dq.validate.masking import mask_value, mask_values
from dq.validate.parse_issues import parse_issue_rows, with_parse_issues
from dq.validate.rules import (
    Rule,
    RuleSet,
    default_rule_sets,
    dump_rule_set,
    load_rule_set,
    resolve_rule_sets,
    rule_set_from_schema,
    save_rule_set,
    shipped_rule_sets,
)
from dq.validate.settings import Threshold, ValidateSettings, load_validate_settings

__all__ = [
    "ISSUE_COLUMNS",
    "SUMMARY_COLUMNS",
    "Rule",
    "RuleSet",
    "Threshold",
    "ValidateSettings",
    "ValidationResult",
    "default_rule_sets",
    "dump_rule_set",
    "load_rule_set",
    "load_validate_settings",
    "mask_value",
    "mask_values",
    "parse_issue_rows",
    "resolve_rule_sets",
    "rule_set_from_schema",
    "save_rule_set",
    "shipped_rule_sets",
    "table_kind",
    "validate",
    "with_parse_issues",
]
