"""The ``standardize:`` section of dq.yaml and a loader that reads just that section."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["StandardizeSettings", "load_standardize_settings"]


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


def load_standardize_settings(path: Path | str) -> StandardizeSettings:
    """The ``standardize:`` section of a dq.yaml, with ``project.country`` as the default country
    when the section names none; the whole file is checked as a workspace."""
    from dq.config import load_workspace

    workspace = load_workspace(path)
    return workspace.standardize.model_copy(update={"default_country": workspace.default_country})
