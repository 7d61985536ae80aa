"""Stable golden IDs: a registry in the workspace database remembers record_id → golden_id.

A cluster takes the ID most of its previously seen members had; when two clusters claim one ID
(a split), the cluster with more of its members keeps it; ties go to the oldest ID, then to the
cluster with the smallest record_id. A cluster without a usable old ID gets a new one derived
from its smallest record_id (``G`` + 12 hex digits of a SHA-1), so a fresh workspace names the
same data the same way. Merges, splits and retired IDs are logged per run (``golden_events``),
with the run's counts in ``golden_runs``.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
import numpy.typing as npt
import pandas as pd

from dq.store import Store

__all__ = [
    "REGISTRY_DDL",
    "IdAssignment",
    "assign_ids",
    "load_registry",
    "registry_ddl",
    "save_assignment",
    "stable_golden_ids",
]

log = logging.getLogger(__name__)

IntArray = npt.NDArray[np.int64]

_DDL = """
CREATE TABLE IF NOT EXISTS {kind}_registry (
    record_id TEXT PRIMARY KEY,
    golden_id TEXT NOT NULL,
    run_id INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS {kind}_runs (
    run_id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    records INTEGER NOT NULL,
    golden_records INTEGER NOT NULL,
    new_ids INTEGER NOT NULL,
    merges INTEGER NOT NULL,
    splits INTEGER NOT NULL,
    retired INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS {kind}_events (
    run_id INTEGER NOT NULL,
    event TEXT NOT NULL CHECK (event IN ('merge', 'split', 'retire')),
    golden_id TEXT NOT NULL,
    other_id TEXT,
    records INTEGER
);
"""
EVENTS = ("new", "merge", "split", "retire")
# one registry per kind of ID: golden customers and their contact persons
REGISTRIES = ("golden", "contact")


def registry_ddl(kind: str = "golden") -> str:
    """The tables of the ``kind`` registry (``<kind>_registry``, ``_runs``, ``_events``)."""
    if kind not in REGISTRIES:
        raise ValueError(f"unknown registry {kind!r}")
    return _DDL.format(kind=kind)


REGISTRY_DDL = registry_ddl("golden")


@dataclass
class IdAssignment:
    """Golden ID per cluster label and what changed against the previous run."""

    ids: pd.Series  # index: cluster label (sorted), value: golden_id
    events: pd.DataFrame  # event, golden_id, other_id, records
    previous: pd.Series  # per record position: previous golden_id (NA if unseen)

    def counts(self) -> dict[str, int]:
        """Number of events per kind (new, merge, split, retire)."""
        counted = self.events["event"].value_counts()
        return {e: int(counted.get(e, 0)) for e in EVENTS}


def _fresh_id(seed: str, prefix: str, salt: int = 0) -> str:
    text = seed if salt == 0 else f"{seed}#{salt}"
    return prefix + hashlib.sha1(text.encode("utf-8")).hexdigest()[:12].upper()


def _fresh_ids(seeds: npt.NDArray[np.object_], prefix: str) -> npt.NDArray[np.object_]:
    """New IDs for many seeds at once: SHA-1 per seed in one tight loop (hex, 12 digits)."""
    sha1 = hashlib.sha1
    return np.asarray(
        [prefix + sha1(s.encode("utf-8")).hexdigest()[:12].upper() for s in seeds.tolist()],
        dtype=object,
    )


def assign_ids(
    record_ids: pd.Series,
    labels: IntArray,
    previous: pd.DataFrame | None = None,
    *,
    prefix: str = "G",
) -> IdAssignment:
    """Give every cluster a golden ID, reusing previous IDs by majority (pure: no I/O).

    ``previous`` has ``record_id``, ``golden_id`` and ``seq`` (creation order of the ID, for
    "oldest ID wins" ties); records absent from it are new. Work is on integer codes: strings
    are hashed once and never sorted, except the record_ids of clusters that need a new ID.
    """
    rid = record_ids.astype("string").reset_index(drop=True)
    labels = np.asarray(labels, dtype=np.int64)
    clusters, cidx = np.unique(labels, return_inverse=True)
    if previous is not None and len(previous):
        prev = previous.drop_duplicates("record_id")
        pos = pd.Index(prev["record_id"].astype("string")).get_indexer(pd.Index(rid))
        prev_gid = pd.Series(
            prev["golden_id"].astype("string").array.take(pos, allow_fill=True), dtype="string"
        )
        seq_of = previous.drop_duplicates("golden_id").set_index("golden_id")["seq"]
        known_ids = set(seq_of.index.astype(str))
    else:
        prev_gid = pd.Series(pd.NA, index=range(len(rid)), dtype="string")
        seq_of = pd.Series(dtype="int64")
        known_ids = set()
    pcode, pnames = pd.factorize(prev_gid, use_na_sentinel=True)
    pcode = np.asarray(pcode, dtype=np.int64)
    pseq = pd.Index(seq_of.index.astype(str)).get_indexer(
        pd.Index(np.asarray(pnames, dtype=object))
    )
    pseq = np.where(pseq >= 0, seq_of.to_numpy(dtype=np.int64)[np.maximum(pseq, 0)], _BIG)

    chosen = _majority(rid, labels, cidx, pcode, pseq)  # cluster index -> previous ID code
    gid = np.full(len(clusters), None, dtype=object)
    gid[chosen >= 0] = np.asarray(pnames, dtype=object)[chosen[chosen >= 0]]
    fresh = np.flatnonzero(chosen < 0)
    anchor = _anchors(rid, labels, clusters[fresh])
    seeds = anchor.to_numpy(dtype=object)
    gid[fresh] = _fresh_ids(seeds, prefix)
    taken = known_ids | set(gid[chosen >= 0].tolist())
    clash = pd.Series(gid[fresh]).duplicated().to_numpy() | np.isin(gid[fresh], list(taken))
    taken |= set(gid[fresh][~clash].tolist())
    for i, seed in zip(fresh[clash].tolist(), seeds[clash].tolist(), strict=True):
        salt = 1  # an old ID of the same anchor, or a hash collision
        new = _fresh_id(seed, prefix, salt)
        while new in taken:
            salt += 1
            new = _fresh_id(seed, prefix, salt)
        taken.add(new)
        gid[i] = new
    ids = pd.Series(gid, index=clusters, dtype="string")
    events = _events(cidx, pcode, np.asarray(pnames, dtype=object), gid, fresh)
    return IdAssignment(ids=ids, events=events, previous=prev_gid)


_BIG = np.iinfo(np.int64).max
_CHUNK = 100_000


def _majority(
    rid: pd.Series, labels: IntArray, cidx: IntArray, pcode: IntArray, pseq: IntArray
) -> IntArray:
    """Per cluster index the previous ID code it keeps (-1: none), one ID per cluster at most.

    Claims (cluster, old ID, members) are ranked by members, then the ID's age, then the
    cluster's smallest record_id; a claim wins when it is the best for both its cluster and its
    ID. Winners leave, the rest try again, until no claims are left.
    """
    n_clusters = int(cidx.max()) + 1 if len(cidx) else 0
    chosen = np.full(n_clusters, -1, dtype=np.int64)
    seen = pcode >= 0
    if not seen.any():
        return chosen
    n_ids = int(pcode.max()) + 1
    combo, counts = np.unique(cidx[seen] * n_ids + pcode[seen], return_counts=True)
    c, p = combo // n_ids, combo % n_ids
    seq = pseq[p]
    tie_rank = np.zeros(len(c), dtype=np.int64)
    claim = pd.DataFrame({"p": p, "n": counts, "s": seq})
    tied = claim.duplicated(["p", "n", "s"], keep=False).to_numpy()
    if tied.any():  # only then do smallest record_ids matter
        tied_clusters = np.unique(labels[np.isin(cidx, c[tied])])
        anchors = _anchors(rid, labels, tied_clusters)
        order = np.argsort(anchors.to_numpy(dtype=object).astype(str), kind="stable")
        rank_of = dict(zip(anchors.index[order].tolist(), range(len(order)), strict=True))
        uniq_labels = np.unique(labels)
        tie_rank = np.array([rank_of.get(int(uniq_labels[x]), 0) for x in c], dtype=np.int64)
    order = np.lexsort([tie_rank, seq, -counts])
    c, p = c[order], p[order]
    while len(c):
        first_of_p = np.zeros(len(c), dtype=bool)
        first_of_p[np.unique(p, return_index=True)[1]] = True
        first_of_c = np.zeros(len(c), dtype=bool)
        first_of_c[np.unique(c, return_index=True)[1]] = True
        win = first_of_p & first_of_c
        chosen[c[win]] = p[win]
        keep = ~np.isin(c, c[win]) & ~np.isin(p, p[win])
        c, p = c[keep], p[keep]
    return chosen


def _anchors(record_ids: pd.Series, labels: IntArray, clusters: npt.ArrayLike) -> pd.Series:
    """For the given cluster labels (sorted) their smallest record_id.

    One C++ sort (pyarrow) of the records concerned, then a minimum per cluster: no Python
    loop per group and no string sort of records that do not need an anchor.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    wanted = np.unique(np.asarray(clusters, dtype=np.int64))
    if len(wanted) == 0:
        return pd.Series(dtype="string")
    rows = np.flatnonzero(np.isin(labels, wanted))
    ids = record_ids.iloc[rows].to_numpy(dtype=object)
    order = np.asarray(pc.array_sort_indices(pa.array(ids, type=pa.string())), dtype=np.int64)
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    inverse = np.searchsorted(wanted, labels[rows])
    best = np.full(len(wanted), _BIG, dtype=np.int64)
    np.minimum.at(best, inverse, rank)
    return pd.Series(ids[order[best]], index=wanted, dtype="string")


def _sort_order(values: pd.Series) -> IntArray:
    """Positions that sort ``values`` (strings), by pyarrow's C++ sort."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = pa.array(values.to_numpy(dtype=object), type=pa.string())
    return np.asarray(pc.array_sort_indices(arr), dtype=np.int64)


def _events(
    cidx: IntArray,
    pcode: IntArray,
    pnames: npt.NDArray[np.object_],
    gid: npt.NDArray[np.object_],
    fresh: IntArray,
) -> pd.DataFrame:
    """New IDs; merges (an old ID absorbed into a cluster that kept another ID); splits (records
    of an old ID that lives on moved to another cluster); retired IDs (old IDs of present
    records that no cluster kept)."""
    sizes = np.bincount(cidx, minlength=len(gid))
    frames = [
        pd.DataFrame(
            {"event": "new", "golden_id": gid[fresh], "other_id": None, "records": sizes[fresh]}
        )
    ]
    seen = pcode >= 0
    if seen.any():
        n_ids = len(pnames)
        combo, counts = np.unique(cidx[seen] * n_ids + pcode[seen], return_counts=True)
        now, before = gid[combo // n_ids], pnames[combo % n_ids]
        moved = now != before
        kept = set(gid.tolist())
        alive = np.array([b in kept for b in before], dtype=bool)
        split = moved & alive
        merge = moved & ~alive
        frames.append(
            pd.DataFrame(
                {
                    "event": "split",
                    "golden_id": before[split],
                    "other_id": now[split],
                    "records": counts[split],
                }
            )
        )
        frames.append(
            pd.DataFrame(
                {
                    "event": "merge",
                    "golden_id": now[merge],
                    "other_id": before[merge],
                    "records": counts[merge],
                }
            )
        )
        retired = sorted(set(pnames.tolist()) - kept)
        frames.append(
            pd.DataFrame({"event": "retire", "golden_id": retired, "other_id": None, "records": 0})
        )
    events = pd.concat(frames, ignore_index=True)
    events["records"] = events["records"].astype("int64")
    return events


def load_registry(store: Store, kind: str = "golden") -> pd.DataFrame:
    """The registry: record_id, golden_id, seq (age of the golden ID: the earliest run any of
    its records got it, ties by ID; lower is older)."""
    store.ensure(kind, registry_ddl(kind))
    rows = store.conn.execute(
        f"SELECT record_id, golden_id, run_id FROM {kind}_registry"
    ).fetchall()
    reg = pd.DataFrame(rows, columns=["record_id", "golden_id", "run_id"])
    codes, uniques = pd.factorize(reg["golden_id"], sort=False)
    first = np.full(len(uniques), _BIG, dtype=np.int64)
    np.minimum.at(first, codes, reg["run_id"].to_numpy(dtype=np.int64))
    order = np.lexsort([np.asarray(uniques, dtype=str), first])  # by run, then by ID
    seq = np.empty(len(uniques), dtype=np.int64)
    seq[order] = np.arange(len(uniques))
    return pd.DataFrame(
        {
            "record_id": reg["record_id"].astype("string"),
            "golden_id": reg["golden_id"].astype("string"),
            "seq": seq[codes],
        }
    )


def save_assignment(
    store: Store, record_ids: pd.Series, labels: IntArray, got: IdAssignment, kind: str = "golden"
) -> int:
    """Write this run, the registry rows that changed and the merge/split/retire events.

    New IDs need no row of their own: their records' registry rows carry the run that made them.
    """
    store.ensure(kind, registry_ddl(kind))
    conn = store.conn
    _, cidx = np.unique(np.asarray(labels, dtype=np.int64), return_inverse=True)
    gid = pd.Series(got.ids.to_numpy(dtype=object)[cidx], dtype="string")
    rid = record_ids.astype("string").reset_index(drop=True)
    changed = (gid != got.previous.reset_index(drop=True)).fillna(True).to_numpy(dtype=bool)
    now = datetime.now(UTC).isoformat(timespec="seconds")
    counts = got.counts()
    events = got.events[got.events["event"] != "new"]
    with conn:
        cur = conn.execute(
            f"INSERT INTO {kind}_runs (started_at, records, golden_records, new_ids, merges, "
            "splits, retired) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                now,
                len(rid),
                len(got.ids),
                counts["new"],
                counts["merge"],
                counts["split"],
                counts["retire"],
            ),
        )
        run_id = int(cur.lastrowid or 0)
        # rows in key order: B-tree inserts then append instead of splitting random pages
        order = _sort_order(rid[changed])
        keys, values = rid[changed].array.take(order), gid[changed].array.take(order)
        for lo in range(0, len(order), _CHUNK):  # chunks: no million-tuple list in memory
            conn.executemany(
                f"INSERT OR REPLACE INTO {kind}_registry (record_id, golden_id, run_id) "
                f"VALUES (?, ?, {run_id})",
                zip(
                    keys[lo : lo + _CHUNK].tolist(),
                    values[lo : lo + _CHUNK].tolist(),
                    strict=True,
                ),
            )
        conn.executemany(
            f"INSERT INTO {kind}_events (run_id, event, golden_id, other_id, records) "
            "VALUES (?, ?, ?, ?, ?)",
            [
                (run_id, e, g, o if isinstance(o, str) else None, int(n))
                for e, g, o, n in events.itertuples(index=False, name=None)
            ],
        )
    log.info("%s IDs: run %d, %d registry rows written, %s", kind, run_id, changed.sum(), counts)
    return run_id


def stable_golden_ids(
    record_ids: pd.Series,
    labels: IntArray,
    store: Store | None,
    *,
    prefix: str = "G",
    kind: str = "golden",
) -> IdAssignment:
    """Assign IDs for ``labels``; with a store, reuse and update its ``kind`` registry
    (``golden`` for customers, ``contact`` for contact persons)."""
    previous = load_registry(store, kind) if store is not None else None
    got = assign_ids(record_ids, labels, previous, prefix=prefix)
    if store is not None:
        save_assignment(store, record_ids, labels, got, kind)
    return got
