"""One local[2] SparkSession for every Spark test; skipped with a message without Java."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import yaml

from dq.match.model import FSModel

FIXTURE = Path(__file__).parents[2] / "data" / "match" / "customers_1000.csv"
SHIPPED_KEYS = Path(__file__).parents[3] / "dq" / "match" / "data" / "blocking.yaml"


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    if shutil.which("java") is None:
        pytest.skip("Spark tests need Java 17 (`java` not found on PATH)")
    pytest.importorskip("pyspark", reason="Spark tests need pip install 'dq[spark]'")
    from dq.match.engines.spark import spark_session

    session = spark_session("local[2]", {"spark.sql.shuffle.partitions": "4"})
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="session")
def giant_keys(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A blocking-keys file: the shipped keys and six whose blocks hold many records (country,
    party type, source and their pairs), refined by the postcode's first digit. At a cap of
    1,000 they make over a million pairs, so the budget (at least a million pairs) binds on
    the 1,000 fixture customers and caps are set per key by yield."""
    keys = yaml.safe_load(SHIPPED_KEYS.read_text(encoding="utf-8"))
    coarse = [["country"], ["party_type"], ["source"], ["country", "party_type"]]
    coarse += [["country", "source"], ["party_type", "source"]]
    keys["keys"] += [
        {"name": f"giant_{i}", "parts": parts, "split_by": ["postcode|prefix:1"]}
        for i, parts in enumerate(coarse)
    ]
    path = tmp_path_factory.mktemp("keys") / "giant_keys.yaml"
    path.write_text(yaml.safe_dump(keys), encoding="utf-8")
    return str(path)


@pytest.fixture(scope="session")
def customers() -> pd.DataFrame:
    """The 1,000 fixture customers, standardised, as the matcher sees them."""
    from dq.match.run import arrow_strings
    from dq.schema import RECORD_COLUMNS
    from dq.standardize import standardize_records
    from dq.tables import read_table

    records = standardize_records(read_table(FIXTURE, RECORD_COLUMNS)).records
    return arrow_strings(records.reset_index(drop=True))


def _same_model(got: FSModel, want: FSModel, rtol: float) -> None:
    """Two models agree: counts exactly, m/u/priors (pooled and per class) within ``rtol``."""
    assert got.trained_pairs == want.trained_pairs and got.patterns == want.patterns
    assert np.isclose(got.prior, want.prior, rtol=rtol, atol=0)
    for name in want.m:
        np.testing.assert_allclose(got.m[name], want.m[name], rtol=rtol, atol=1e-12)
        np.testing.assert_allclose(got.u[name], want.u[name], rtol=rtol, atol=1e-12)
        np.testing.assert_array_equal(got.u_random[name], want.u_random[name])
    assert set(got.classes) == set(want.classes)
    for cls, model in want.classes.items():
        assert np.isclose(got.classes[cls].prior, model.prior, rtol=rtol, atol=0)
        for name in model.m:
            np.testing.assert_allclose(
                got.classes[cls].m[name], model.m[name], rtol=rtol, atol=1e-12
            )


@pytest.fixture(scope="session")
def same_model() -> Callable[[FSModel, FSModel, float], None]:
    """Asserts that two models agree (see ``_same_model``)."""
    return _same_model
