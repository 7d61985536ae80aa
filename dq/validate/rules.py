"""Rule sets: pandera YAML schema files read into :class:`RuleSet` objects, and written back.

A rule file is pandera's YAML schema format. dq's own settings for the file (which table it
checks, which rows it applies to, whether it runs by default) sit under ``metadata: dq:``, a key
``pandera.io.pandas_io.from_yaml`` reads into ``schema.metadata`` but pandera 0.35's ``to_yaml``
does not write: :func:`save_rule_set` writes it back, so load → save → load is a fixed point.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, cast

import pandas as pd
import pandera.pandas as pa
import yaml
from pandera.io.pandas_io import deserialize_schema, serialize_schema

from dq.checks import CHECKS, DIMENSIONS, SEVERITIES, Dimension, Severity
from dq.errors import RuleError
from dq.resources import shipped_dir

__all__ = [
    "Rule",
    "RuleSet",
    "TableKind",
    "default_rule_sets",
    "dump_rule_set",
    "load_rule_set",
    "resolve_rule_sets",
    "rule_set_from_schema",
    "save_rule_set",
    "shipped_rule_sets",
]

TableKind = Literal["records", "transactions", "interactions"]
_TABLES: tuple[TableKind, ...] = ("records", "transactions", "interactions")

# Keys of a serialized column that are not check names (pandera's reserved component keys).
_COLUMN_KEYS = frozenset(
    [
        "title",
        "description",
        "dtype",
        "nullable",
        "checks",
        "name",
        "unique",
        "coerce",
        "required",
        "regex",
        "default",
        "report_duplicates",
        "drop_invalid_rows",
    ]
)


@dataclass(frozen=True)
class Rule:
    """One check applied to one column by one rule set, with its dimension and severity."""

    rule_set: str
    column: str
    check: str
    dimension: Dimension
    severity: Severity
    statistics: Mapping[str, Any]
    pandera_check: pa.Check | None = field(compare=False, repr=False)
    level: Literal["column", "frame", "builtin", "nullable"] = "column"

    @property
    def id(self) -> str:
        """``rule_set:column.check``, the name a threshold in dq.yaml matches."""
        return f"{self.rule_set}:{self.column}.{self.check}"


@dataclass(frozen=True)
class RuleSet:
    """A named set of rules for one canonical table, optionally limited to some rows."""

    name: str
    schema: pa.DataFrameSchema = field(repr=False)
    table: TableKind = "records"
    applies_to: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    default: bool = False
    description: str | None = None
    path: Path | None = None
    rules: tuple[Rule, ...] = ()

    def row_mask(self, frame: pd.DataFrame) -> pd.Series:
        """Which rows of ``frame`` this rule set applies to."""
        mask = pd.Series(True, index=frame.index)
        for column, values in self.applies_to.items():
            if column not in frame.columns:
                return pd.Series(False, index=frame.index)
            mask &= frame[column].astype("string[pyarrow]").str.strip().str.lower().isin(values)
        return mask.fillna(False).astype(bool)

    def columns(self) -> list[str]:
        """Every input column the rules read (scope columns included)."""
        cols: list[str] = list(self.applies_to)
        for rule in self.rules:
            spec = CHECKS.get(rule.check)
            if rule.level == "frame" and spec is not None:
                cols.extend(spec.columns(rule.statistics))
            else:
                cols.append(rule.column)
        return list(dict.fromkeys(cols))


# ---------------------------------------------------------------------------------------------
# reading


def load_rule_set(path: Path | str) -> RuleSet:
    """Read a rule file (pandera YAML schema); every problem is reported in one RuleError."""
    p = Path(path)
    if not p.is_file():
        raise RuleError(f"{p}: rule file not found")
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise RuleError(f"{p}: not UTF-8 text (byte {exc.start})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        raise RuleError(f"{p}: {where}invalid YAML: {getattr(exc, 'problem', exc)}") from None
    return rule_set_from_dict(data, name=p.stem, path=p)


def rule_set_from_dict(data: Any, *, name: str, path: Path | None = None) -> RuleSet:
    """Build a rule set from a parsed rule file; raise one RuleError listing every problem."""
    where = str(path) if path is not None else name
    if not isinstance(data, Mapping):
        raise RuleError(f"{where}: a rule file must be a mapping (pandera YAML schema)")
    problems = _scan(data)
    meta = _dq_metadata(data, problems)
    if problems:
        raise _error(where, problems)
    try:
        schema: pa.DataFrameSchema = deserialize_schema(dict(data))  # type: ignore[no-untyped-call]
    except Exception as exc:  # pandera raises many types for a malformed schema
        raise RuleError(f"{where}: not a valid pandera schema: {exc}") from exc
    return rule_set_from_schema(schema, name=name, path=path, **meta)


def rule_set_from_schema(
    schema: pa.DataFrameSchema,
    *,
    name: str,
    table: TableKind = "records",
    applies_to: Mapping[str, Sequence[str]] | None = None,
    default: bool = False,
    path: Path | None = None,
) -> RuleSet:
    """Wrap a pandera schema as a rule set, turning each of its checks into a :class:`Rule`."""
    where = str(path) if path is not None else name
    problems: list[str] = []
    rules: list[Rule] = []
    for col_name, column in schema.columns.items():
        col = str(col_name)
        if not column.nullable:
            rules.append(Rule(name, col, "not_null", "completeness", "error", {}, None, "nullable"))
        for check in column.checks:
            rule = _rule(name, col, check, problems, f"column {col!r}")
            if rule is not None:
                rules.append(rule)
    for i, check in enumerate(schema.checks):
        rule = _rule(name, None, check, problems, f"checks[{i}]")
        if rule is not None:
            rules.append(rule)
    if problems:
        raise _error(where, problems)
    scope = {str(k).strip(): _values(v) for k, v in (applies_to or {}).items()}
    return RuleSet(
        name=name,
        schema=schema,
        table=table,
        applies_to=scope,
        default=default,
        description=schema.description,
        path=path,
        rules=tuple(rules),
    )


def _values(value: Any) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else list(value)
    return tuple(str(v).strip().lower() for v in items)


def _rule(
    rule_set: str, column: str | None, check: pa.Check, problems: list[str], where: str
) -> Rule | None:
    name = str(check.name)
    stats = dict(check.statistics or {})
    spec = CHECKS.get(name)
    if spec is None:
        if column is None:
            problems.append(f"{where}: {name!r} is a pandera dataframe check; dq needs a dq check")
            return None
        # A pandera built-in (isin, str_matches …): validity, error; no place for our statistics.
        return Rule(rule_set, column, name, "validity", "error", stats, check, "builtin")
    dimension = stats.get("dimension") or spec.dimension
    severity = stats.get("severity") or "error"
    if dimension not in DIMENSIONS:
        problems.append(
            f"{where}, {name}: dimension {dimension!r} is not one of {', '.join(DIMENSIONS)}"
        )
    if severity not in SEVERITIES:
        problems.append(
            f"{where}, {name}: severity {severity!r} is not one of {', '.join(SEVERITIES)}"
        )
    for key in spec.required:
        if stats.get(key) in (None, "", []):
            problems.append(f"{where}, {name}: the statistic {key!r} is required")
    days = stats.get("days")
    if days is not None and (isinstance(days, bool) or not isinstance(days, int) or days < 0):
        problems.append(f"{where}, {name}: days must be a whole number of days, not {days!r}")
    if spec.level == "column" and column is None:
        problems.append(f"{where}: {name} is a column check; put it under its column")
        return None
    if spec.level == "frame" and column is not None:
        problems.append(
            f"{where}: {name} reads several columns; put it under the schema's `checks:` "
            f"with `column: {column}`"
        )
        return None
    if column is None:
        target = stats.get("column") or stats.get("columns") or "?"
        column = target if isinstance(target, str) else "|".join(str(t) for t in target)
    return Rule(
        rule_set,
        column,
        name,
        cast(Dimension, dimension),
        cast(Severity, severity),
        stats,
        check,
        spec.level,
    )


def _scan(data: Mapping[str, Any]) -> list[str]:
    """Problems pandera would report one at a time (unknown checks) or not at all."""
    problems: list[str] = []
    columns = data.get("columns") or {}
    if isinstance(columns, list):
        columns = {str(c.get("name")): c for c in columns if isinstance(c, Mapping)}
    if not isinstance(columns, Mapping):
        return ["`columns` must be a mapping of column name to column spec"]
    for col, spec in columns.items():
        if spec is None:
            continue
        if not isinstance(spec, Mapping):
            problems.append(f"column {col!r}: must be a mapping")
            continue
        names = [k for k in spec if k not in _COLUMN_KEYS]
        names += _list_check_names(spec.get("checks"))
        problems += [f"column {col!r}: {_unknown(n)}" for n in names if not _known(n)]
    checks = data.get("checks")
    names = list(checks) if isinstance(checks, Mapping) else _list_check_names(checks)
    problems += [f"checks: {_unknown(n)}" for n in names if not _known(n)]
    return problems


def _list_check_names(checks: Any) -> list[str]:
    if not isinstance(checks, list):
        return []
    out = []
    for item in checks:
        options = item.get("options") if isinstance(item, Mapping) else None
        if isinstance(options, Mapping) and options.get("check_name"):
            out.append(str(options["check_name"]))
    return out


def _known(name: str) -> bool:
    return name in CHECKS or hasattr(pa.Check, name)


def _unknown(name: str) -> str:
    close = [c for c in CHECKS if c[:4] == name[:4] or name in c]
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return f"unknown check {name!r}{hint}; dq checks: {', '.join(sorted(CHECKS))}"


def _dq_metadata(data: Mapping[str, Any], problems: list[str]) -> dict[str, Any]:
    meta = data.get("metadata") or {}
    dq_meta = meta.get("dq") if isinstance(meta, Mapping) else None
    if dq_meta is None:
        return {}
    if not isinstance(dq_meta, Mapping):
        problems.append("metadata.dq must be a mapping")
        return {}
    out: dict[str, Any] = {}
    for key, value in dq_meta.items():
        if key == "table":
            if value not in _TABLES:
                problems.append(f"metadata.dq.table: {value!r} is not one of {', '.join(_TABLES)}")
            else:
                out["table"] = value
        elif key == "applies_to":
            ok = isinstance(value, Mapping) and all(
                isinstance(v, str) or (isinstance(v, list) and v) for v in value.values()
            )
            if not ok:
                problems.append("metadata.dq.applies_to: must map a column to a value or a list")
            else:
                out["applies_to"] = value
        elif key == "default":
            if not isinstance(value, bool):
                problems.append("metadata.dq.default: must be true or false")
            else:
                out["default"] = value
        else:
            problems.append(f"metadata.dq.{key}: unknown key (table, applies_to, default)")
    return out


def _error(where: str, problems: Sequence[str]) -> RuleError:
    if len(problems) == 1:
        return RuleError(f"{where}: {problems[0]}")
    lines = "\n".join(f"  - {p}" for p in problems)
    return RuleError(f"{where}: {len(problems)} problems:\n{lines}")


# ---------------------------------------------------------------------------------------------
# writing


def dump_rule_set(rule_set: RuleSet) -> str:
    """The rule set as pandera YAML text with dq's ``metadata: dq:`` block."""
    data = serialize_schema(rule_set.schema)
    data.pop("version", None)  # the pandera version would make files differ across upgrades
    for spec in (data.get("columns") or {}).values():
        if isinstance(spec, dict):
            for key, value in spec.items():
                if key not in _COLUMN_KEYS and isinstance(value, dict):
                    _drop_auto_error(key, value)
            for item in spec.get("checks") or []:
                _drop_auto_error(item.get("options", {}).get("check_name", ""), item["options"])
    for item in data.get("checks") or []:
        _drop_auto_error(item.get("options", {}).get("check_name", ""), item["options"])
    dq_meta: dict[str, Any] = {"table": rule_set.table}
    if rule_set.applies_to:
        dq_meta["applies_to"] = {k: list(v) for k, v in rule_set.applies_to.items()}
    dq_meta["default"] = rule_set.default
    data["metadata"] = {**dict(rule_set.schema.metadata or {}), "dq": dq_meta}
    text: str = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    return text


def _drop_auto_error(check_name: str, mapping: dict[str, Any]) -> None:
    """Drop the ``error`` text pandera derives from the statistics; it is rebuilt on load."""
    error = mapping.get("error")
    if isinstance(error, str) and re.match(rf"{re.escape(check_name)}\(", error):
        del mapping["error"]


def save_rule_set(rule_set: RuleSet, path: Path | str) -> Path:
    """Write ``rule_set`` as a rule file that :func:`load_rule_set` reads back unchanged."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(dump_rule_set(rule_set), encoding="utf-8")
    return p


# ---------------------------------------------------------------------------------------------
# shipped sets


def shipped_rule_sets() -> dict[str, Path]:
    """Name → path of every rule set shipped with dq (``rules/*.yaml`` in pandera's format).

    ``rules/`` also holds other policies (``retention.yaml``): a rule set is a file that
    declares ``schema_type:``.
    """
    folder = shipped_dir("rules")
    return {
        p.stem: p
        for p in sorted(folder.glob("*.yaml"))
        if re.search(r"^schema_type:", p.read_text(encoding="utf-8"), re.MULTILINE)
    }


def resolve_rule_sets(names_or_paths: Sequence[str | Path]) -> list[RuleSet]:
    """Load rule sets given as file paths or as names of shipped sets (``company``)."""
    shipped = shipped_rule_sets()
    out = []
    for item in names_or_paths:
        p = Path(item)
        if p.suffix.lower() in {".yaml", ".yml"} or p.exists():
            out.append(load_rule_set(p))
        elif str(item) in shipped:
            out.append(load_rule_set(shipped[str(item)]))
        else:
            raise RuleError(
                f"{item}: neither a rule file nor a shipped rule set "
                f"(shipped: {', '.join(shipped)})"
            )
    return out


def default_rule_sets(table: TableKind = "records") -> list[RuleSet]:
    """The shipped rule sets marked ``default: true`` for ``table``."""
    sets = [load_rule_set(p) for p in shipped_rule_sets().values()]
    return [s for s in sets if s.default and s.table == table]
