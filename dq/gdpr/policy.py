"""The deletion concept as data: ``rules/retention.yaml`` merged with a workspace's own file.

A :class:`RetentionPolicy` holds named rules (purpose, retention, request, marketing, hold,
contact), the field groups a restricted customer keeps, and which dates count as contact. The
file is checked completely and every problem is reported at once in one :class:`RuleError`.
Imports no pandas.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from dq.errors import RuleError
from dq.resources import shipped_dir

__all__ = [
    "REQUEST_TYPES",
    "LastContact",
    "Period",
    "RetentionPolicy",
    "RetentionRule",
    "load_policy",
    "parse_period",
]

REQUEST_TYPES = (
    "access",
    "erasure",
    "objection",
    "restriction",
    "consent_withdrawn",
    "hold",
    "hold_released",
)
RequestType = Literal[
    "access", "erasure", "objection", "restriction", "consent_withdrawn", "hold", "hold_released"
]
Kind = Literal["purpose", "retention", "request", "marketing", "hold", "contact"]
Start = Literal["last_contact", "last_booking", "last_interaction", "consent"]

_PERIOD = re.compile(r"\s*(\d+)\s*([ymd])\s*", re.ASCII)


class Period(BaseModel):
    """A period of whole years, months or days."""

    model_config = ConfigDict(frozen=True)

    amount: int
    unit: Literal["y", "m", "d"]

    def __str__(self) -> str:
        return f"{self.amount}{self.unit}"


def parse_period(text: str) -> Period:
    """``"10y"`` → 10 years, ``"24m"`` → 24 months, ``"30d"`` → 30 days."""
    match = _PERIOD.fullmatch(str(text))
    if match is None:
        raise ValueError(f"period {text!r} must look like 10y, 24m or 30d")
    return Period(amount=int(match.group(1)), unit=match.group(2))


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RetentionRule(_Strict):
    """One rule of the deletion concept: category, start event, period, action, legal basis."""

    name: str
    kind: Kind
    category: str
    legal_basis: str
    enabled: bool = True
    applies_to: Literal["customer", "prospect"] | None = None
    start: Start | None = None
    period: str | None = None
    from_: Literal["end_of_year", "event"] = Field("event", alias="from")
    sources: list[str] | None = Field(
        None, description="retention on bookings: the transaction sources it covers (null: rest)"
    )
    kinds: list[str] | None = Field(None, description="retention on interactions: their kinds")
    keeps: list[str] = Field(default_factory=list)
    request: RequestType | None = None
    requests: list[RequestType] = Field(default_factory=list)
    action: Literal["delete", "restrict"] = "delete"

    @property
    def parsed_period(self) -> Period:
        """The rule's period (a zero-day period when it has none)."""
        return parse_period(self.period) if self.period else Period(amount=0, unit="d")

    @model_validator(mode="after")
    def _complete(self) -> RetentionRule:
        problems = []
        if self.period is not None:
            parse_period(self.period)
        if self.kind in ("purpose", "retention") and (self.start is None or self.period is None):
            problems.append(f"a {self.kind} rule needs start and period")
        if self.kind == "purpose" and self.applies_to is None:
            problems.append("a purpose rule needs applies_to: customer or prospect")
        if self.kind == "retention" and not self.keeps:
            problems.append("a retention rule needs keeps: the field groups that stay")
        if self.kind == "request" and (self.request is None or self.period is None):
            problems.append("a request rule needs request (its type) and period (the deadline)")
        if self.kind in ("marketing", "hold") and not self.requests:
            problems.append(f"a {self.kind} rule needs requests: the request types it reacts to")
        if problems:
            raise ValueError("; ".join(problems))
        return self


class LastContact(_Strict):
    """Which dates count as contact with a customer; ``fallback`` only when none exists."""

    records: list[str] = Field(default_factory=lambda: ["last_activity_at"])
    transactions: list[str] = Field(default_factory=lambda: ["doc_date"])
    interactions: list[str] = Field(default_factory=lambda: ["date"])
    fallback: list[str] = Field(default_factory=lambda: ["updated_at", "created_at"])


class RetentionPolicy(_Strict):
    """The whole deletion concept: rules by name, field groups, what counts as contact."""

    disclaimer: str = ""
    last_contact: LastContact = LastContact()
    field_groups: dict[str, list[str]]
    rules: dict[str, RetentionRule]

    @model_validator(mode="after")
    def _consistent(self) -> RetentionPolicy:
        problems = []
        for rule in self.rules.values():
            unknown = sorted(set(rule.keeps) - set(self.field_groups))
            if unknown:
                problems.append(f"rules.{rule.name}.keeps: unknown field groups {unknown}")
        for applies_to in ("customer", "prospect"):
            if len(self.purpose_rules(applies_to)) != 1:
                problems.append(f"exactly one enabled purpose rule must apply to {applies_to}")
        for kind in ("hold", "contact"):
            if len(self.of_kind(kind)) > 1:
                problems.append(f"at most one enabled {kind} rule")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def of_kind(self, kind: Kind) -> list[RetentionRule]:
        """The enabled rules of one kind, in file order."""
        return [r for r in self.rules.values() if r.enabled and r.kind == kind]

    def purpose_rules(self, applies_to: str) -> list[RetentionRule]:
        """The enabled purpose rules for customers or prospects."""
        return [r for r in self.of_kind("purpose") if r.applies_to == applies_to]

    def fields_of(self, groups: list[str]) -> list[str]:
        """The canonical columns of the named field groups, in group order."""
        return [f for g in groups for f in self.field_groups[g]]


def _read(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleError(f"{path}: cannot read the retention policy ({exc})") from None
    except yaml.YAMLError as exc:
        raise RuleError(f"{path}: invalid YAML in the retention policy: {exc}") from None
    if not isinstance(data, dict):
        raise RuleError(f"{path}: a retention policy must be a mapping")
    return data


def _merge(base: dict[str, Any], override: dict[str, Any], path: Path) -> dict[str, Any]:
    """The override's keys win; rules and field groups merge by name, rules key by key."""
    merged = {**base, **{k: v for k, v in override.items() if k not in ("rules", "field_groups")}}
    merged["field_groups"] = {**base.get("field_groups", {}), **override.get("field_groups", {})}
    rules = {name: dict(rule) for name, rule in base.get("rules", {}).items()}
    for name, rule in (override.get("rules") or {}).items():
        if not isinstance(rule, dict):
            raise RuleError(f"{path}: rules.{name} must be a mapping")
        rules[name] = {**rules.get(name, {}), **rule}
    merged["rules"] = rules
    return merged


def _problems(exc: ValidationError) -> list[str]:
    out = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"]) or "(top level)"
        message = "unknown key" if err["type"] == "extra_forbidden" else err["msg"]
        out.append(f"{where}: {message}")
    return out


def load_policy(workspace_policy: Path | None = None) -> RetentionPolicy:
    """The shipped deletion concept, merged with ``workspace_policy`` when that file exists."""
    shipped = shipped_dir("rules") / "retention.yaml"
    data = _read(shipped)
    origin = shipped
    if workspace_policy is not None and workspace_policy.is_file():
        data = _merge(data, _read(workspace_policy), workspace_policy)
        origin = workspace_policy
    rules = data.get("rules")
    if isinstance(rules, dict):
        data["rules"] = {
            name: {**rule, "name": name} if isinstance(rule, dict) else rule
            for name, rule in rules.items()
        }
    try:
        return RetentionPolicy.model_validate(data)
    except ValidationError as exc:
        problems = _problems(exc)
        lines = "\n".join(f"  - {p}" for p in problems)
        raise RuleError(
            f"{origin}: {len(problems)} problem(s) in the retention policy:\n{lines}"
        ) from None
