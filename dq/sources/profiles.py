"""Connector profiles: YAML files that say which reader to use and how source columns become
canonical fields. Shipped profiles live in ``connectors/``; a workspace's own ``connectors/``
folder overrides or adds to them. Loading checks every profile completely and reports all
problems at once.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from dq.errors import ConfigError, ConnectorError
from dq.resources import shipped_dir
from dq.schema import INTERACTION_COLUMNS, RECORD_COLUMNS, REQUEST_COLUMNS, TRANSACTION_COLUMNS

__all__ = [
    "ConnectorProfile",
    "DatevRules",
    "FieldSpec",
    "list_connectors",
    "load_connector",
    "profile_dirs",
    "source_columns",
]

Produces = Literal["records", "transactions", "interactions", "requests"]
_CANONICAL = {
    "records": RECORD_COLUMNS,
    "transactions": TRANSACTION_COLUMNS,
    "interactions": INTERACTION_COLUMNS,
    "requests": REQUEST_COLUMNS,
}


_EXTRA_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FieldSpec(_Strict):
    """How one canonical field is taken from the source row: exactly one of ``column``,
    ``coalesce``, ``combine``, ``split`` or ``value``, then optional ``map`` and parsing."""

    column: str | list[str] | None = Field(
        None, description="Header name, or alternatives: the first that exists in the file."
    )
    coalesce: list[str] | None = Field(None, description="First non-empty value across columns.")
    combine: list[str] | None = Field(None, description="Non-empty values joined with `sep`.")
    split: str | None = Field(None, description="Column to split at `sep`; take part `index`.")
    value: str | None = Field(None, description="A constant.")
    prefix: str | None = Field(
        None,
        description="Column whose value is put in front unless the field already starts with "
        "letters (DATEV: EU-Land + EU-USt-IdNr.).",
    )
    sep: str = " "
    index: int = 0
    map: dict[str, str | None] | None = Field(
        None, description="Replace values (matched case-insensitively); unmapped values stay."
    )
    date_format: list[str] | None = Field(None, description="strftime formats, tried in order.")
    optional: bool = Field(False, description="The column may be missing from the file.")

    @model_validator(mode="after")
    def _one_source(self) -> FieldSpec:
        given = [
            k
            for k in ("column", "coalesce", "combine", "split", "value")
            if getattr(self, k) is not None
        ]
        if len(given) != 1:
            raise ValueError(
                "give exactly one of column, coalesce, combine, split, value"
                + (f" (got {', '.join(given)})" if given else "")
            )
        return self

    def columns(self) -> list[str]:
        """Source columns this field reads (alternatives included)."""
        if isinstance(self.column, str):
            return [self.column]
        return list(
            self.column or self.coalesce or self.combine or ([self.split] if self.split else [])
        )


class DatevRules(_Strict):
    """Chart-of-accounts conventions: which accounts are customers, which are bank accounts."""

    debtor_accounts: tuple[int, int] | None = Field(
        None,
        description="Inclusive range of debtor accounts; default from the header's account "
        "length L: 10^L .. 7*10^L - 1 (10000-69999 for L = 4).",
    )
    bank_accounts: list[tuple[int, int]] = Field(
        default_factory=lambda: [(1000, 1399), (1800, 1899)],
        description="Cash and bank account ranges (SKR03 1000-1399, SKR04 1800-1899): a credit "
        "to the debtor against these is a payment.",
    )
    creditor_accounts: tuple[int, int] | None = Field(
        None,
        description="Inclusive range of creditor (supplier) accounts; default: from the end of "
        "the debtor range to 10^(L+1) - 1 (70000-99999 for L = 4).",
    )
    write_off_accounts: list[tuple[int, int]] = Field(
        default_factory=lambda: [(2400, 2409), (6930, 6939)],
        description="Bad-debt accounts (Forderungsverluste; SKR03 2400, SKR04 6930): a credit "
        "to the debtor against these is a write-off, not a credit note.",
    )
    discount_accounts: list[tuple[int, int]] = Field(
        default_factory=lambda: [(8730, 8739), (4730, 4739)],
        description="Cash discounts granted (Gewährte Skonti; SKR03 8730, SKR04 4730): a "
        "credit to the debtor against these is a discount, not a credit note.",
    )
    debtors_only: bool = Field(
        True,
        description="Master data: keep debtor accounts only; creditors (suppliers) are skipped "
        "into rejects with the reason.",
    )


class ConnectorProfile(_Strict):
    """A connector: reader, what it produces, keys and field mapping."""

    name: str
    description: str
    reader: Literal["delimited", "datev", "excel"]
    produces: Produces = "records"
    formats: list[str] = Field(default_factory=list, description="Where such files come from.")
    datev_category: int | None = None
    delimiter: str | None = None
    encoding: str | None = None
    key: list[str | list[str]] = Field(
        default_factory=list,
        description="Columns forming the source's own ID (each a column or a list of "
        "alternative names); where blank, a content hash of the row.",
    )
    key_optional: bool = Field(
        False, description="The key columns may be missing from the file (content hashes then)."
    )
    record_key: list[str | list[str]] = Field(
        default_factory=list,
        description="For transactions/interactions: columns naming the key of their record.",
    )
    party_type: Literal["company", "person"] | None = Field(
        None, description="Fixed party type; otherwise mapped or inferred from the names."
    )
    datev: DatevRules | None = Field(None, description="DATEV account conventions.")
    min_header_share: float = Field(
        0.2,
        ge=0.0,
        le=1.0,
        description="Refuse a file whose header holds fewer than this share of the profile's "
        "columns (fields and key parts; at least one always).",
    )
    fields: dict[str, FieldSpec]
    extra: dict[str, str | list[str]] = Field(
        default_factory=dict,
        description="Source columns passed through as text under a name of their own (header "
        "name or alternatives): what the file holds that has no canonical column.",
    )

    @model_validator(mode="after")
    def _fields_are_canonical(self) -> ConnectorProfile:
        allowed = _CANONICAL[self.produces]
        unknown = sorted(set(self.fields) - set(allowed))
        if unknown:
            raise ValueError(
                f"fields {', '.join(unknown)} are not canonical {self.produces} columns"
            )
        clash = sorted(n for n in self.extra if n in allowed or not _EXTRA_NAME.match(n))
        if clash:
            raise ValueError(
                f"extra columns {', '.join(clash)}: use lower-case names that are not canonical"
            )
        if self.reader == "datev" and self.datev_category is None:
            raise ValueError(
                "a datev reader needs datev_category (16 Debitoren, 21 Buchungsstapel, 48 Diverse "
                "Adressen)"
            )
        if self.produces not in ("records", "requests") and not self.record_key:
            raise ValueError(f"a connector producing {self.produces} needs record_key")
        return self


def source_columns(profile: ConnectorProfile) -> set[str]:
    """Every file column the profile may read (alternatives included)."""
    names: set[str] = set()
    for spec in profile.fields.values():
        names.update(spec.columns())
        if spec.prefix is not None:
            names.add(spec.prefix)
    for key in [*profile.key, *profile.record_key]:
        names.update([key] if isinstance(key, str) else key)
    for extra in profile.extra.values():
        names.update([extra] if isinstance(extra, str) else extra)
    return names


def profile_dirs(workspace_dir: Path | None = None) -> list[Path]:
    """Folders searched for profiles, later ones overriding earlier ones."""
    dirs = [shipped_dir("connectors")]
    if workspace_dir is not None and (workspace_dir / "connectors").is_dir():
        dirs.append(workspace_dir / "connectors")
    return dirs


def _profile_files(workspace_dir: Path | None) -> dict[str, Path]:
    files: dict[str, Path] = {}
    for folder in profile_dirs(workspace_dir):
        for path in sorted(folder.glob("*.yaml")):
            files[path.stem] = path
    return files


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError(
            path, [f"not UTF-8 text (byte 0x{exc.object[exc.start]:02X} at offset {exc.start})"]
        ) from None
    except OSError as exc:
        raise ConfigError(path, [f"cannot read the profile: {exc.strerror}"]) from None
    except yaml.YAMLError as exc:
        raise ConfigError(path, [f"invalid YAML: {exc}"]) from None
    if not isinstance(data, dict):
        raise ConfigError(path, ["a connector profile must be a mapping"])
    return data


def _load_file(path: Path, files: dict[str, Path] | None = None) -> ConnectorProfile:
    data = _read_yaml(path)
    base_name = data.pop("extends", None)
    if base_name is not None:
        # `extends: other` takes the other profile's keys; this file's keys win.
        base_path = (files or {}).get(base_name) or path.with_name(f"{base_name}.yaml")
        if not base_path.is_file() or base_name == path.stem:
            raise ConfigError(path, [f"extends: no profile {base_name!r} to extend"])
        base = _read_yaml(base_path)
        base.pop("name", None)
        data = {**base, **data}
    data.setdefault("name", path.stem)
    try:
        profile = ConnectorProfile.model_validate(data)
    except ValidationError as exc:
        problems = [
            ".".join(str(p) for p in err["loc"])
            + ": "
            + ("unknown key" if err["type"] == "extra_forbidden" else err["msg"])
            for err in exc.errors()
        ]
        raise ConfigError(path, problems) from None
    if profile.name != path.stem:
        raise ConfigError(path, [f"name {profile.name!r} differs from the file name {path.stem!r}"])
    return profile


def load_connector(name: str, workspace_dir: Path | None = None) -> ConnectorProfile:
    """The profile called ``name``: the workspace's own if it has one, else the shipped one."""
    files = _profile_files(workspace_dir)
    if name not in files:
        raise ConnectorError.unknown(name, files)
    return _load_file(files[name], files)


def list_connectors(workspace_dir: Path | None = None) -> list[ConnectorProfile]:
    """Every available profile, sorted by name; invalid profiles raise with all their problems."""
    files = _profile_files(workspace_dir)
    return [_load_file(path, files) for _, path in sorted(files.items())]
