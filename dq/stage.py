"""What a pipeline stage is: a function from named tables (plus the run's context) to named tables.

A stage reads the tables earlier stages produced (``records``, ``transactions``, ``golden`` …),
computes, and returns the tables it adds or replaces plus a small result object. It never reads
or writes files and never prints: :mod:`dq.pipeline` runs the stages in order and does the I/O.
This module imports no engine, so settings and the CLI can name these types cheaply.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from dq.config import Workspace
    from dq.store import Store

__all__ = ["Stage", "StageContext", "StageOutput", "Tables"]

Tables = Mapping[str, "pd.DataFrame"]


@dataclass(frozen=True)
class StageContext:
    """What every stage may read besides the tables: the workspace, the day, the state.

    ``store`` is None in a read-only run (``dq audit``): a stage then keeps no state
    (no golden-ID registry update, no web cache write, no history row).
    """

    workspace: Workspace
    as_of: date
    store: Store | None = None
    show_values: bool = False

    @property
    def read_only(self) -> bool:
        """True when the run must leave the workspace's state untouched."""
        return self.store is None


@dataclass
class StageOutput:
    """The tables a stage adds or replaces, and its small result (kept by name in the run)."""

    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    result: Any = None


Stage = Callable[[Tables, StageContext], StageOutput]
