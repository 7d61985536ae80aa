"""The workspace file ``dq.yaml`` as pydantic models.

Unknown keys are errors that name their path (``sources[2].conector``); relative paths are taken
relative to the file; every problem is reported at once in one :class:`~dq.errors.ConfigError`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from dq.errors import ConfigError
from dq.gdpr.settings import GdprSettings
from dq.golden.settings import GoldenSettings
from dq.match.config import MatchSection
from dq.sources.web.settings import WebSettings
from dq.standardize.settings import StandardizeSettings
from dq.validate.settings import ValidateSettings

__all__ = ["Project", "SourceConfig", "Workspace", "load_workspace"]

WORKSPACE_FILE = "dq.yaml"
WEBSITE_CONNECTOR = "website"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Project(_Strict):
    """Project-wide defaults."""

    name: str = "dq workspace"
    country: str = Field(
        "DE", description="ISO 3166 alpha-2 country assumed where a record has none."
    )
    language: str = Field("de", description="Language of the data (salutations, notes).")

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
    project: Project = Project()
    sources: list[SourceConfig] = Field(default_factory=list)
    standardize: StandardizeSettings = StandardizeSettings()
    web: WebSettings = WebSettings()
    match: MatchSection = Field(default_factory=MatchSection)
    validate_: ValidateSettings = Field(ValidateSettings(), alias="validate")
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
        """The files named by a source's path or glob, sorted; a plain path even if missing."""
        if source.path is None:
            return []
        if any(ch in source.path for ch in "*?["):
            return sorted(p for p in self.root.glob(source.path) if p.is_file())
        return [self.resolve(source.path)]


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
        return Workspace.model_validate({**data, "root": root})
    except ValidationError as exc:
        raise ConfigError(origin, _problems(exc)) from None


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
