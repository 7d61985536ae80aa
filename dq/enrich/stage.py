"""The ``value`` stage: customer value from the golden customers, their transactions and their
interactions; the golden table gains the headline columns."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from dq.enrich.value import ValueCounts, compute_value
from dq.schema import INTERACTION_COLUMNS, TRANSACTION_COLUMNS, ColumnKind, empty
from dq.stage import StageContext, StageOutput, Tables

__all__ = ["HEADLINE_COLUMNS", "ValueResult", "value_stage"]

log = logging.getLogger(__name__)

# Columns of customer_value copied onto the golden table.
HEADLINE_COLUMNS = ("revenue_12m", "abc", "lifecycle", "payment_class")


@dataclass(frozen=True)
class ValueResult:
    """What the stage did: customers valued, transactions used and those that did not count."""

    customers: int
    transactions: int
    counts: ValueCounts
    lifecycle: dict[str, int]
    prepayment_recommended: int

    def headline(self) -> str:
        """One line for the run summary."""
        phases = ", ".join(f"{k} {v:,}" for k, v in sorted(self.lifecycle.items()))
        skipped = sum(vars(self.counts).values())
        tail = f"; {skipped:,} transactions not counted" if skipped else ""
        return (
            f"Customer value: {self.customers:,} customers ({phases}); "
            f"prepayment recommended for {self.prepayment_recommended:,}{tail}"
        )


def _with_golden_id(tables: Tables, name: str, columns: Mapping[str, ColumnKind]) -> pd.DataFrame:
    """Table ``name`` (empty when the run has none) with a ``golden_id`` column."""
    frame = tables.get(name)
    if frame is None:
        frame = empty(columns)
    if "golden_id" not in frame:
        frame = frame.assign(golden_id=pd.Series(pd.NA, index=frame.index, dtype="string"))
    return frame


def value_stage(tables: Tables, ctx: StageContext) -> StageOutput:
    """Tables ``customer_value`` (one row per golden customer) and ``golden`` with
    :data:`HEADLINE_COLUMNS`; nothing is kept in the store."""
    golden = tables["golden"]
    transactions = _with_golden_id(tables, "transactions", TRANSACTION_COLUMNS)
    interactions = _with_golden_id(tables, "interactions", INTERACTION_COLUMNS)
    settings = ctx.workspace.value
    segments = ctx.workspace.resolve(settings.segments) if settings.segments else None
    result = compute_value(
        golden, transactions, interactions, settings, ctx.as_of, segments_path=segments
    )
    table = result.table
    counts = result.counts
    for reason, number in vars(counts).items():
        if number:
            log.warning("%d transactions did not count in customer value: %s", number, reason)
    headline = table.set_index("golden_id")[list(HEADLINE_COLUMNS)]
    enriched = golden.drop(columns=[c for c in HEADLINE_COLUMNS if c in golden])
    keys = pd.Index(enriched["golden_id"].astype("string"))
    for column in HEADLINE_COLUMNS:
        enriched[column] = headline[column].reindex(keys).array
    summary = ValueResult(
        customers=len(table),
        transactions=len(transactions),
        counts=counts,
        lifecycle={str(k): int(v) for k, v in table["lifecycle"].value_counts().items()},
        prepayment_recommended=int(table["prepayment_recommended"].sum()),
    )
    return StageOutput(tables={"customer_value": table, "golden": enriched}, result=summary)
