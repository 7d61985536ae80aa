"""The matching stage end to end: score pairs, apply decisions, cluster, build golden records.

``match_records`` is what ``dq match`` and the pipeline call. It reads state only through the
``store`` it is given (golden-ID registry, clerical decisions) and returns every output table;
writing files is the caller's job.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import pandas as pd

from dq.golden.build import build_golden
from dq.golden.crosswalk import best_links, make_crosswalk
from dq.golden.registry import IdAssignment
from dq.golden.settings import GoldenSettings
from dq.golden.survivorship import positional, survive
from dq.match.blocking import BlockingReport, load_blocking_keys
from dq.match.clustering import ClusterResult, Components, IntArray, cluster_pairs
from dq.match.comparisons import load_comparisons
from dq.match.model import FSModel
from dq.match.reasons import cluster_reasons, for_stewards
from dq.match.review import apply_decisions, load_decisions, parse_decisions, review_queue
from dq.match.score import score_pairs
from dq.match.settings import MatchSettings
from dq.memory import arrow_strings, release_unused, use_malloc_for_arrow
from dq.schema import RECORD_COLUMNS
from dq.store import Store

if TYPE_CHECKING:
    from dq.match.engines.base import MatchEngine

__all__ = [
    "LinkResult",
    "MatchResult",
    "arrow_strings",
    "golden_records",
    "link_records",
    "match_records",
    "matching_columns",
]

log = logging.getLogger(__name__)

# flags of the standardiser the e-mail evidence reads (dq.match.evidence)
_EMAIL_FLAGS = ("freemail", "role")


@dataclass
class LinkResult:
    """Matched records before golden records: scored pairs with decisions, clusters, review."""

    records: pd.DataFrame  # the matched records, positional (row i = label i)
    labels: npt.NDArray[np.int64]  # cluster label per record
    pairs: pd.DataFrame
    review: pd.DataFrame
    model: FSModel
    blocking: BlockingReport
    clustering: ClusterResult
    timings: dict[str, float] = field(default_factory=dict)
    decisions_applied: int = 0


@dataclass
class MatchResult:
    """Everything a matching run produces; ``timings`` holds seconds per stage."""

    golden: pd.DataFrame
    crosswalk: pd.DataFrame
    review: pd.DataFrame
    pairs: pd.DataFrame
    model: FSModel
    blocking: BlockingReport
    clustering: ClusterResult
    ids: IdAssignment
    timings: dict[str, float] = field(default_factory=dict)
    decisions_applied: int = 0


def match_records(
    records: pd.DataFrame,
    *,
    settings: MatchSettings | None = None,
    store: Store | None = None,
    model: FSModel | None = None,
    golden: GoldenSettings | None = None,
    decisions: pd.DataFrame | None = None,
    engine: MatchEngine | None = None,
) -> MatchResult:
    """Link standardised canonical ``records`` into golden records.

    Trains a model unless ``model`` is given; clerical decisions come from ``store`` (and
    ``decisions``, which win) and override everything; with a ``store`` golden IDs stay stable
    across runs. Returns golden, crosswalk (record_id, golden_id, source, band, probability),
    review queue, the scored pairs, model, blocking report, cluster stats and timings. With an
    ``engine`` the pair work and survivorship run on it (see :func:`link_records`,
    :func:`golden_records`).
    """
    linked = link_records(
        records, settings=settings, store=store, model=model, decisions=decisions, engine=engine
    )
    return golden_records(linked, golden=golden, store=store, engine=engine)


def link_records(
    records: pd.DataFrame,
    *,
    settings: MatchSettings | None = None,
    store: Store | None = None,
    model: FSModel | None = None,
    decisions: pd.DataFrame | None = None,
    engine: MatchEngine | None = None,
) -> LinkResult:
    """Score, decide and cluster ``records``: everything of matching up to golden records.

    Clerical decisions come from ``store`` (read only) and ``decisions`` (which win). With an
    ``engine`` (:mod:`dq.match.engines`) candidate pairs, training, scores and connected
    components come from it; decisions, the cluster guard, soft links and the review queue
    run here as they do without one (None: all in this process, the local matcher).
    """
    settings = settings or MatchSettings()
    use_malloc_for_arrow()
    records = arrow_strings(positional(records))
    timings: dict[str, float] = {}
    scored = score_pairs(records, settings=settings, model=model, engine=engine)
    timings.update(scored.timings)
    components = _timed(engine.components, timings) if engine is not None else None

    start = time.perf_counter()
    stored = load_decisions(store) if store is not None else None
    given = parse_decisions(decisions) if decisions is not None else None
    all_decisions = _combine(stored, given)
    decided = apply_decisions(scored.pairs, all_decisions)
    trained, blocking, apart = scored.model, scored.blocking, scored.apart
    del scored  # its pairs live on in ``decided``: one copy of a million pairs, not two
    clusters = cluster_pairs(
        records,
        decided,  # it reads the band, not the decision column (no copy of the pairs)
        all_decisions,
        apart=apart,
        components=components,
    )
    timings["clustering"] = time.perf_counter() - start - timings.get("components", 0.0)
    start = time.perf_counter()
    review = review_queue(
        decided, records, trained.comparisons, prior_weight=trained.prior_weight, positions=True
    )
    review = for_stewards(review, records, trained.comparisons)
    timings["review"] = time.perf_counter() - start
    return LinkResult(
        records=records,
        labels=clusters.clusters["cluster"].to_numpy(dtype=np.int64),
        pairs=decided,
        review=review,
        model=trained,
        blocking=blocking,
        clustering=clusters,
        timings=timings,
        decisions_applied=int(decided["decision"].notna().sum()),
    )


def golden_records(
    linked: LinkResult,
    *,
    golden: GoldenSettings | None = None,
    store: Store | None = None,
    engine: MatchEngine | None = None,
) -> MatchResult:
    """Golden records and the crosswalk from linked records (stable IDs with a ``store``).

    With an ``engine`` survivorship runs on it (:meth:`MatchEngine.survive`); golden IDs, merge
    reasons and the crosswalk are made here either way.
    """
    records, decided = linked.records, linked.pairs
    timings = dict(linked.timings)
    release_unused()
    survivor = survive if engine is None else engine.survive
    built = build_golden(records, linked.labels, settings=golden, store=store, survivor=survivor)
    release_unused()
    timings.update(built.timings)
    start = time.perf_counter()
    reasons = cluster_reasons(
        decided, linked.model.comparisons, records["record_id"], linked.labels
    )
    built.golden.insert(1, "merge_reason", reasons.reindex(built.golden_labels).to_numpy())
    timings["merge_reasons"] = time.perf_counter() - start

    start = time.perf_counter()
    sources = records["source"] if "source" in records.columns else None
    links = best_links(decided, records["record_id"])
    release_unused()
    crosswalk = make_crosswalk(records["record_id"], built.golden_ids, links, sources)
    timings["outputs"] = time.perf_counter() - start
    log.info(
        "matched %d records into %d golden records (%d pairs to review, %d decisions applied)",
        len(records),
        len(built.golden),
        len(linked.review),
        linked.decisions_applied,
    )
    return MatchResult(
        golden=built.golden,
        crosswalk=crosswalk,
        review=linked.review,
        pairs=decided,
        model=linked.model,
        blocking=linked.blocking,
        clustering=linked.clustering,
        ids=built.assignment,
        timings=timings,
        decisions_applied=linked.decisions_applied,
    )


def matching_columns(available: Iterable[str], settings: MatchSettings | None = None) -> list[str]:
    """The columns of ``available`` that :func:`match_records` reads, in their order.

    Canonical record columns (golden records keep them all), their ``<column>_valid`` flags
    and whatever the blocking keys and comparisons name (the standardiser's matching keys such
    as ``last_name_fold``). A caller loading a standardised file can read just these: audit
    copies (``*_raw``) and other standardiser output are not needed to match.
    """
    settings = settings or MatchSettings()
    wanted = set(RECORD_COLUMNS) | {f"{c}_valid" for c in RECORD_COLUMNS}
    wanted |= set(settings.require_equal)
    for key in load_blocking_keys(settings.blocking):
        wanted |= {name.strip() for column in key.columns() for name in column.split(",")}
    for comp in load_comparisons(settings.comparisons):
        wanted |= {name.strip() for column in comp.columns for name in column.split(",")}
        if comp.kind == "email":  # the standardiser's flags (free-mail, role mailbox)
            wanted |= {f"{name.strip()}_{flag}" for name in comp.columns for flag in _EMAIL_FLAGS}
    return [name for name in available if name in wanted]


def _timed(components: Components, timings: dict[str, float]) -> Components:
    """``components`` adding its seconds to ``timings["components"]``."""

    def timed(n: int, left: IntArray, right: IntArray) -> IntArray:
        start = time.perf_counter()
        labels = components(n, left, right)
        timings["components"] = timings.get("components", 0.0) + time.perf_counter() - start
        return labels

    return timed


def _combine(stored: pd.DataFrame | None, given: pd.DataFrame | None) -> pd.DataFrame | None:
    frames = [f for f in (given, stored) if f is not None and len(f)]
    if not frames:
        return None
    both = pd.concat(frames, ignore_index=True)
    # the decisions passed in come first, so they win over stored ones
    return both.drop_duplicates(["left_id", "right_id"], keep="first").reset_index(drop=True)
