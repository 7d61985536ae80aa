"""`engine:` in the match settings: validated in one place, Spark's needs checked up front."""

from __future__ import annotations

from pathlib import Path

import pytest

from dq.config import with_match_options, workspace_from_dict
from dq.errors import ConfigError
from dq.match.engines.choose import engine_for, require_spark
from dq.match.settings import MatchSettings, with_options


def test_local_engine_is_the_local_matcher() -> None:
    assert engine_for(MatchSettings()) is None
    assert engine_for(MatchSettings(engine="local")) is None


@pytest.mark.parametrize("engine", ["dask", "Spark", ""])
def test_an_unknown_engine_is_one_clear_error(engine: str) -> None:
    with pytest.raises(ConfigError, match=r"match\.engine: unknown engine .* local, spark"):
        with_options(MatchSettings(), {"engine": engine})


def test_an_unknown_engine_in_dq_yaml_names_its_key(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"match\.engine: .*unknown engine 'dask'"):
        workspace_from_dict({"match": {"engine": "dask"}}, tmp_path)


def test_options_over_dq_yaml_add_spark_conf() -> None:
    data = {"match": {"engine": "spark", "spark_conf": {"spark.sql.shuffle.partitions": 400}}}
    workspace = workspace_from_dict(data, Path("."))
    assert workspace.match.spark_conf == {"spark.sql.shuffle.partitions": "400"}
    changed = with_match_options(
        workspace, {"spark_master": "local[2]", "spark_conf": {"spark.executor.memory": "2g"}}
    )
    assert changed.match.spark_master == "local[2]"
    assert changed.match.spark_conf == {
        "spark.sql.shuffle.partitions": "400",
        "spark.executor.memory": "2g",
    }
    assert changed.match.engine == "spark" and workspace.match.spark_master == "local[*]"


def test_spark_without_java_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(ConfigError, match=r"needs .*Java.*pip install 'dq\[spark\]' and Java 17"):
        require_spark()
    with pytest.raises(ConfigError, match="Java 17"):
        engine_for(MatchSettings(engine="spark"))
