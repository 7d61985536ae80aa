"""Matching engines: the same matcher steps on one machine (``local``) or on Spark (``spark``).

:class:`~dq.match.engines.base.MatchEngine` is the seam; the Spark engine is imported only when
asked for (``pip install 'dq[spark]'`` and Java 17), so dq itself never needs pyspark.
"""

from __future__ import annotations

from dq.match.engines.base import MatchEngine
from dq.match.engines.local import LocalEngine

__all__ = ["LocalEngine", "MatchEngine"]
