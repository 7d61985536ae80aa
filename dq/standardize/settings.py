"""The ``standardize:`` section of dq.yaml and a loader that reads just that section."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["StandardizeSettings"]


class StandardizeSettings(BaseModel):
    """How ``dq standardize`` / ``dq run`` standardise records."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    default_country: str | None = Field(
        None,
        description="ISO alpha-2 region for records without a country; "
        "None uses project.country (DE when that is unset too).",
        pattern=r"^[A-Za-z]{2}$",
    )
    null_placeholders: bool = Field(
        True,
        description="Set placeholder values (n/a, xxx, -, unbekannt …) to null; "
        "the raw value stays in <column>_raw.",
    )
