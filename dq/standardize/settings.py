"""The ``standardize:`` section of dq.yaml and a loader that reads just that section."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from dq.errors import ConfigError

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
    """Read the ``standardize`` section of a dq.yaml (``project.country`` as the default country).

    Only this section and ``project.country`` are read; the lead's workspace loader validates the
    rest of the file.
    """
    p = Path(path)
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(p, [f"cannot read: {exc}"]) from exc
    if not isinstance(data, dict):
        raise ConfigError(p, ["the file must hold a mapping of sections"])
    section = data.get("standardize") or {}
    project = data.get("project") or {}
    if not isinstance(section, dict):
        raise ConfigError(p, ["standardize: must be a mapping"])
    if "default_country" not in section and isinstance(project, dict) and project.get("country"):
        section = {**section, "default_country": project["country"]}
    try:
        return StandardizeSettings(**section)
    except ValidationError as exc:
        problems = [
            f"standardize.{'.'.join(str(x) for x in err['loc'])}: {err['msg']}"
            for err in exc.errors()
        ]
        raise ConfigError(p, problems) from exc
