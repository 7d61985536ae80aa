"""Validation: rule sets (pandera YAML in ``rules/``) applied to canonical tables.

Every failing value comes back as a row of ``issues``; scores per record, column, dimension and
dataset; quality gates from the ``validate:`` section of dq.yaml. See ``docs/rules.md``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dq._lazy import lazy_exports

if TYPE_CHECKING:
    from dq.config import load_validate_settings as load_validate_settings
    from dq.validate.engine import ISSUE_COLUMNS as ISSUE_COLUMNS
    from dq.validate.engine import SUMMARY_COLUMNS as SUMMARY_COLUMNS
    from dq.validate.engine import ValidationResult as ValidationResult
    from dq.validate.engine import table_kind as table_kind
    from dq.validate.engine import validate as validate
    from dq.validate.gates import evaluate_gates as evaluate_gates
    from dq.validate.gates import gate_failure_message as gate_failure_message
    from dq.validate.masking import mask_value as mask_value
    from dq.validate.masking import mask_values as mask_values
    from dq.validate.parse_issues import parse_issue_rows as parse_issue_rows
    from dq.validate.parse_issues import with_parse_issues as with_parse_issues
    from dq.validate.rules import Rule as Rule
    from dq.validate.rules import RuleSet as RuleSet
    from dq.validate.rules import default_rule_sets as default_rule_sets
    from dq.validate.rules import dump_rule_set as dump_rule_set
    from dq.validate.rules import load_rule_set as load_rule_set
    from dq.validate.rules import resolve_rule_sets as resolve_rule_sets
    from dq.validate.rules import rule_set_from_schema as rule_set_from_schema
    from dq.validate.rules import save_rule_set as save_rule_set
    from dq.validate.rules import shipped_rule_sets as shipped_rule_sets
    from dq.validate.settings import Threshold as Threshold
    from dq.validate.settings import ValidateSettings as ValidateSettings

_EXPORTS: dict[str, str] = {
    "ISSUE_COLUMNS": "dq.validate.engine",
    "SUMMARY_COLUMNS": "dq.validate.engine",
    "ValidationResult": "dq.validate.engine",
    "table_kind": "dq.validate.engine",
    "validate": "dq.validate.engine",
    "mask_value": "dq.validate.masking",
    "mask_values": "dq.validate.masking",
    "parse_issue_rows": "dq.validate.parse_issues",
    "with_parse_issues": "dq.validate.parse_issues",
    "Rule": "dq.validate.rules",
    "RuleSet": "dq.validate.rules",
    "default_rule_sets": "dq.validate.rules",
    "dump_rule_set": "dq.validate.rules",
    "load_rule_set": "dq.validate.rules",
    "resolve_rule_sets": "dq.validate.rules",
    "rule_set_from_schema": "dq.validate.rules",
    "save_rule_set": "dq.validate.rules",
    "shipped_rule_sets": "dq.validate.rules",
    "Threshold": "dq.validate.settings",
    "ValidateSettings": "dq.validate.settings",
    "load_validate_settings": "dq.config",
    "evaluate_gates": "dq.validate.gates",
    "gate_failure_message": "dq.validate.gates",
}
__all__ = sorted(_EXPORTS)
_load = lazy_exports(__name__, _EXPORTS)


def __getattr__(name: str) -> Any:
    return _load(name)


def __dir__() -> list[str]:
    return sorted(__all__)
