"""Apply a connector profile to a raw table: canonical columns, typed values, stable record IDs.

A value that is present but cannot be parsed (a date such as ``31.02.2024``) is never dropped:
the canonical column is null and the text is kept in ``<column>_raw``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dq.errors import InputError
from dq.schema import ColumnKind, conform
from dq.sources.delimited import RawTable, Reject
from dq.sources.profiles import _CANONICAL, ConnectorProfile, FieldSpec
from dq.sources.values import parse_bool, parse_date, parse_decimal

__all__ = ["MappedTable", "content_hash", "map_table"]

_HASH_LEN = 16


@dataclass
class MappedTable:
    """Canonical rows from one file, and the rows that could not become one."""

    frame: pd.DataFrame
    rejects: list[Reject]


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
        return _text(values).str.strip() if _is_text(values) else values
    if spec.split is not None:
        if spec.split not in frame.columns:
            return empty
        parts = _text(frame[spec.split]).str.split(spec.sep, regex=False)
        return parts.str[spec.index].astype("string").str.strip()
    cols = [c for c in spec.columns() if c in frame.columns]
    if not cols:
        return empty
    stripped = {c: _text(frame[c]).str.strip() for c in cols}
    cells = {c: v.where(v != "") for c, v in stripped.items()}
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
    cleaned = values.where(values != "")  # extracted values are stripped already
    return cleaned, pd.Series(False, index=values.index)


def map_table(
    table: RawTable, profile: ConnectorProfile, source: str, records_of: str
) -> MappedTable:
    """Map ``table`` with ``profile`` into canonical rows of source ``source``.

    ``records_of`` is the source whose record keys transactions and interactions refer to.
    """
    raw = table.frame
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
    out["source"] = source
    out["source_file"] = str(table.path)
    out["source_row"] = pd.array(table.lines, dtype="Int64")
    rejects: list[Reject] = []
    if profile.produces == "records":
        out["source_key"] = _keys(raw, _key_columns(raw, profile.key), table.raw)
        out["record_id"] = _record_ids(source, out["source_key"], table.raw)
        if profile.party_type is not None:
            out["party_type"] = profile.party_type
        out["party_type"] = _infer_party_type(out)
    elif profile.produces == "requests":  # privacy requests: their own ID, no customer key
        out["request_id"] = _keys(raw, _key_columns(raw, profile.key), table.raw)
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
        out = out[~no_ref]
        out["record_id"] = records_of + ":" + keys[~no_ref]
    return MappedTable(conform(out.reset_index(drop=True), canonical), rejects)


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


def _keys(raw: pd.DataFrame, columns: list[str], texts: list[str]) -> pd.Series:
    """The source key: its own ID columns where filled, else a content hash of the row."""
    keys = _join(raw, columns)
    blank = keys.isna()
    if blank.any():
        hashes = content_hash([t for t, b in zip(texts, blank, strict=True) if b])
        keys = keys.copy()
        keys[blank] = ("h" + hashes).to_numpy()
    return keys


def _record_ids(source: str, keys: pd.Series, texts: list[str]) -> pd.Series:
    """``<source>:<key>``; a key used twice gets its row's content hash appended, so IDs stay
    unique and do not depend on row order (identical duplicate rows are numbered)."""
    dup = keys.duplicated(keep=False)
    if dup.any():
        keys = keys.copy()
        hashes = content_hash([t for t, d in zip(texts, dup, strict=True) if d])
        keys[dup] = (keys[dup] + "~" + hashes.to_numpy()).to_numpy()
        again = keys.duplicated(keep=False)
        if again.any():
            keys[again] = (
                keys[again]
                + "~"
                + (keys[again].groupby(keys[again]).cumcount() + 1).astype("string")
            )
    return source + ":" + keys.astype("string")


def _infer_party_type(frame: pd.DataFrame) -> pd.Series:
    given = frame["party_type"] if "party_type" in frame else pd.Series(pd.NA, index=frame.index)
    given = given.astype("string").str.strip().str.lower()
    none = pd.Series(False, index=frame.index)
    company = ~_blank(frame["company_name"]) if "company_name" in frame else none
    person = ~_blank(frame["last_name"]) if "last_name" in frame else none
    inferred = pd.Series(pd.NA, index=frame.index, dtype="string")
    # A last name makes a person (possibly at a company); a company name alone, a company.
    inferred = inferred.mask(company, "company").mask(person, "person")
    return given.where(given.isin(["company", "person"]), inferred)
