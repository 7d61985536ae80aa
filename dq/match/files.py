"""``dq match`` as one library function: read record files, match, write the outputs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from dq.errors import InputError
from dq.match.accuracy import Metrics, evaluate
from dq.match.run import MatchResult, match_records
from dq.store import Store, default_store_path
from dq.tables import TableFormat, read_table, write_table

__all__ = ["MatchFilesResult", "match_files", "read_records"]


@dataclass
class MatchFilesResult:
    """The matching result, the number of records, the files written and, with a truth column,
    the accuracy against it."""

    match: MatchResult
    records: int
    written: dict[str, Path]
    metrics: Metrics | None = None


def read_records(
    inputs: Sequence[Path], *, truth: str | None = None, spark: Any = None
) -> pd.DataFrame:
    """Canonical records from one or more files, with unique record IDs (standardised if they
    were not yet: no ``*_valid`` flag columns).

    With a SparkSession ``spark`` and only Parquet inputs (files or folders), Spark reads them
    and standardises them per partition (:mod:`dq.match.engines.spark_records`); the records
    are the same.
    """
    from dq.schema import RECORD_COLUMNS

    if spark is not None:
        from dq.match.engines.spark_records import is_parquet, read_parquet_records

        if all(is_parquet(p) for p in inputs):
            return _unique_ids(read_parquet_records(spark, inputs, truth=truth))
    frames = [read_table(p, RECORD_COLUMNS, arrow_text=True) for p in inputs]
    if truth is not None:
        for path, frame in zip(inputs, frames, strict=True):
            if truth not in frame.columns:
                raise InputError(f"no column {truth!r} (the truth column)", path=path, column=truth)
    records = _unique_ids(pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0])
    if not any(c.endswith("_valid") for c in records.columns):
        from dq.standardize import standardize_records

        records = standardize_records(records).records
    return records


def _unique_ids(records: pd.DataFrame) -> pd.DataFrame:
    """``records``, or an :class:`InputError` when a record_id occurs twice."""
    dup = records["record_id"].duplicated()
    if dup.any():
        raise InputError(
            f"{int(dup.sum())} duplicate record_id(s), "
            f"first {records.loc[dup, 'record_id'].iloc[0]}",
            column="record_id",
            hint="each record needs its own record_id (<source>:<key>) across all input files",
        )
    return records


def match_files(
    inputs: Sequence[Path],
    out_dir: Path,
    *,
    truth: str | None = None,
    model_file: Path | None = None,
    config: Path | None = None,
    workspace: Path = Path("."),
    fmt: TableFormat = "parquet",
    options: Mapping[str, Any] | None = None,
) -> MatchFilesResult:
    """De-duplicate and link the records of ``inputs``; write golden, crosswalk, review, model.

    Settings come from the ``match:`` section of ``config``; golden IDs and review decisions
    live in ``workspace``'s state database; ``model_file`` reuses a trained model; ``truth``
    names a column with each record's true entity, to measure accuracy. ``options`` are match
    settings over the file's (the command line's ``--engine``, ``--spark-master`` …).
    """
    from dq.config import load_match_settings
    from dq.golden.settings import GoldenSettings
    from dq.match.engines.choose import engine_for
    from dq.match.model import FSModel
    from dq.match.settings import MatchSettings, with_options

    settings, golden = (
        load_match_settings(config) if config else (MatchSettings(), GoldenSettings())
    )
    if options:
        settings = with_options(settings, options)
    engine = engine_for(settings)
    model = None
    if model_file is not None:
        if not model_file.is_file():
            raise InputError("model file not found", path=model_file)
        model = FSModel.from_json(model_file.read_text(encoding="utf-8"))
    spark = getattr(engine, "spark", None)  # the Spark engine reads Parquet with Spark
    records = read_records(inputs, truth=truth, spark=spark)
    with Store(default_store_path(workspace)) as store:
        result = match_records(
            records, settings=settings, golden=golden, store=store, model=model, engine=engine
        )
    written = {
        name: write_table(frame, out_dir, name, fmt)
        for name, frame in (
            ("golden", result.golden),
            ("crosswalk", result.crosswalk),
            ("review", result.review),
        )
    }
    written["model"] = out_dir / "model.json"
    written["model"].write_text(result.model.to_json(), encoding="utf-8")
    metrics = None
    if truth is not None:
        metrics = evaluate(result.crosswalk, records.set_index("record_id")[truth])
    return MatchFilesResult(match=result, records=len(records), written=written, metrics=metrics)
