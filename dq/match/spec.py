"""Reading the declarative matching specs (blocking keys, comparisons) from YAML: the shipped
file in ``dq/match/data`` or a user's own."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from dq.errors import ConfigError

__all__ = ["read_spec"]


def read_spec(path: Path | str | None, default: str, what: str) -> tuple[Any, Path | str]:
    """Parsed YAML of ``path`` (None: the shipped ``default``) and where it came from, for
    error messages; ``what`` names the spec in them ("blocking keys", "comparisons")."""
    if path is None:
        text = resources.files("dq.match.data").joinpath(default).read_text("utf-8")
        where: Path | str = f"dq/match/data/{default}"
    else:
        where = Path(path)
        try:
            text = where.read_text("utf-8")
        except OSError as exc:
            raise ConfigError(where, [f"cannot read {what}: {exc.strerror}"]) from exc
    try:
        return yaml.safe_load(text), where
    except yaml.YAMLError as exc:
        raise ConfigError(where, [f"not valid YAML: {exc}"]) from exc
