"""Reading the ``match`` section of dq.yaml: matching settings plus its ``golden`` subsection.

Source priorities for survivorship default to the ``priority`` of each entry under ``sources``
(lower wins), so a workspace states them once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from dq.errors import ConfigError
from dq.golden.settings import GoldenSettings
from dq.match.settings import MatchSettings

__all__ = ["load_match_settings", "match_settings_from_dict"]


def _problems(prefix: str, exc: ValidationError) -> list[str]:
    out = []
    for err in exc.errors():
        where = ".".join(str(x) for x in (prefix, *err["loc"]))
        out.append(
            f"{where}: unknown key"
            if err["type"] == "extra_forbidden"
            else f"{where}: {err['msg']}"
        )
    return out


def match_settings_from_dict(
    data: dict[str, Any], origin: Path | None = None
) -> tuple[MatchSettings, GoldenSettings]:
    """Build both settings from a parsed dq.yaml; every problem is reported at once."""
    section = data.get("match") or {}
    if not isinstance(section, dict):
        raise ConfigError(origin, ["match: must be a mapping"])
    section = dict(section)
    golden = section.pop("golden", None) or {}
    if not isinstance(golden, dict):
        raise ConfigError(origin, ["match.golden: must be a mapping"])
    sources = data.get("sources") or []
    if "source_priority" not in golden and isinstance(sources, list):
        priority = {
            s["name"]: s["priority"]
            for s in sources
            if isinstance(s, dict) and "name" in s and isinstance(s.get("priority"), int)
        }
        if priority:
            golden = {**golden, "source_priority": priority}
    problems: list[str] = []
    match = golden_settings = None
    try:
        match = MatchSettings(**section)
    except ValidationError as exc:
        problems += _problems("match", exc)
    try:
        golden_settings = GoldenSettings(**golden)
    except ValidationError as exc:
        problems += _problems("match.golden", exc)
    if problems or match is None or golden_settings is None:
        raise ConfigError(origin, problems)
    return match, golden_settings


def load_match_settings(path: Path | str) -> tuple[MatchSettings, GoldenSettings]:
    """Read the ``match`` section (and ``sources[].priority``) of a dq.yaml."""
    p = Path(path)
    if p.is_dir():
        p = p / "dq.yaml"
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ConfigError(p, [f"cannot read: {type(exc).__name__}"]) from exc
    if not isinstance(data, dict):
        raise ConfigError(p, ["the file must hold a mapping of sections"])
    return match_settings_from_dict(data, p)
