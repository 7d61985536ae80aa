"""The kind of every column of dq's own tables, so a table written as CSV reads back typed.

Canonical columns take their kind from :mod:`dq.schema`; the others (flags such as
``phone_valid``, scores, review weights) from ``dq/data/table_columns.yaml``. Unknown columns
are text.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import cast, get_args

import yaml

from dq.schema import (
    INTERACTION_COLUMNS,
    RECORD_COLUMNS,
    REJECT_COLUMNS,
    TRANSACTION_COLUMNS,
    ColumnKind,
)

__all__ = ["column_kind", "table_kinds"]

_FILE = Path(__file__).resolve().parent / "data" / "table_columns.yaml"
_CANONICAL: dict[str, ColumnKind] = {
    **REJECT_COLUMNS,
    **INTERACTION_COLUMNS,
    **TRANSACTION_COLUMNS,
    **RECORD_COLUMNS,
}


@dataclass(frozen=True)
class _Kinds:
    columns: dict[str, ColumnKind]
    suffixes: tuple[tuple[str, ColumnKind], ...]  # longest first
    prefixes: tuple[str, ...]
    tables: dict[str, dict[str, ColumnKind]]


def _kind(value: object, where: str) -> ColumnKind:
    if value not in get_args(ColumnKind):
        raise ValueError(f"{_FILE}: {where}: unknown kind {value!r}")
    return cast(ColumnKind, value)


@cache
def _kinds() -> _Kinds:
    data = yaml.safe_load(_FILE.read_text(encoding="utf-8"))
    columns = {str(k): _kind(v, k) for k, v in (data.get("columns") or {}).items()}
    suffixes = sorted(
        ((str(k), _kind(v, k)) for k, v in (data.get("suffixes") or {}).items()),
        key=lambda item: -len(item[0]),
    )
    tables = {
        str(t): {str(k): _kind(v, f"{t}.{k}") for k, v in cols.items()}
        for t, cols in (data.get("tables") or {}).items()
    }
    prefixes = tuple(str(p) for p in data.get("prefixes") or ())
    return _Kinds(columns, tuple(suffixes), prefixes, tables)


def column_kind(name: str, table: str | None = None) -> ColumnKind:
    """The kind of column ``name`` in dq's table ``table`` (``records``, ``gates`` …).

    >>> column_kind("phone_valid"), column_kind("left_postcode"), column_kind("passed", "gates")
    ('bool', 'text', 'bool')
    """
    kinds = _kinds()
    if table is not None and name in kinds.tables.get(table, {}):
        return kinds.tables[table][name]
    if name in _CANONICAL:
        return _CANONICAL[name]
    if name in kinds.columns:
        return kinds.columns[name]
    for suffix, kind in kinds.suffixes:
        if name.endswith(suffix) and len(name) > len(suffix):
            return kind
    for prefix in kinds.prefixes:
        rest = name.removeprefix(prefix)
        if rest != name and rest in _CANONICAL:
            return _CANONICAL[rest]
    return "text"


def table_kinds(names: list[str], table: str | None = None) -> dict[str, ColumnKind]:
    """:func:`column_kind` for every name that is not text."""
    kinds = {name: column_kind(name, table) for name in names}
    return {name: kind for name, kind in kinds.items() if kind != "text"}
