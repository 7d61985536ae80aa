"""The vocabularies the standardisers use, loaded once from YAML package data in ``data/``.

Tables are data so that a new legal form, salutation or free-mail domain is a one-line change.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml

from dq.errors import ConfigError

__all__ = ["load_table"]


@cache
def load_table(name: str) -> Any:
    """The parsed content of ``dq/standardize/data/<name>.yaml`` (cached for the process)."""
    resource = resources.files("dq.standardize") / "data" / f"{name}.yaml"
    try:
        return yaml.safe_load(resource.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(str(resource), [f"cannot load vocabulary: {exc}"]) from exc
