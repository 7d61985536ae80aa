"""Customer value on the tables of an earlier run (what ``dq value`` does): read ``golden``,
``transactions`` and ``interactions`` from a folder, run the value stage read-only."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

from dq.config import Workspace
from dq.errors import InputError
from dq.schema import INTERACTION_COLUMNS, TRANSACTION_COLUMNS, ColumnKind, empty
from dq.stage import StageContext, StageOutput
from dq.tables import read_table

__all__ = ["find_table", "value_from_tables"]


def find_table(folder: Path, name: str) -> Path | None:
    """``folder/name.parquet`` or ``folder/name.csv``, whichever exists (Parquet first)."""
    for suffix in (".parquet", ".csv"):
        path = folder / f"{name}{suffix}"
        if path.is_file():
            return path
    return None


def _read(folder: Path, name: str, columns: dict[str, ColumnKind] | None) -> pd.DataFrame:
    path = find_table(folder, name)
    if path is None:
        if columns is None:
            raise InputError(
                f"no {name}.parquet or {name}.csv in this folder",
                path=folder,
                hint="pass the output folder of `dq run`",
            )
        return empty(columns).assign(golden_id=pd.Series(dtype="string"))
    frame = read_table(path, columns)
    if "golden_id" not in frame:
        raise InputError(
            "no golden_id column: the table was not linked to golden customers",
            path=path,
            column="golden_id",
            hint="use the tables `dq run` writes",
        )
    frame["golden_id"] = frame["golden_id"].astype("string")
    return frame


def value_from_tables(folder: Path | str, workspace: Workspace, as_of: date) -> StageOutput:
    """Run :func:`dq.enrich.value_stage` on the tables in ``folder`` (nothing is written)."""
    from dq.enrich.stage import value_stage

    p = Path(folder)
    if not p.is_dir():
        raise InputError(
            "not a folder of tables", path=p, hint="pass the output folder of `dq run`"
        )
    tables = {
        "golden": _read(p, "golden", None),
        "transactions": _read(p, "transactions", TRANSACTION_COLUMNS),
        "interactions": _read(p, "interactions", INTERACTION_COLUMNS),
    }
    return value_stage(tables, StageContext(workspace=workspace, as_of=as_of))
