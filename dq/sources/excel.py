"""Excel workbooks (.xlsx) into a raw table of strings, one sheet at a time."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd

from dq.errors import EmptyFileError, InputError
from dq.sources.delimited import RawTable, Reject, string_frame, unique_headers

__all__ = ["read_excel"]


def read_excel(path: Path, sheet: str | int | None = None) -> RawTable:
    """Read ``sheet`` (name or 0-based index; default the first) of an .xlsx file.

    Row numbers are the spreadsheet's own, so a user finds a row where Excel shows it.
    """
    if not path.is_file():
        raise InputError("file not found", path=path)
    try:
        grid = pd.read_excel(
            path,
            sheet_name=0 if sheet is None else sheet,
            header=None,
            dtype=str,
            engine="openpyxl",
        )
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise InputError(
            f"not a readable .xlsx workbook ({type(exc).__name__})",
            path=path,
            hint="save it as .xlsx, or export CSV and use a CSV connector",
        ) from None
    except ValueError as exc:
        raise InputError(f"sheet {sheet!r} not found: {exc}", path=path) from None
    grid = grid.fillna("")
    filled = grid.apply(lambda row: any(str(v).strip() for v in row), axis=1)
    if not filled.any():
        raise EmptyFileError("the sheet is empty (no header row)", path=path)
    header_pos = int(filled.to_numpy().argmax())
    header = unique_headers([str(v) for v in grid.iloc[header_pos].tolist()])
    body = grid.iloc[header_pos + 1 :]
    keep = filled.iloc[header_pos + 1 :]
    rows = body[keep.to_numpy()]
    values = rows.to_numpy(dtype=object)
    frame = string_frame(
        {name: [str(v).strip() for v in values[:, i]] for i, name in enumerate(header)}, len(rows)
    )
    lines = [int(i) + 1 for i in rows.index]  # Excel rows are 1-based
    raw = ["\t".join(str(v) for v in row) for row in values]
    rejects: list[Reject] = []
    return RawTable(path, frame, lines, rejects, header_line=header_pos + 1, raw=raw, header=header)
