"""The engine a run's settings name: ``engine: local`` or ``engine: spark`` in dq.yaml.

The check that Spark can run (pyspark importable, a ``java`` to start it) happens here, before
any work, so a missing piece is one clear message instead of a Java traceback mid-run.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path

from dq.errors import ConfigError
from dq.match.engines.base import MatchEngine
from dq.match.settings import MatchSettings

__all__ = ["SPARK_HINT", "engine_for", "require_spark"]

SPARK_HINT = "install with pip install 'dq[spark]' and Java 17"


def _java() -> str | None:
    home = os.environ.get("JAVA_HOME")
    if home and (Path(home) / "bin" / "java").is_file():
        return str(Path(home) / "bin" / "java")
    return shutil.which("java")


def require_spark() -> None:
    """Raise a :class:`~dq.errors.ConfigError` saying what to install when pyspark or Java
    is missing."""
    missing = []
    if importlib.util.find_spec("pyspark") is None:
        missing.append("pyspark")
    if _java() is None:
        missing.append("Java (no java on PATH or in JAVA_HOME)")
    if missing:
        raise ConfigError(None, [f"engine spark needs {' and '.join(missing)}: {SPARK_HINT}"])


def engine_for(settings: MatchSettings) -> MatchEngine | None:
    """The engine ``settings.engine`` names: None for ``local`` (the local matcher in this
    process), a :class:`~dq.match.engines.spark.SparkEngine` on ``spark_master`` with
    ``spark_conf`` for ``spark`` (an existing session in this process is reused)."""
    if settings.engine == "local":
        return None
    require_spark()
    from dq.match.engines.spark import SparkEngine

    try:
        engine = SparkEngine(master=settings.spark_master, options=settings.spark_conf)
    except Exception as exc:  # py4j and Java errors: one line, not a traceback
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ConfigError(
            None,
            [f"engine spark: Spark did not start on {settings.spark_master!r} ({detail})"],
        ) from None
    engine.spark.sparkContext.setLogLevel("ERROR")
    return engine
