"""The clerical review queue and the decisions a user makes on it.

``review_queue`` lists pairs in the review band side by side (left/right values of every compared
column, each comparison's level and weight, the total) with an empty ``decision`` column. The
user fills in ``match`` or ``no match``; ``import_decisions`` validates the file and stores the
decisions in the workspace database, and the next run honours them (they override everything).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from dq.errors import InputError
from dq.match.comparisons import Comparison
from dq.match.positions import pair_positions
from dq.store import Store

__all__ = [
    "DECISIONS",
    "DECISIONS_DDL",
    "ImportResult",
    "apply_decisions",
    "import_decisions",
    "load_decisions",
    "parse_decisions",
    "review_queue",
]

DECISIONS = ("match", "no match")
DECISIONS_DDL = """
CREATE TABLE IF NOT EXISTS match_decisions (
    left_id TEXT NOT NULL,
    right_id TEXT NOT NULL,
    decision TEXT NOT NULL CHECK (decision IN ('match', 'no match')),
    decided_at TEXT NOT NULL,
    source_file TEXT,
    PRIMARY KEY (left_id, right_id)
);
"""
# What people type into a spreadsheet cell, mapped to the two decisions.
_ALIASES = {
    "match": "match",
    "yes": "match",
    "y": "match",
    "ja": "match",
    "same": "match",
    "no match": "no match",
    "no-match": "no match",
    "no_match": "no match",
    "nomatch": "no match",
    "non-match": "no match",
    "no": "no match",
    "n": "no match",
    "nein": "no match",
    "different": "no match",
}
_REQUIRED = ("left_id", "right_id", "decision")
_MAX_LISTED = 10


@dataclass(frozen=True)
class ImportResult:
    """What an import did: decisions stored (new or changed), unchanged, left blank."""

    stored: int
    unchanged: int
    blank: int


def _ordered(left: pd.Series, right: pd.Series) -> tuple[pd.Series, pd.Series]:
    """A pair is unordered: store it with the smaller record_id on the left."""
    left, right = left.astype("string"), right.astype("string")
    swap = (left > right).fillna(False).to_numpy(dtype=bool)
    lo = left.where(~swap, right)
    hi = right.where(~swap, left)
    return lo, hi


def parse_decisions(frame: pd.DataFrame, *, path: Path | str | None = None) -> pd.DataFrame:
    """Validate an edited review file: ``left_id``, ``right_id``, ``decision`` per row.

    Blank decisions are skipped; anything other than match / no match (or a common synonym)
    is an :class:`~dq.errors.InputError` naming every bad row (file line) and the column.
    Returns ``left_id``, ``right_id``, ``decision`` with the smaller record_id on the left.
    """
    missing = [c for c in _REQUIRED if c not in frame.columns]
    if missing:
        raise InputError(
            f"missing column(s) {', '.join(missing)}",
            path=path,
            hint="import the review file dq match wrote, with the decision column filled in",
        )
    line = pd.Series(np.arange(len(frame)) + 2, index=frame.index)  # header is line 1
    raw = frame["decision"].astype("string").str.strip().str.lower()
    raw = raw.str.replace(r"\s+", " ", regex=True)
    blank = raw.isna() | (raw == "")
    decision = raw.map(_ALIASES).astype("string")
    bad = ~blank & decision.isna()
    if bad.any():
        rows = line[bad].tolist()
        listed = ", ".join(str(r) for r in rows[:_MAX_LISTED])
        more = f" and {len(rows) - _MAX_LISTED} more" if len(rows) > _MAX_LISTED else ""
        raise InputError(
            f"{len(rows)} row(s) with an unknown decision (lines {listed}{more})",
            path=path,
            row=rows[0],
            column="decision",
            hint="write 'match' or 'no match', or leave the cell empty",
        )
    ids_missing = ~blank & (frame["left_id"].isna() | frame["right_id"].isna())
    if ids_missing.any():
        rows = line[ids_missing].tolist()
        column = "left_id" if frame.loc[ids_missing, "left_id"].isna().any() else "right_id"
        raise InputError(
            f"{len(rows)} decided row(s) without both record IDs",
            path=path,
            row=rows[0],
            column=column,
        )
    keep = ~blank
    left, right = _ordered(frame.loc[keep, "left_id"], frame.loc[keep, "right_id"])
    out = pd.DataFrame(
        {"left_id": left.array, "right_id": right.array, "decision": decision[keep].array}
    )
    conflict = out.groupby(["left_id", "right_id"])["decision"].nunique()
    if (conflict > 1).any():
        left_id, right_id = conflict[conflict > 1].index[0]
        raise InputError(
            f"pair {left_id} / {right_id} is decided both ways",
            path=path,
            column="decision",
            hint="keep one row per pair",
        )
    return out.drop_duplicates(["left_id", "right_id"]).reset_index(drop=True)


def import_decisions(
    store: Store, frame: pd.DataFrame, *, path: Path | str | None = None
) -> ImportResult:
    """Validate ``frame`` (an edited review file) and store its decisions; later ones win."""
    parsed = parse_decisions(frame, path=path)
    blank = len(frame) - len(parsed)
    store.ensure("match_decisions", DECISIONS_DDL)
    before = load_decisions(store)
    merged = parsed.merge(before, on=["left_id", "right_id"], how="left", suffixes=("", "_old"))
    same = (merged["decision"] == merged["decision_old"]).fillna(False).to_numpy(dtype=bool)
    todo = merged.loc[~same, ["left_id", "right_id", "decision"]]
    now = datetime.now(UTC).isoformat(timespec="seconds")
    source = str(path) if path is not None else None
    with store.conn:
        store.conn.executemany(
            "INSERT OR REPLACE INTO match_decisions "
            "(left_id, right_id, decision, decided_at, source_file) VALUES (?, ?, ?, ?, ?)",
            [(a, b, d, now, source) for a, b, d in todo.itertuples(index=False, name=None)],
        )
    return ImportResult(stored=len(todo), unchanged=int(same.sum()), blank=blank)


def load_decisions(store: Store) -> pd.DataFrame:
    """All stored decisions: ``left_id``, ``right_id``, ``decision``."""
    store.ensure("match_decisions", DECISIONS_DDL)
    rows = store.conn.execute("SELECT left_id, right_id, decision FROM match_decisions").fetchall()
    return pd.DataFrame(rows, columns=["left_id", "right_id", "decision"], dtype="string")


def apply_decisions(pairs: pd.DataFrame, decisions: pd.DataFrame | None) -> pd.DataFrame:
    """``pairs`` with clerical decisions applied: band, probability and a ``decision`` column.

    A "match" decision makes the pair a match with probability 1, "no match" a non-match with
    probability 0; decided pairs that blocking did not find are appended.
    """
    # a shallow copy: new columns replace, the one changed in place is copied first (a deep
    # copy of a million scored pairs was the matching stage's peak)
    out = pairs.copy(deep=False)
    out["band"] = out["band"].astype("string")
    out["decision"] = pd.Series(pd.NA, index=out.index, dtype="string")
    if decisions is None or decisions.empty:
        return out
    out["probability"] = out["probability"].to_numpy(dtype=np.float64, copy=True)
    lo, hi = _ordered(out["left_id"], out["right_id"])
    key = lo + "\x1f" + hi
    d = decisions.assign(key=decisions["left_id"] + "\x1f" + decisions["right_id"])
    by_key = d.drop_duplicates("key").set_index("key")["decision"]
    decided = key.map(by_key).astype("string")
    has = decided.notna().to_numpy(dtype=bool)
    out.loc[has, "decision"] = decided[has].to_numpy()
    is_match = (decided == "match").fillna(False).to_numpy(dtype=bool)
    out.loc[has, "band"] = np.where(is_match[has], "match", "non-match")
    out.loc[has, "probability"] = np.where(is_match[has], 1.0, 0.0)
    extra = d[~d["key"].isin(set(key.dropna().tolist()))]
    if len(extra):
        add = pd.DataFrame(
            {
                "left_id": extra["left_id"].to_numpy(),
                "right_id": extra["right_id"].to_numpy(),
                "band": np.where(extra["decision"] == "match", "match", "non-match"),
                "probability": np.where(extra["decision"] == "match", 1.0, 0.0),
                "decision": extra["decision"].to_numpy(),
            }
        )
        out = pd.concat([out, add.astype({"band": "string", "decision": "string"})])
    return out.reset_index(drop=True)


def review_queue(
    pairs: pd.DataFrame,
    records: pd.DataFrame,
    comparisons: Sequence[Comparison],
    *,
    prior_weight: float | None = None,
    positions: bool = False,
) -> pd.DataFrame:
    """Undecided pairs in the review band, side by side, most probable first.

    Per comparison: ``left_<column>``/``right_<column>`` for its columns, its level label and
    its weight; ``prior_weight`` (the pair's class prior where ``pairs`` has that column, else
    the argument) plus all weights equals ``match_weight`` (the explanation). With
    ``positions`` the records' row positions too (``left_pos``/``right_pos``), for
    :func:`dq.match.reasons.for_stewards` to find them without looking IDs up.
    """
    band = pairs["band"].astype("string")
    todo = (band == "review").fillna(False)
    if "decision" in pairs.columns:
        todo &= pairs["decision"].isna()
    queue = pairs[todo.to_numpy(dtype=bool)].sort_values(
        ["probability", "left_id", "right_id"], ascending=[False, True, True]
    )
    left, right = pair_positions(queue, records["record_id"])
    out: dict[str, object] = {
        "left_id": queue["left_id"].to_numpy(),
        "right_id": queue["right_id"].to_numpy(),
        "decision": pd.array([pd.NA] * len(queue), dtype="string"),
        "probability": queue["probability"].to_numpy(),
        "match_weight": queue["match_weight"].to_numpy(),
    }
    if "prior_weight" in queue.columns:
        out["prior_weight"] = queue["prior_weight"].to_numpy()
    elif prior_weight is not None:
        out["prior_weight"] = np.full(len(queue), prior_weight)
    for comp in comparisons:
        for col in comp.columns:
            if col in records.columns:
                values = records[col].array
                out[f"left_{col}"] = values.take(left, allow_fill=True)
                out[f"right_{col}"] = values.take(right, allow_fill=True)
        level_col, weight_col = f"{comp.name}__level", f"{comp.name}__weight"
        if level_col in queue.columns:
            labels = np.asarray(comp.labels(), dtype=object)
            levels = queue[level_col].to_numpy(dtype=np.int64)
            out[level_col] = labels[np.clip(levels, 0, len(labels) - 1)]
        if weight_col in queue.columns:
            out[weight_col] = queue[weight_col].to_numpy()
    if positions:
        out["left_pos"], out["right_pos"] = left, right
    return pd.DataFrame(out)
