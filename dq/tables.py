"""Reading and writing the tables dq exchanges between commands (Parquet or CSV).

One place decides how a table is stored. Parquet keeps dtypes and raw values. CSV is UTF-8 with a
header, comma-separated, CRLF line ends (RFC 4180), dates in ISO format, and spreadsheet-safe: a
text cell that a spreadsheet would run as a formula gets a leading ``'`` (:mod:`dq.csv_safety`).
Reading a CSV undoes that and types every column by its name (:mod:`dq.table_columns`), so a
table round-trips through CSV.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

import pandas as pd

from dq.csv_safety import neutralize, neutralize_text, restore, restore_text
from dq.errors import InputError
from dq.memory import use_malloc_for_arrow
from dq.schema import ColumnKind, conform
from dq.table_columns import table_kinds

__all__ = ["TableFormat", "read_table", "spreadsheet_safe", "table_path", "write_table"]

TableFormat = Literal["parquet", "csv"]
_CSV_SUFFIXES = {".csv", ".txt"}


def table_path(out_dir: Path, name: str, fmt: TableFormat) -> Path:
    """Where table ``name`` is written in ``out_dir``."""
    return out_dir / f"{name}.{fmt}"


def write_table(
    frame: pd.DataFrame, out_dir: Path, name: str, fmt: TableFormat = "parquet"
) -> Path:
    """Write ``frame`` as ``out_dir/name.<fmt>`` and return the path (CSV spreadsheet-safe)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = table_path(out_dir, name, fmt)
    if fmt == "parquet":
        frame.to_parquet(path, index=False)
    else:
        # CRLF line ends (RFC 4180) make the csv writer quote every cell holding a CR or LF
        spreadsheet_safe(frame).to_csv(path, index=False, lineterminator="\r\n")
    return path


def spreadsheet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with formula-like text cells and headers defused for spreadsheets."""
    out = frame.copy(deep=False)
    for column in frame.columns:
        safe = neutralize(frame[column])
        if safe is not frame[column]:
            out[column] = safe
    out.columns = [neutralize_text(str(c)) for c in frame.columns]
    return out


def read_table(
    path: Path | str,
    columns: Mapping[str, ColumnKind] | None = None,
    *,
    strict: bool = True,
    arrow_text: bool = False,
) -> pd.DataFrame:
    """Read a table written by :func:`write_table` (``.parquet`` or ``.csv``), typed.

    CSV columns get their kinds back (flags, dates, numbers) and lose the ``'`` guard added on
    write. A value that does not fit its column's kind raises :class:`InputError` with its line
    and column; with ``strict=False`` (profiling any table) that column stays text instead.
    With ``columns`` (e.g. :data:`dq.schema.RECORD_COLUMNS`) the result is conformed to them.
    ``arrow_text`` reads Parquet text as Arrow-backed strings, as the connectors produce them:
    a million records load in a second, in a third of the memory of Python strings.
    """
    use_malloc_for_arrow()
    p = Path(path)
    if not p.is_file():
        raise InputError("file not found", path=p)
    suffix = p.suffix.lower()
    if suffix == ".parquet":
        try:
            frame = _read_parquet(p) if arrow_text else pd.read_parquet(p)
        except (ValueError, OSError) as exc:
            raise InputError(
                f"cannot read Parquet table ({type(exc).__name__})",
                path=p,
                hint="is it a Parquet file written by dq?",
            ) from exc
    elif suffix in _CSV_SUFFIXES:
        frame = _read_csv(p, strict=strict)
    else:
        raise InputError(
            f"unsupported table format {suffix!r}", path=p, hint="use .parquet or .csv"
        )
    return conform(frame, columns) if columns is not None else frame


def _read_parquet(path: Path) -> pd.DataFrame:
    """A Parquet file with its text columns as Arrow-backed strings."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    text = pd.StringDtype("pyarrow")
    mapping = {pa.string(): text, pa.large_string(): text}
    frame: pd.DataFrame = pq.read_table(path).to_pandas(types_mapper=mapping.get)
    return frame


def _read_csv(path: Path, *, strict: bool) -> pd.DataFrame:
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            header = fh.readline()
        delimiter = ";" if header.count(";") > header.count(",") else ","
        raw = pd.read_csv(
            path,
            dtype=str,
            keep_default_na=False,
            na_values=[""],
            encoding="utf-8-sig",
            sep=delimiter,
        )
    except UnicodeDecodeError:
        line, byte = _first_bad_byte(path)
        raise InputError(
            f"not UTF-8 text (byte {byte} of the line)",
            path=path,
            row=line,
            hint="save the file as 'CSV UTF-8' and try again",
        ) from None
    except pd.errors.EmptyDataError:
        raise InputError("the file is empty (no header line)", path=path) from None
    except (ValueError, OSError, pd.errors.ParserError) as exc:
        raise InputError(f"cannot read CSV table: {_first_line(exc)}", path=path) from None
    raw.columns = [restore_text(str(c)) for c in raw.columns]
    table = path.stem
    out = pd.DataFrame({c: restore(raw[c]).astype("string") for c in raw.columns}, index=raw.index)
    for column, kind in table_kinds(list(out.columns), table).items():
        typed, bad = _parse(out[column], kind)
        if bad.any():
            if strict:
                first = int(bad.to_numpy().nonzero()[0][0])
                raise InputError(
                    f"{int(bad.sum()):,} value(s) are not {_KIND_WORDS[kind]}",
                    path=path,
                    row=_physical_line(path, first, delimiter),
                    column=column,
                    hint="correct the cell, or write the table again with dq",
                )
            continue
        out[column] = typed
    return out


_KIND_WORDS: dict[ColumnKind, str] = {
    "text": "text",
    "date": "an ISO date (YYYY-MM-DD)",
    "int": "a whole number",
    "float": "a number",
    "bool": "a flag (True/False)",
}


def _parse(values: pd.Series, kind: ColumnKind) -> tuple[pd.Series, pd.Series]:
    """``values`` (text) as ``kind``, and the mask of present values that did not parse."""
    present = values.notna()
    if kind == "bool":
        from dq.sources.values import parse_bool

        codes, uniques = pd.factorize(values, use_na_sentinel=True)
        flags, failed = parse_bool(pd.Series(uniques, dtype="string"))
        taken = pd.array([*flags, pd.NA], dtype="boolean")[codes]
        bad = pd.array([*failed, False], dtype=bool)[codes]
        return pd.Series(taken, index=values.index), pd.Series(bad, index=values.index)
    if kind == "date":
        parsed = _parse_dates(values)
    elif kind == "int":
        number = pd.to_numeric(values, errors="coerce")
        whole = number.notna() & (number % 1 == 0)
        parsed = number.where(whole).astype("Int64")
    elif kind == "float":
        number = pd.to_numeric(values, errors="coerce")  # finds the bad cells; not exact
        try:  # what was written with repr() reads back bit for bit
            parsed = values.where(number.notna()).astype("Float64").astype("float64")
        except (ValueError, TypeError):
            parsed = number.astype("float64")
    else:
        return values, pd.Series(False, index=values.index)
    return parsed, present & parsed.isna()


def _parse_dates(values: pd.Series) -> pd.Series:
    aware = values.str.contains(r"(?:[+-]\d\d:?\d\d|Z)$", regex=True, na=False)
    if aware.any():
        return pd.to_datetime(values, format="ISO8601", errors="coerce", utc=True)
    return pd.to_datetime(values, format="ISO8601", errors="coerce")


def _physical_line(path: Path, record: int, delimiter: str) -> int:
    """The 1-based line on which data record ``record`` (0-based) starts; quoted newlines count."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh, delimiter=delimiter)
        next(reader, None)
        line = reader.line_num
        index = 0
        for row in reader:
            if row:  # pandas skips blank lines, so they are not records
                if index == record:
                    return line + 1
                index += 1
            line = reader.line_num
    return line + 1


def _first_bad_byte(path: Path) -> tuple[int | None, int]:
    """Line (1-based) and byte offset in it of the first bytes that are not UTF-8."""
    with path.open("rb") as fh:
        for number, raw in enumerate(fh, start=1):
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                return number, exc.start + 1
    return None, 0


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
