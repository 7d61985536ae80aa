"""Settings of golden records (the ``golden`` part of the ``match`` section of dq.yaml).

Survivorship is data: per field or field group an ordered list of rules; the first rule that
tells two candidate values apart decides, the record_id breaks remaining ties.
"""

from __future__ import annotations

from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = ["DEFAULT_GROUPS", "DEFAULT_RULES", "RULES", "GoldenSettings", "Rule"]

Rule = Literal[
    "valid_first",
    "source_priority",
    "most_recent",
    "most_complete",
    "most_frequent",
    "earliest",
    "latest",
]
RULES: tuple[str, ...] = get_args(Rule)

# Fields that survive together, from one record: an address is never half old, half new.
DEFAULT_GROUPS: dict[str, tuple[str, ...]] = {
    "company": ("company_name", "legal_form", "name_core"),
    "person": ("salutation", "title", "first_name", "last_name"),
    "address": (
        "street",
        "house_number",
        "address_extra",
        "postcode",
        "city",
        "region",
        "country",
    ),
    "register": ("register_number", "register_court"),
    "consent": ("marketing_consent", "consent_at", "consent_withdrawn_at"),
}

DEFAULT_RULES: dict[str, tuple[Rule, ...]] = {
    "party_type": ("most_frequent", "source_priority"),
    "company": ("source_priority", "most_frequent", "most_complete", "most_recent"),
    "person": ("most_complete", "most_frequent", "most_recent"),
    "position": ("most_recent",),
    "birth_date": ("most_frequent", "source_priority"),
    "address": ("valid_first", "most_recent", "most_complete", "source_priority"),
    "register": ("valid_first", "source_priority", "most_frequent"),
    "vat_id": ("valid_first", "source_priority", "most_frequent"),
    "iban": ("valid_first", "source_priority", "most_recent"),
    "email": ("valid_first", "most_recent", "most_frequent"),
    "phone": ("valid_first", "most_recent", "most_frequent"),
    "mobile": ("valid_first", "most_recent"),
    "fax": ("valid_first", "most_recent"),
    "website": ("valid_first", "most_frequent", "source_priority"),
    "domain": ("valid_first", "most_frequent", "source_priority"),
    "social_profiles": ("most_complete", "most_recent"),
    "customer_number": ("source_priority", "most_recent"),
    "industry": ("source_priority", "most_frequent"),
    "employees": ("most_recent", "source_priority"),
    "created_at": ("earliest",),
    "updated_at": ("latest",),
    "last_activity_at": ("latest",),
    "consent": ("most_recent",),
}
_FALLBACK: tuple[Rule, ...] = ("valid_first", "source_priority", "most_recent")


class GoldenSettings(BaseModel):
    """How golden records are built and named."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source_priority: dict[str, int] = Field(
        default_factory=dict,
        description="Survivorship priority per source name: lower wins (like sources[].priority); "
        "sources not listed rank last.",
    )
    rules: dict[str, list[Rule]] = Field(
        default_factory=dict,
        description="Rules per field or group name, in order, replacing the defaults for it; "
        "e.g. {address: [source_priority, most_recent]}.",
    )
    groups: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Extra or replaced field groups that survive together from one record.",
    )
    id_prefix: str = Field(
        "G", pattern=r"^[A-Za-z][A-Za-z0-9_-]{0,7}$", description="Prefix of new golden IDs."
    )

    @model_validator(mode="after")
    def _known_names(self) -> GoldenSettings:
        groups = self.field_groups()
        grouped = {f for fields in groups.values() for f in fields}
        for name in self.rules:
            if name not in groups and name in grouped:
                owner = next(g for g, fields in groups.items() if name in fields)
                raise ValueError(f"rules.{name}: field {name!r} survives with group {owner!r}")
        return self

    def field_groups(self) -> dict[str, tuple[str, ...]]:
        """Group name -> fields, defaults overlaid with the configured groups."""
        merged = dict(DEFAULT_GROUPS)
        for name, fields in self.groups.items():
            for other in list(merged):
                if other != name:
                    kept = tuple(f for f in merged[other] if f not in fields)
                    if kept:
                        merged[other] = kept
                    else:
                        del merged[other]
            merged[name] = tuple(fields)
        return merged

    def rules_for(self, name: str) -> tuple[Rule, ...]:
        """The survivorship rules of a field or group."""
        if name in self.rules:
            return tuple(self.rules[name])
        return DEFAULT_RULES.get(name, _FALLBACK)
