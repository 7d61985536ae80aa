"""The CRMs `dq audit` prepares imports for, as data (``dq/audit/data/targets.yaml``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Literal

import yaml

from dq.errors import ConfigError

__all__ = ["TARGETS", "FileLayout", "Target", "load_target"]

TARGETS = ("hubspot", "salesforce", "generic")
RowKind = Literal["companies", "persons", "customers", "contacts"]


@dataclass(frozen=True)
class FileLayout:
    """One import file: which rows, which columns (target header → dq field), the target's rules."""

    name: str
    rows: RowKind
    columns: dict[str, str]
    required: tuple[str, ...] = ()
    unique: tuple[str, ...] = ()
    dedupe_by: str | None = None


@dataclass(frozen=True)
class Target:
    """A CRM's import rules: files, row and size limits, and where the rules come from."""

    name: str
    label: str
    source: str
    max_rows: int
    max_bytes: int
    files: tuple[FileLayout, ...] = field(default_factory=tuple)


@cache
def load_target(name: str) -> Target:
    """The import layout of target ``name`` (hubspot, salesforce or generic)."""
    resource = resources.files("dq.audit") / "data" / "targets.yaml"
    try:
        data = yaml.safe_load(resource.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(str(resource), [f"cannot load target layouts: {exc}"]) from exc
    if name not in data:
        raise ConfigError(None, [f"unknown target {name!r}; choose one of {', '.join(TARGETS)}"])
    spec = data[name]
    files = tuple(
        FileLayout(
            name=file_name,
            rows=layout["rows"],
            columns=dict(layout.get("columns") or {}),
            required=tuple(layout.get("required") or ()),
            unique=tuple(layout.get("unique") or ()),
            dedupe_by=layout.get("dedupe_by"),
        )
        for file_name, layout in spec["files"].items()
    )
    return Target(
        name=name,
        label=spec["label"],
        source=" ".join(str(spec["source"]).split()),
        max_rows=int(spec["max_rows"]),
        max_bytes=int(spec["max_bytes"]),
        files=files,
    )
