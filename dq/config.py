"""The workspace file ``dq.yaml`` as pydantic models.

Unknown keys are errors that name their path (``sources[2].conector``); relative paths are taken
relative to the file and must stay inside the workspace folder unless ``allow_outside_paths:
true``; every problem is reported at once in one :class:`~dq.errors.ConfigError`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from dq.audit.settings import AuditSettings
from dq.enrich.settings import ValueSettings
from dq.errors import ConfigError
from dq.gdpr.settings import GdprSettings
from dq.golden.settings import GoldenSettings
from dq.match.config import MatchSection
from dq.match.settings import MatchSettings, with_options
from dq.report.settings import ReportSettings
from dq.sources.web.settings import WebSettings
from dq.standardize.settings import StandardizeSettings
from dq.validate.settings import ValidateSettings

__all__ = [
    "Project",
    "SourceConfig",
    "Workspace",
    "load_match_settings",
    "load_standardize_settings",
    "load_validate_settings",
    "load_web_settings",
    "load_workspace",
    "with_match_options",
]

WORKSPACE_FILE = "dq.yaml"
WEBSITE_CONNECTOR = "website"
_GLOB_CHARS = "*?["


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Project(_Strict):
    """Project-wide defaults."""

    name: str = "dq workspace"
    country: str = Field(
        "DE", description="ISO 3166 alpha-2 country assumed where a record has none."
    )
    language: str = Field("de", description="Language of the data (salutations, notes).")
    as_of: date | None = Field(
        None,
        description="Day that date rules and periods compare with when a run names none "
        "(default: today); pin it for reproducible runs such as the demo.",
    )

    @field_validator("country")
    @classmethod
    def _country(cls, value: str) -> str:
        if len(value) != 2 or not value.isalpha():
            raise ValueError("must be an ISO 3166 alpha-2 code such as DE, AT or CH")
        return value.upper()


class SourceConfig(_Strict):
    """One source: a connector profile applied to a file or a glob of files."""

    name: str = Field(
        pattern=r"^[a-z0-9][a-z0-9_-]*$", description="Short name; prefix of record IDs."
    )
    connector: str = Field(
        description="Connector profile; `website` crawls the sites of records_of's records."
    )
    path: str | None = Field(None, description="File path or glob, relative to dq.yaml.")
    priority: int = Field(100, description="Survivorship priority: lower wins.")
    records_of: str | None = Field(
        None,
        description="For transaction/interaction sources: the source their keys refer to.",
    )
    companies_of: str | None = Field(
        None,
        description="For person sources whose records name their company by key (company_ref: "
        "Salesforce AccountId, HubSpot company record ID): the source holding those companies "
        "(default: the same source).",
    )
    encoding: str | None = Field(None, description="Force an encoding instead of detecting it.")
    delimiter: str | None = Field(None, description="Force a delimiter instead of detecting it.")
    sheet: str | int | None = Field(None, description="Excel sheet name or 0-based index.")
    strict: bool = Field(False, description="Refuse files with undecodable lines, not reject them.")

    @property
    def is_website(self) -> bool:
        """A source whose records come from crawling the websites of ``records_of``'s records."""
        return self.connector == WEBSITE_CONNECTOR

    @model_validator(mode="after")
    def _path_or_website(self) -> SourceConfig:
        if self.is_website and self.records_of is None:
            raise ValueError("a website source needs records_of: the source whose sites to crawl")
        if not self.is_website and self.path is None:
            raise ValueError("path is required (a file or glob, relative to dq.yaml)")
        return self


class Workspace(_Strict):
    """A dq workspace: the parsed dq.yaml plus the folder it lives in."""

    root: Path = Field(Path("."), exclude=True)
    allow_outside_paths: bool = Field(
        False,
        description="Let sources[].path name files outside the workspace folder (off: a "
        "dq.yaml from elsewhere cannot make dq read /etc/passwd or another project's data).",
    )
    project: Project = Project()
    sources: list[SourceConfig] = Field(default_factory=list)
    standardize: StandardizeSettings = StandardizeSettings()
    web: WebSettings = WebSettings()
    match: MatchSection = Field(default_factory=MatchSection)
    validate_: ValidateSettings = Field(ValidateSettings(), alias="validate")
    audit: AuditSettings = AuditSettings()
    report: ReportSettings = ReportSettings()
    value: ValueSettings = ValueSettings()
    gdpr: GdprSettings = GdprSettings()

    @property
    def golden_settings(self) -> GoldenSettings:
        """Survivorship settings; source priorities default to ``sources[].priority``."""
        golden = self.match.golden
        if golden.source_priority:
            return golden
        priority = {s.name: s.priority for s in self.sources}
        return golden.model_copy(update={"source_priority": priority})

    @property
    def default_country(self) -> str:
        """The country assumed for records without one."""
        return (self.standardize.default_country or self.project.country).upper()

    @model_validator(mode="after")
    def _unique_names(self) -> Workspace:
        seen: set[str] = set()
        names = {s.name for s in self.sources}
        for source in self.sources:
            if source.name in seen:
                raise ValueError(f"source name {source.name!r} is used twice")
            seen.add(source.name)
            for key in ("records_of", "companies_of"):
                other = getattr(source, key)
                if other is not None and other not in names:
                    raise ValueError(
                        f"source {source.name!r}: {key} names unknown source {other!r}"
                    )
        return self

    def resolve(self, path: str | Path) -> Path:
        """A path from the file, made absolute relative to the workspace folder."""
        p = Path(path).expanduser()
        return p if p.is_absolute() else (self.root / p)

    def source_files(self, source: SourceConfig) -> list[Path]:
        """The files named by a source's path or glob, sorted; a plain path even if missing.

        Files that lie outside the workspace folder (also through a symbolic link) are refused
        with a :class:`ConfigError` unless ``allow_outside_paths`` is set.
        """
        if source.path is None:
            return []
        if any(ch in source.path for ch in _GLOB_CHARS):
            files = sorted(p for p in self.root.glob(source.path) if p.is_file())
        else:
            files = [self.resolve(source.path)]
        if not self.allow_outside_paths:
            outside = [f for f in files if not _inside(self.root, f)]
            if outside:
                problem = _outside_problem(source, self.root, str(outside[0]))
                raise ConfigError(self.root / WORKSPACE_FILE, [problem])
        return files

    def path_problems(self) -> list[str]:
        """Every source path that leaves the workspace folder (none when that is allowed)."""
        if self.allow_outside_paths:
            return []
        problems = []
        for index, source in enumerate(self.sources):
            if source.path is not None and not _confined(self.root, source.path):
                problem = _outside_problem(source, self.root, repr(source.path))
                problems.append(f"sources[{index}].path: {problem}")
        return problems


def _inside(root: Path, path: Path) -> bool:
    """Whether ``path`` (symbolic links followed) lies in the folder ``root``."""
    return path.resolve().is_relative_to(root.resolve())


def _confined(root: Path, pattern: str) -> bool:
    """Whether a path or glob from dq.yaml can only name files inside ``root``."""
    parts = Path(pattern).expanduser().parts
    fixed: list[str] = []
    for index, part in enumerate(parts):
        if any(ch in part for ch in _GLOB_CHARS):
            if ".." in parts[index:]:  # data/*/../../x climbs out after the wildcard
                return False
            break
        fixed.append(part)
    base = Path(*fixed) if fixed else Path(".")
    return _inside(root, base if base.is_absolute() else root / base)


def _outside_problem(source: SourceConfig, root: Path, what: str) -> str:
    return (
        f"source {source.name!r}: {what} is outside the workspace folder {root}; move the "
        "file into the workspace or set allow_outside_paths: true at the top of dq.yaml"
    )


def _location(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def _problems(exc: ValidationError) -> list[str]:
    problems = []
    for err in exc.errors():
        where = _location(tuple(err["loc"]))
        if err["type"] == "extra_forbidden":
            problems.append(f"{where}: unknown key")
        else:
            problems.append(f"{where}: {err['msg']}")
    return problems


def workspace_from_dict(data: Any, root: Path, origin: Path | None = None) -> Workspace:
    """Build a workspace from parsed YAML; all problems are raised together."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(origin, ["the file must contain a mapping (key: value) at the top level"])
    try:
        workspace = Workspace.model_validate({**data, "root": root})
    except ValidationError as exc:
        raise ConfigError(origin, _problems(exc)) from None
    problems = workspace.path_problems()
    if problems:
        raise ConfigError(origin, problems)
    return workspace


def load_workspace(path: Path | str) -> Workspace:
    """Read ``dq.yaml`` (or the dq.yaml inside a folder) into a :class:`Workspace`."""
    p = Path(path)
    if p.is_dir():
        p = p / WORKSPACE_FILE
    if not p.is_file():
        raise ConfigError(p, ["file not found (create a dq.yaml or pass its path)"])
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError(p, [f"not UTF-8 text (byte {exc.start})"]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(p, [f"{where}invalid YAML: {problem}"]) from None
    return workspace_from_dict(data, p.parent.resolve(), p)


def load_standardize_settings(path: Path | str) -> StandardizeSettings:
    """The ``standardize:`` section of a dq.yaml, with ``project.country`` as the default country
    when the section names none; the whole file is checked as a workspace."""
    workspace = load_workspace(path)
    return workspace.standardize.model_copy(update={"default_country": workspace.default_country})


def load_validate_settings(path: Path | str) -> ValidateSettings:
    """The ``validate:`` section of a dq.yaml (defaults when it has none); the whole file is
    checked as a workspace."""
    return load_workspace(path).validate_


def load_match_settings(path: Path | str) -> tuple[MatchSettings, GoldenSettings]:
    """The ``match`` section (and ``sources[].priority``) of a dq.yaml; the whole file is
    checked as a workspace."""
    workspace = load_workspace(path)
    return workspace.match.matching(), workspace.golden_settings


def with_match_options(workspace: Workspace, options: Mapping[str, Any]) -> Workspace:
    """``workspace`` with ``options`` over its ``match:`` section (the command line's
    ``--engine``, ``--spark-master`` …), validated like dq.yaml."""
    if not options:
        return workspace
    match = with_options(workspace.match, options)
    return workspace.model_copy(update={"match": match})


def load_web_settings(path: Path | str | None, **overrides: Any) -> WebSettings:
    """Read the ``web:`` section of a dq.yaml (or defaults without a file), then apply overrides.

    Overrides whose value is ``None`` are ignored, so CLI options can be passed through as given.
    ``DQ_ALLOW_PRIVATE_NETWORKS=1`` in the environment has the effect of
    ``--allow-private-networks``.
    """
    origin = Path(path) if path is not None else None
    data: dict[str, Any] = {}
    if origin is not None:
        data = load_workspace(origin).web.model_dump(exclude_unset=True)
    if os.environ.get("DQ_ALLOW_PRIVATE_NETWORKS") == "1":  # local use and CI, like the flag
        data["allow_private_networks"] = True
    for key, value in overrides.items():
        if value is None:
            continue
        if key == "resolve":
            data["resolve"] = {**data.get("resolve", {}), **value}
        else:
            data[key] = value
    try:
        return WebSettings.model_validate(data)
    except ValidationError as exc:
        problems = [
            f"web.{'.'.join(str(p) for p in err['loc'])}: "
            + ("unknown key" if err["type"] == "extra_forbidden" else err["msg"])
            for err in exc.errors()
        ]
        raise ConfigError(origin, problems) from None
