"""Survivorship: per cluster and field (group), the value that goes into the golden record.

Each field group's candidates are the cluster's records with any value in the group. The
group's rules turn into integer keys (lower wins) and knock candidates out rule by rule, for all
clusters at once; only clusters with several candidates left are looked at by the next rule,
so singletons and clear cases cost nothing. The last candidate standing wins, for every field
of the group, with its ``record_id`` as lineage (``<field>__from``). Ties left by the rules go to
the record that comes first in the input, so the same input always gives the same result.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from dq.golden.settings import GoldenSettings, Rule
from dq.schema import RECORD_COLUMNS
from dq.standardize.validity import BY_COUNTRY, VALIDATED, valid_mask

__all__ = ["SURVIVING_FIELDS", "positional", "survive"]

IntArray = npt.NDArray[np.int64]

# Lineage columns describe one source row; a golden record has its own (record_count, sources).
_LINEAGE = ("record_id", "source", "source_key", "source_file", "source_row")
SURVIVING_FIELDS: tuple[str, ...] = tuple(c for c in RECORD_COLUMNS if c not in _LINEAGE)
_RECENCY = ("updated_at", "last_activity_at", "created_at")
_NEVER = np.iinfo(np.int64).max


def positional(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with a 0..n-1 index, without copying a million rows when it already has one."""
    index = frame.index
    if isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1:
        return frame
    out = frame.copy(deep=False)
    out.index = pd.RangeIndex(len(frame))
    return out


def survive(
    records: pd.DataFrame,
    labels: IntArray,
    settings: GoldenSettings | None = None,
) -> pd.DataFrame:
    """One row per cluster label (sorted): surviving values and their ``<field>__from`` ids.

    ``records`` are canonical records (one per label entry, same order); extra columns are
    ignored. The frame also has ``cluster``, ``record_count`` and ``sources``.
    """
    settings = settings or GoldenSettings()
    records = positional(records)
    labels = np.asarray(labels, dtype=np.int64)
    clusters, cluster_idx = np.unique(labels, return_inverse=True)
    recency = _recency(records)
    priority = _source_priority(records, settings)

    out: dict[str, object] = {"cluster": clusters}
    out["record_count"] = np.bincount(cluster_idx, minlength=len(clusters))
    out["sources"] = _sources(records, cluster_idx, len(clusters))
    lineage: dict[str, pd.api.extensions.ExtensionArray] = {}
    ctx = _Context(records, cluster_idx, recency, priority)
    groups = settings.field_groups()
    grouped = {f for fields in groups.values() for f in fields}
    units = [(name, fields) for name, fields in groups.items()]
    units += [(f, (f,)) for f in SURVIVING_FIELDS if f not in grouped]
    rid = records["record_id"].astype("string").array
    for name, fields in units:
        present = [f for f in fields if f in records.columns]
        if not present:
            continue
        winner = ctx.winners(present, settings.rules_for(name))
        for f in present:
            take = np.where(winner >= 0, winner, -1)
            take[take >= 0] = np.where(ctx.notna(f)[take[take >= 0]], take[take >= 0], -1)
            out[f] = records[f].array.take(take, allow_fill=True)
            lineage[f"{f}__from"] = rid.take(take, allow_fill=True)
    ordered = ["cluster", "record_count", "sources"]
    ordered += [f for f in SURVIVING_FIELDS if f in out]
    # copy=False: the columns were just built for this frame; a copy would double the peak
    return pd.DataFrame({**{k: out[k] for k in ordered}, **lineage}, copy=False)


class _Context:
    """Per-record arrays shared by all groups, and the rule keys computed on demand."""

    def __init__(
        self,
        records: pd.DataFrame,
        cluster_idx: IntArray,
        recency: IntArray,
        priority: IntArray,
    ) -> None:
        self.records = records
        self.cluster_idx = cluster_idx
        self.recency = recency
        self.priority = priority
        self.n_clusters = int(cluster_idx.max()) + 1 if len(cluster_idx) else 0
        self._notna: dict[str, npt.NDArray[np.bool_]] = {}
        self._factors: dict[str, tuple[npt.NDArray[np.int32], pd.Index]] = {}
        self._flags: dict[str, npt.NDArray[np.bool_]] = {}

    def notna(self, field: str) -> npt.NDArray[np.bool_]:
        """Which records have a value in ``field`` (computed once per field)."""
        if field not in self._notna:
            if field in self._factors:
                self._notna[field] = self._factors[field][0] >= 0
            else:
                # not a factorisation: most fields are decided before a rule needs their values
                self._notna[field] = self.records[field].notna().to_numpy(dtype=bool)
        return self._notna[field]

    def factor(self, field: str) -> tuple[npt.NDArray[np.int32], pd.Index]:
        """Codes (-1 missing) and distinct values of ``field``: one hash pass per field.

        int32 codes: a million records times forty fields held at once, half of int64.
        """
        if field not in self._factors:
            codes, uniques = pd.factorize(self.records[field], use_na_sentinel=True)
            self._factors[field] = (np.asarray(codes, dtype=np.int32), pd.Index(uniques))
        return self._factors[field]

    def winners(self, fields: list[str], rules: tuple[Rule, ...]) -> IntArray:
        """Per cluster the position of the winning record (-1 when no record has a value).

        A knock-out per rule: only clusters with several candidates left are looked at, the
        rule's key is computed for their candidates only, and those not at the cluster's best
        key drop out. Remaining ties go to the record that comes first in the input.
        """
        notna = np.zeros(len(self.records), dtype=bool)
        for f in fields:
            notna |= self.notna(f)
        alive = np.flatnonzero(notna)
        for rule in rules:
            cl = self.cluster_idx[alive]
            contested = np.bincount(cl, minlength=self.n_clusters)[cl] > 1
            if not contested.any():
                break
            pos = alive[contested]
            key = self._key(rule, fields, pos)
            best = np.full(self.n_clusters, np.iinfo(np.int64).max, dtype=np.int64)
            np.minimum.at(best, self.cluster_idx[pos], key)
            keep = key == best[self.cluster_idx[pos]]
            alive = np.concatenate([alive[~contested], pos[keep]])
        n = len(self.records)
        first = np.full(self.n_clusters, n, dtype=np.int64)
        np.minimum.at(first, self.cluster_idx[alive], alive)
        return np.where(first < n, first, -1)

    def _key(self, rule: Rule, fields: list[str], pos: IntArray) -> IntArray:
        """The rule's sort key for the records at ``pos`` (lower wins)."""
        if rule == "valid_first":
            checked = [f for f in fields if f in VALIDATED]
            if not checked:
                return np.zeros(len(pos), dtype=np.int64)
            return (~self._valid(checked[0], pos)).astype(np.int64)
        if rule == "source_priority":
            return self.priority[pos]
        if rule == "most_recent":
            return -self.recency[pos]
        if rule == "most_complete":
            filled = np.zeros(len(pos), dtype=np.int64)
            length = np.zeros(len(pos), dtype=np.int64)
            for f in fields:
                filled += self.notna(f)[pos]
                length += self._length(f, pos)
            return np.asarray(-(filled * 10_000 + np.minimum(length, 9_999)), dtype=np.int64)
        if rule == "most_frequent":
            value = np.zeros(len(pos), dtype=np.int64)
            for f in fields:
                codes, count = self._codes_at(f, pos)
                combo, _ = pd.factorize(value * (count + 2) + codes + 1)
                value = np.asarray(combo, dtype=np.int64)
            combo = self.cluster_idx[pos] * np.int64(max(int(value.max()) + 1, 1)) + value
            _, inverse, counts = np.unique(combo, return_inverse=True, return_counts=True)
            return np.asarray(-counts[inverse], dtype=np.int64)
        if rule in ("earliest", "latest"):
            when = _as_int(self.records[fields[0]].iloc[pos])
            return np.where(when == _NEVER, _NEVER, when if rule == "earliest" else -when)
        raise ValueError(f"unknown survivorship rule {rule!r}")

    def _codes_at(self, field: str, pos: IntArray) -> tuple[IntArray, int]:
        """Codes (-1 missing) of ``field`` at ``pos`` and how many distinct values they have:
        the contested records only, unless the whole field is factorised already."""
        if field in self._factors:
            all_codes, uniques = self._factors[field]
            return all_codes[pos].astype(np.int64), len(uniques)
        codes, uniques = pd.factorize(self.records[field].take(pos), use_na_sentinel=True)
        return np.asarray(codes, dtype=np.int64), len(uniques)

    def _length(self, field: str, pos: IntArray) -> IntArray:
        """Characters of ``field``'s value at ``pos`` as text (0 where missing)."""
        values = self.records[field].array.take(pos)
        if isinstance(values.dtype, pd.StringDtype):
            lengths = pd.Series(values).str.len()
        else:
            lengths = pd.Series(values).astype(object).map(str, na_action="ignore").str.len()
        return np.asarray(lengths.fillna(0).to_numpy(dtype=np.int64), dtype=np.int64)

    def _valid(self, field: str, pos: IntArray) -> npt.NDArray[np.bool_]:
        """Validity of ``field`` at ``pos``: the standardiser's flag, or its function (once
        per distinct value where the country does not matter)."""
        flag = f"{field}_valid"
        if flag in self.records.columns:  # the standardiser's flag: read once for all records
            if field not in self._flags:
                cols = [c for c in (field, flag) if c in self.records.columns]
                self._flags[field] = valid_mask(self.records[cols], field)
            return self._flags[field][pos]
        if field in BY_COUNTRY:
            cols = [c for c in (field, flag, "country") if c in self.records.columns]
            return valid_mask(self.records[cols].iloc[pos], field)
        if field not in self._flags:  # once per distinct value, once per field
            all_codes, uniques = self.factor(field)
            values = pd.array(np.asarray(uniques, dtype=object), "string")
            flags = np.append(valid_mask(pd.DataFrame({field: values}), field), False)
            self._flags[field] = np.asarray(flags[all_codes], dtype=bool)
        return self._flags[field][pos]


def _as_int(values: pd.Series) -> IntArray:
    """Dates (or numbers) as int64 for sorting; missing is the largest value."""
    if pd.api.types.is_datetime64_any_dtype(values):
        ints = values.to_numpy(dtype="datetime64[ns]").astype(np.int64)
        return np.where(values.isna().to_numpy(), _NEVER, ints)
    numeric = pd.to_numeric(values, errors="coerce")
    return np.where(numeric.isna(), _NEVER, numeric.fillna(0).astype(np.int64)).astype(np.int64)


def _recency(records: pd.DataFrame) -> IntArray:
    """Per record the latest known change (updated_at, else last activity, else creation)."""
    best = np.full(len(records), np.iinfo(np.int64).min, dtype=np.int64)
    for col in _RECENCY:
        if col in records.columns:
            when = pd.to_datetime(records[col], errors="coerce")
            ints = _as_int(when)
            usable = (ints != _NEVER) & (best == np.iinfo(np.int64).min)
            best[usable] = ints[usable]
    return best


def _source_priority(records: pd.DataFrame, settings: GoldenSettings) -> IntArray:
    last = max(settings.source_priority.values(), default=0) + 1
    if "source" not in records.columns:
        return np.full(len(records), last, dtype=np.int64)
    mapped = records["source"].astype("string").map(settings.source_priority)
    return pd.to_numeric(mapped, errors="coerce").fillna(last).to_numpy(dtype=np.int64)


def _sources(records: pd.DataFrame, cluster_idx: IntArray, n: int) -> npt.NDArray[np.object_]:
    """Per cluster the sorted distinct source names, comma-separated (via a bit set per cluster)."""
    out = np.full(n, "", dtype=object)
    if "source" not in records.columns or n == 0:
        return out
    codes, names = pd.factorize(records["source"].astype("string").fillna(""), sort=True)
    if len(names) > 62:  # more sources than bits: the slow, general way
        frame = pd.DataFrame({"c": cluster_idx, "s": records["source"].astype("string")})
        joined = frame.drop_duplicates().sort_values(["c", "s"]).groupby("c")["s"].agg(",".join)
        out[joined.index.to_numpy()] = joined.to_numpy()
        return out
    mask = np.zeros(n, dtype=np.int64)
    np.bitwise_or.at(mask, cluster_idx, np.left_shift(np.int64(1), codes.astype(np.int64)))
    distinct, inverse = np.unique(mask, return_inverse=True)
    labels = [",".join(str(names[i]) for i in range(len(names)) if m >> i & 1) for m in distinct]
    return np.asarray(labels, dtype=object)[inverse]
