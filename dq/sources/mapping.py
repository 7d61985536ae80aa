"""Apply a connector profile to a raw table: canonical columns, typed values, stable record IDs.

A value that is present but cannot be parsed (a date such as ``31.02.2024``) is never dropped:
the canonical column is null, the text is kept in ``<column>_raw`` and a row of ``issues``
names file, line, column and value. Keys that Excel turned into numbers (``1.52533E+11``) get
content-hash keys, an issue each and one warning.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from dq.errors import InputError
from dq.memory import release_unused
from dq.schema import PARSE_ISSUE_COLUMNS, PARTY_TYPES, ColumnKind, conform, empty
from dq.sources.arrow_text import blank_to_null, stripped
from dq.sources.delimited import RawTable, Reject, RowTexts
from dq.sources.headers import check_header
from dq.sources.profiles import _CANONICAL, ConnectorProfile, FieldSpec
from dq.sources.values import parse_bool, parse_date, parse_decimal

__all__ = ["MappedTable", "content_hash", "excel_damaged", "map_table"]

log = logging.getLogger(__name__)

_HASH_LEN = 16
# What Excel shows for a long number it guessed: 1.52533E+11, 4,71E+12 (German locale)
_SCIENTIFIC = r"^[+-]?\d(?:[.,]\d+)?[eE][+-]?\d+$"
_KIND_NAMES = {"date": "a date", "int": "a whole number", "float": "a number", "bool": "yes/no"}


@dataclass
class MappedTable:
    """Canonical rows from one file, and the rows that could not become one."""

    frame: pd.DataFrame
    rejects: list[Reject]
    issues: pd.DataFrame = field(default_factory=lambda: empty(PARSE_ISSUE_COLUMNS))
    warnings: list[str] = field(default_factory=list)


def _texts_at(texts: RowTexts | list[str], positions: np.ndarray) -> list[str]:
    if isinstance(texts, RowTexts):
        return texts.take(positions)
    return [texts[int(i)] for i in positions]


def excel_damaged(values: pd.Series) -> pd.Series:
    """True where an identifier reads like a number Excel rewrote in scientific notation."""
    return _text(values).str.strip().str.match(_SCIENTIFIC).fillna(False).astype(bool)


def content_hash(texts: list[str]) -> pd.Series:
    """A stable hash of each row's text (not its position), for sources without an ID."""
    return pd.Series(
        [hashlib.sha1(t.encode("utf-8")).hexdigest()[:_HASH_LEN] for t in texts], dtype="string"
    )


def _is_text(series: pd.Series) -> bool:
    return isinstance(series.dtype, pd.StringDtype) or series.dtype == object


def _text(series: pd.Series) -> pd.Series:
    return series if isinstance(series.dtype, pd.StringDtype) else series.astype("string")


def _blank(series: pd.Series) -> pd.Series:
    return series.isna() | (_text(series).str.strip() == "")


def _pick(frame: pd.DataFrame, names: list[str]) -> str | None:
    return next((n for n in names if n in frame.columns), None)


def _missing_columns(profile: ConnectorProfile, frame: pd.DataFrame) -> list[str]:
    missing = []
    for name, spec in profile.fields.items():
        if spec.optional or spec.value is not None:
            continue
        cols = spec.columns()
        if spec.column is not None or spec.split is not None:
            if _pick(frame, cols) is None:
                missing.append(" or ".join(repr(c) for c in cols) + f" (for {name})")
        elif not any(c in frame.columns for c in cols):
            missing.append(" / ".join(repr(c) for c in cols) + f" (for {name})")
    keys = [] if profile.key_optional else profile.key
    for key in [*keys, *profile.record_key]:
        alternatives = [key] if isinstance(key, str) else key
        if _pick(frame, alternatives) is None:
            missing.append(" or ".join(repr(c) for c in alternatives) + " (key)")
    return missing


def _key_columns(frame: pd.DataFrame, key: list[str | list[str]]) -> list[str]:
    """The file's columns for a key whose parts may name alternatives."""
    found = [_pick(frame, [k] if isinstance(k, str) else k) for k in key]
    return [c for c in found if c is not None]


def _extract(frame: pd.DataFrame, spec: FieldSpec) -> pd.Series:
    """The raw text of one field, before mapping and parsing."""
    empty = pd.Series(pd.NA, index=frame.index, dtype="string")
    if spec.value is not None:
        return pd.Series(spec.value, index=frame.index, dtype="string")
    if spec.column is not None:
        col = _pick(frame, spec.columns())
        if col is None:
            return empty
        values = frame[col]
        # Columns a reader derived (DATEV bookings) are typed already: no text round trip.
        return stripped(values) if _is_text(values) else values
    if spec.split is not None:
        if spec.split not in frame.columns:
            return empty
        parts = _text(frame[spec.split]).str.split(spec.sep, regex=False)
        return parts.str[spec.index].astype("string").str.strip()
    cols = [c for c in spec.columns() if c in frame.columns]
    if not cols:
        return empty
    trimmed = {c: stripped(frame[c]) for c in cols}
    cells = {c: blank_to_null(v) for c, v in trimmed.items()}
    acc: pd.Series = cells[cols[0]]
    for col in cols[1:]:
        nxt = cells[col]
        if spec.coalesce is not None:
            acc = acc.fillna(nxt)
        else:
            both = acc.notna() & nxt.notna()
            acc = acc.fillna(nxt).mask(both, acc + spec.sep + nxt)
    return acc.astype("string")


def _apply_map(values: pd.Series, mapping: Mapping[str, str | None]) -> pd.Series:
    lowered = {str(k).strip().casefold(): v for k, v in mapping.items()}
    keys = values.str.casefold()
    hit = keys.isin(list(lowered))
    mapped = keys.map(lowered).astype("string")
    return mapped.where(hit, values)


def _parse(values: pd.Series, kind: ColumnKind, spec: FieldSpec) -> tuple[pd.Series, pd.Series]:
    if kind == "date":
        return parse_date(values, spec.date_format)
    if kind in ("float", "int"):
        parsed, failed = parse_decimal(values)
        if kind == "int":
            whole = parsed.dropna() % 1 == 0
            failed = failed | parsed.index.isin(whole[~whole].index)
            parsed = parsed.where(~failed).round().astype("Int64")
        return parsed, failed
    if kind == "bool":
        return parse_bool(values)
    cleaned = blank_to_null(values)  # extracted values are stripped already
    return cleaned, pd.Series(False, index=values.index)


def map_table(
    table: RawTable,
    profile: ConnectorProfile,
    source: str,
    records_of: str,
    *,
    workspace_dir: Path | None = None,
) -> MappedTable:
    """Map ``table`` with ``profile`` into canonical rows of source ``source``.

    ``records_of`` is the source whose record keys transactions and interactions refer to;
    ``workspace_dir`` adds its own connectors to those a refused header is compared with.
    """
    raw = table.frame
    check_header(table, profile, workspace_dir)
    missing = _missing_columns(profile, raw)
    if missing:
        shown = ", ".join(repr(c) for c in table.header[:12])
        more = " …" if len(table.header) > 12 else ""
        raise InputError(
            f"missing column {'; '.join(missing)}",
            path=table.path,
            row=table.header_line,
            hint=f"the file has {shown}{more}; check the connector ({profile.name})",
        )
    canonical = _CANONICAL[profile.produces]
    out = pd.DataFrame(index=raw.index)
    failures: list[_Failure] = []
    for name, spec in profile.fields.items():
        values = _extract(raw, spec)
        if spec.optional and not values.notna().any():
            continue  # an optional column the file lacks: conform adds it as nulls
        if not _is_text(values):
            out[name] = values
            continue
        if spec.prefix is not None and spec.prefix in raw.columns:
            head = raw[spec.prefix].astype("string").str.strip()
            needs = (
                values.notna() & (values != "") & ~values.str.match(r"^[A-Za-z]{2}").fillna(False)
            )
            values = values.mask(needs & head.notna() & (head != ""), head + values)
        if spec.map:
            values = _apply_map(values, spec.map)
        parsed, failed = _parse(values, canonical[name], spec)
        out[name] = parsed
        if bool(failed.any()):
            out[f"{name}_raw"] = values.where(failed)
            reason = f"not {_KIND_NAMES.get(canonical[name], 'readable')}"
            failures.append(
                _Failure(name, _file_columns(raw, spec), values.where(failed), reason, "parseable")
            )
    if "company_ref" in out and "company_ref" in profile.fields:
        several = out["company_ref"].str.contains(";", regex=False).fillna(False).astype(bool)
        if several.any():
            column = _file_columns(raw, profile.fields["company_ref"])
            reason = "names several companies: kept as written, so it links to none"
            values = out["company_ref"].where(several)
            failures.append(_Failure("company_ref", column, values, reason, "company_ref"))
    for name, columns in profile.extra.items():
        found = _pick(raw, [columns] if isinstance(columns, str) else columns)
        if found is not None:
            out[name] = blank_to_null(stripped(raw[found]))
    out["source"] = source
    out["source_file"] = str(table.path)
    out["source_row"] = pd.array(table.lines, dtype="Int64")
    rejects: list[Reject] = []
    warnings: list[str] = []
    if profile.produces == "records":
        key_columns = _key_columns(raw, profile.key)
        keys = _join(raw, key_columns)
        damaged = excel_damaged(keys)
        if damaged.any():
            failures.append(
                _Failure(
                    "source_key",
                    " + ".join(key_columns),
                    keys.where(damaged),
                    "identifier damaged by Excel (scientific notation): a content-hash key "
                    "is used instead",
                    "excel_identifier",
                )
            )
            warnings.append(_damaged_warning(table, key_columns, damaged))
        out["source_key"] = _keys(keys.mask(damaged), table.raw)
        out["record_id"] = _record_ids(source, out["source_key"], table.raw)
        if profile.party_type is not None:
            out["party_type"] = profile.party_type
        out["party_type"], party_failures = _infer_party_type(out, raw, profile)
        failures.extend(party_failures)
    elif profile.produces == "requests":  # privacy requests: their own ID, no customer key
        out["request_id"] = _keys(_join(raw, _key_columns(raw, profile.key)), table.raw)
    else:
        keys = _join(raw, _key_columns(raw, profile.record_key))
        no_ref = keys.isna()
        for pos in np.flatnonzero(no_ref.to_numpy()):
            rejects.append(
                Reject(
                    table.lines[pos],
                    "no customer reference (the row names no record it belongs to)",
                    table.raw[pos],
                    column=_key_columns(raw, profile.record_key)[0],
                )
            )
        out["record_id"] = (records_of + ":" + keys).where(~no_ref)
        failures = [replace(f, values=f.values.where(~no_ref)) for f in failures]
        out = out[~no_ref]
    issues = _issues(profile.produces, out, failures)
    release_unused()
    out = out.reset_index(drop=True)
    for name, kind in canonical.items():
        if kind == "text" and name not in out:
            # Arrow nulls: a bitmap, not one pointer per row as conform's default would be
            out[name] = pd.arrays.ArrowStringArray(pa.nulls(len(out), pa.large_string()))
    return MappedTable(conform(out, canonical), rejects, issues, warnings)


def _file_columns(raw: pd.DataFrame, spec: FieldSpec) -> str:
    if spec.column is not None:
        return _pick(raw, spec.columns()) or ""
    return " + ".join(c for c in spec.columns() if c in raw.columns)


@dataclass(frozen=True)
class _Failure:
    """Values of one column that could not be taken as they are (null where they could)."""

    column: str
    file_column: str
    values: pd.Series
    reason: str
    check: str


def _issues(table: str, out: pd.DataFrame, failures: list[_Failure]) -> pd.DataFrame:
    """One row per value that was present but could not be taken as it is."""
    pieces = []
    for failure in failures:
        present = failure.values.reindex(out.index)
        present = present[present.notna()]
        if not len(present):
            continue
        rows = out.loc[present.index]
        pieces.append(
            pd.DataFrame(
                {
                    "table": table,
                    "source": rows["source"],
                    "file": rows["source_file"],
                    "line": rows["source_row"],
                    "record_id": rows["record_id"],
                    "column": failure.column,
                    "source_column": failure.file_column,
                    "check": failure.check,
                    "value": present.astype("string"),
                    "reason": failure.reason,
                }
            )
        )
    if not pieces:
        return empty(PARSE_ISSUE_COLUMNS)
    frame = pd.concat(pieces, ignore_index=True).sort_values(["line", "column"], kind="stable")
    return conform(frame.reset_index(drop=True), PARSE_ISSUE_COLUMNS)


def _damaged_warning(table: RawTable, columns: list[str], damaged: pd.Series) -> str:
    positions = np.flatnonzero(damaged.to_numpy())
    lines = ", ".join(str(table.lines[p]) for p in positions[:10])
    more = " …" if len(positions) > 10 else ""
    message = (
        f"{table.path}: {len(positions)} record keys in {' + '.join(columns)!r} look damaged by "
        f"Excel (scientific notation such as 1.52533E+11), lines {lines}{more}; they get "
        "content-hash keys. Export the file again without opening it in Excel."
    )
    log.warning("%s", message)
    return message


def _join(raw: pd.DataFrame, columns: list[str]) -> pd.Series:
    if not columns:
        return pd.Series(pd.NA, index=raw.index, dtype="string")
    parts = [_text(raw[c]).str.strip().fillna("") for c in columns]
    joined: pd.Series = parts[0]
    filled = parts[0] != ""
    for part in parts[1:]:
        joined = joined + "-" + part
        filled |= part != ""
    return joined.where(filled)


def _keys(keys: pd.Series, texts: RowTexts | list[str]) -> pd.Series:
    """The source key: its own ID columns where filled, else a content hash of the row."""
    blank = keys.isna()
    if blank.any():
        hashes = content_hash(_texts_at(texts, np.flatnonzero(blank.to_numpy())))
        keys = keys.copy()
        keys[blank] = ("h" + hashes).to_numpy()
    return keys


def _record_ids(source: str, keys: pd.Series, texts: RowTexts | list[str]) -> pd.Series:
    """``<source>:<key>``; a key used twice gets its row's content hash appended, so IDs stay
    unique and do not depend on row order (identical duplicate rows are numbered)."""
    dup = keys.duplicated(keep=False)
    if dup.any():
        keys = keys.copy()
        hashes = content_hash(_texts_at(texts, np.flatnonzero(dup.to_numpy())))
        keys[dup] = (keys[dup] + "~" + hashes.to_numpy()).to_numpy()
        again = keys.duplicated(keep=False)
        if again.any():
            keys[again] = (
                keys[again]
                + "~"
                + (keys[again].groupby(keys[again]).cumcount() + 1).astype("string")
            )
    return (source + ":" + keys.astype("string")).astype("string[pyarrow]")


def _infer_party_type(
    frame: pd.DataFrame, raw: pd.DataFrame, profile: ConnectorProfile
) -> tuple[pd.Series, list[_Failure]]:
    """Party type as given where it is one, else inferred from the names; with the issues.

    A value that is no party type is an issue (and inferred); a "person" naming only a company
    is taken as a company (and an issue), never left a silent person.
    """
    given_raw = (
        frame["party_type"] if "party_type" in frame else pd.Series(pd.NA, index=frame.index)
    )
    given = given_raw.astype("string").str.strip().str.lower()
    none = pd.Series(False, index=frame.index)
    company = ~_blank(frame["company_name"]) if "company_name" in frame else none
    person = ~_blank(frame["last_name"]) if "last_name" in frame else none
    first = ~_blank(frame["first_name"]) if "first_name" in frame else none
    inferred = pd.Series(pd.NA, index=frame.index, dtype="string")
    # A last name makes a person (possibly at a company); a company name alone, a company.
    inferred = inferred.mask(company, "company").mask(person, "person")
    known = given.isin(list(PARTY_TYPES)).fillna(False).astype(bool)
    result = given.where(known, inferred)
    failures: list[_Failure] = []
    spec = profile.fields.get("party_type")
    column = _file_columns(raw, spec) if spec is not None else ""
    unknown = ~known & given.notna() & (given != "")
    if unknown.any():
        reason = "not a party type (company or person): inferred from the names instead"
        values = given_raw.astype("string").where(unknown)
        failures.append(_Failure("party_type", column, values, reason, "party_type"))
    only_company = result.eq("person").fillna(False) & company & ~person & ~first
    if only_company.any():
        result = result.mask(only_company, "company")
        reason = "party type person, but the record names only a company: taken as a company"
        values = given.where(only_company)
        failures.append(_Failure("party_type", column or "(profile)", values, reason, "party_type"))
    return result.astype("string"), failures
