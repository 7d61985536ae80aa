"""Reading and writing the tables dq exchanges between commands (Parquet or CSV).

One place decides how a table is stored: CSV is UTF-8 with a header, comma-separated, dates in ISO
format; Parquet keeps dtypes. Reading a canonical table conforms it to its declared columns.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Literal

import pandas as pd

from dq.errors import InputError
from dq.schema import ColumnKind, conform

__all__ = ["TableFormat", "read_table", "table_path", "write_table"]

TableFormat = Literal["parquet", "csv"]


def table_path(out_dir: Path, name: str, fmt: TableFormat) -> Path:
    """Where table ``name`` is written in ``out_dir``."""
    return out_dir / f"{name}.{fmt}"


def write_table(
    frame: pd.DataFrame, out_dir: Path, name: str, fmt: TableFormat = "parquet"
) -> Path:
    """Write ``frame`` as ``out_dir/name.<fmt>`` and return the path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = table_path(out_dir, name, fmt)
    if fmt == "parquet":
        frame.to_parquet(path, index=False)
    else:
        frame.to_csv(path, index=False, date_format="%Y-%m-%d")
    return path


def read_table(path: Path | str, columns: Mapping[str, ColumnKind] | None = None) -> pd.DataFrame:
    """Read a table written by :func:`write_table` (``.parquet`` or ``.csv``).

    With ``columns`` (e.g. :data:`dq.schema.RECORD_COLUMNS`) the result is conformed to them:
    missing canonical columns are added as nulls and dtypes are set.
    """
    p = Path(path)
    if not p.is_file():
        raise InputError("file not found", path=p)
    suffix = p.suffix.lower()
    try:
        if suffix == ".parquet":
            frame = pd.read_parquet(p)
        elif suffix in {".csv", ".txt"}:
            frame = pd.read_csv(p, dtype=str, keep_default_na=False, na_values=[""])
        else:
            raise InputError(
                f"unsupported table format {suffix!r}", path=p, hint="use .parquet or .csv"
            )
    except InputError:
        raise
    except (ValueError, OSError, pd.errors.ParserError) as exc:
        raise InputError(f"cannot read table: {type(exc).__name__}", path=p) from exc
    return conform(frame, columns) if columns is not None else frame
