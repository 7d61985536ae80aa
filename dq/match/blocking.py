"""Blocking: candidate record pairs from several keys, as one deduplicated union.

Each :class:`BlockingKey` is data (``dq/match/data/blocking.yaml``): the parts it is built from
(``column|transform``), whether it blocks on equal keys or slides a window over sorted keys, and a
secondary key that splits blocks above the size cap. Pairs are two int64 arrays of row positions
with ``left < right``; memory grows with the number of pairs, never with n².
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from dq.errors import ConfigError
from dq.match.blocks import blocks_of, ranges, rank_order
from dq.match.budget import MIN_BUDGET, KeyBlocks, budget_cap, pairs_at_cap, ranked_steps
from dq.match.columns import ColumnCache
from dq.match.key_yield import PairYield, band_pairs, cap_ladder, step_yields, window_pairs
from dq.match.settings import MatchSettings
from dq.match.spec import read_spec
from dq.match.transforms import TRANSFORMS, transformed

__all__ = [
    "BlockingKey",
    "BlockingReport",
    "CandidatePairs",
    "YieldSample",
    "block",
    "key_caps",
    "load_blocking_keys",
    "pair_filter",
]

log = logging.getLogger(__name__)

IntArray = npt.NDArray[np.int64]
# per block key: its codes per record and its split_by codes (int32: half the memory)
Codes = dict[str, tuple[npt.NDArray[np.int32], npt.NDArray[np.int32] | None]]


@dataclass(frozen=True)
class BlockingKey:
    """One blocking key: records whose key parts all agree (or sort next to each other) pair up.

    ``parts`` lists its parts as ``column`` or ``column|transform`` (``postcode``,
    ``name_core|prefix:3``, ``last_name|cologne``); a record with any part null has no key.
    ``split_by`` refines blocks above the cap; ``window`` is for sorted neighbourhood keys.
    """

    name: str
    parts: tuple[str, ...]
    kind: Literal["block", "sorted_neighbourhood"] = "block"
    window: int = 4
    split_by: tuple[str, ...] = ()

    def columns(self) -> set[str]:
        """Every record column the key reads."""
        return {part.split("|", 1)[0] for part in (*self.parts, *self.split_by)}


@dataclass
class BlockingReport:
    """What blocking did: pairs per key, largest blocks, capped blocks, records left alone.

    Block values are never stored (they are personal data): only key names and sizes.
    """

    records: int = 0
    pairs: int = 0
    pairs_per_key: dict[str, int] = field(default_factory=dict)
    largest_blocks: list[tuple[str, int]] = field(default_factory=list)
    blocks_split: dict[str, int] = field(default_factory=dict)
    blocks_skipped: dict[str, int] = field(default_factory=dict)
    records_in_skipped_blocks: dict[str, int] = field(default_factory=dict)
    share_without_candidate: float = 0.0
    budget: int | None = None
    pairs_estimated: int = 0
    cap_used: int = 0
    key_caps: dict[str, int] = field(default_factory=dict)
    key_yield: dict[str, float] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready view of the report."""
        return {
            "records": self.records,
            "pairs": self.pairs,
            "pairs_per_key": dict(self.pairs_per_key),
            "largest_blocks": [[k, s] for k, s in self.largest_blocks],
            "blocks_split": dict(self.blocks_split),
            "blocks_skipped": dict(self.blocks_skipped),
            "records_in_skipped_blocks": dict(self.records_in_skipped_blocks),
            "share_without_candidate": self.share_without_candidate,
            "budget": self.budget,
            "pairs_estimated": self.pairs_estimated,
            "cap_used": self.cap_used,
            "key_caps": dict(self.key_caps),
            "key_yield": dict(self.key_yield),
            "warnings": list(self.warnings),
        }


@dataclass
class CandidatePairs:
    """Candidate pairs as row positions into the records frame (``left < right``)."""

    left: IntArray
    right: IntArray
    report: BlockingReport

    def __len__(self) -> int:
        return len(self.left)


_DEFAULT_KEYS = "blocking.yaml"

# Sampled pairs per key and band of block sizes when caps are set by yield (the whole sample, a
# few tens of thousands of pairs, is compared and scored once).
YIELD_SAMPLE = 300


def load_blocking_keys(path: Path | str | None = None) -> list[BlockingKey]:
    """Read blocking keys from a YAML file (``keys: [...]``); None reads the shipped default."""
    data, where = read_spec(path, _DEFAULT_KEYS, "blocking keys")
    return parse_blocking_keys(data, where=where)


def parse_blocking_keys(data: Any, *, where: Path | str | None = None) -> list[BlockingKey]:
    """Build blocking keys from parsed YAML, reporting every problem at once."""
    if not isinstance(data, dict) or not isinstance(data.get("keys"), list):
        raise ConfigError(where, ["expected a mapping with a list under `keys`"])
    problems: list[str] = []
    keys: list[BlockingKey] = []
    allowed = {"name", "parts", "kind", "window", "split_by"}
    for i, raw in enumerate(data["keys"]):
        if not isinstance(raw, dict) or "name" not in raw or "parts" not in raw:
            problems.append(f"keys[{i}]: needs `name` and `parts`")
            continue
        unknown = set(raw) - allowed
        if unknown:
            problems.append(f"keys[{i}]: unknown fields {sorted(unknown)}")
        parts = tuple(str(p) for p in _as_list(raw["parts"]))
        split_by = tuple(str(p) for p in _as_list(raw.get("split_by", [])))
        for part in (*parts, *split_by):
            transform = part.split("|", 1)[1] if "|" in part else "exact"
            if transform.partition(":")[0] not in TRANSFORMS:
                problems.append(
                    f"keys[{i}] ({raw['name']}): unknown transform {transform!r}; "
                    f"known: {', '.join(sorted(TRANSFORMS))}"
                )
        kind = raw.get("kind", "block")
        if kind not in ("block", "sorted_neighbourhood"):
            problems.append(f"keys[{i}]: kind must be block or sorted_neighbourhood")
        keys.append(
            BlockingKey(
                name=str(raw["name"]),
                parts=parts,
                kind=kind,
                window=int(raw.get("window", 4)),
                split_by=split_by,
            )
        )
    if problems:
        raise ConfigError(where, problems)
    return keys


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else [value]


def key_codes(records: pd.DataFrame | ColumnCache, parts: Sequence[str]) -> IntArray:
    """One integer code per record for the combined key parts; -1 where any part is null."""
    cache = records if isinstance(records, ColumnCache) else ColumnCache(records)
    combined = np.zeros(cache.n, dtype=np.int64)
    for part in parts:
        codes, uniques = transformed(cache, part)
        missing = (codes < 0) | (combined < 0)
        combined = combined * (len(uniques) + 1) + codes
        combined, _ = pd.factorize(combined)
        combined = combined.astype(np.int64)
        combined[missing] = -1
    return combined


def _pairs_within_blocks(
    order: IntArray, starts: IntArray, sizes: IntArray
) -> tuple[IntArray, IntArray]:
    """Every pair inside every block, vectorised: element p pairs with p+1 … block end."""
    keep = sizes > 1
    starts, sizes = starts[keep], sizes[keep]
    if len(starts) == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    pos = ranges(starts, sizes)
    ends = np.repeat(starts + sizes, sizes)
    counts = ends - pos - 1
    total = int(counts.sum())
    left_pos = np.repeat(pos, counts)
    offsets = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(counts) - counts, counts)
    right_pos = left_pos + 1 + offsets
    left, right = order[left_pos], order[right_pos]
    return np.minimum(left, right), np.maximum(left, right)


def _sorted_neighbourhood(rank: IntArray, window: int) -> tuple[IntArray, IntArray]:
    """Pairs of records at most ``window - 1`` places apart when sorted by their key."""
    order = rank_order(rank)
    lefts, rights = [], []
    for k in range(1, max(window, 2)):
        if len(order) <= k:
            break
        a, b = order[:-k], order[k:]
        lefts.append(np.minimum(a, b))
        rights.append(np.maximum(a, b))
    if not lefts:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    return np.concatenate(lefts), np.concatenate(rights)


def _sorted_rank(cache: ColumnCache, parts: Sequence[str]) -> IntArray:
    """Rank of each record when sorted by its key parts (in order); -1 where a part is null."""
    ranks: list[IntArray] = []
    missing = np.zeros(cache.n, dtype=bool)
    for part in parts:
        codes, uniques = transformed(cache, part)
        order = np.empty(len(uniques), dtype=np.int64)
        order[_text_order(uniques)] = np.arange(len(uniques))
        rank = np.where(codes >= 0, order[np.maximum(codes, 0)] if len(order) else 0, -1)
        missing |= codes < 0
        ranks.append(rank.astype(np.int64))
    if not ranks:
        return np.full(cache.n, -1, dtype=np.int64)
    out = np.empty(cache.n, dtype=np.int64)
    out[np.lexsort(ranks[::-1])] = np.arange(cache.n)
    out[missing] = -1
    return out


def _text_order(values: npt.NDArray[np.object_]) -> npt.NDArray[np.intp]:
    """Stable sort order of distinct key values: strings by Arrow's kernel (UTF-8 byte order
    is code point order, Python's), three times faster than comparing Python strings."""
    if len(values) and isinstance(values[0], str):
        import pyarrow as pa
        import pyarrow.compute as pc

        try:
            text = pa.array(values, type=pa.string())
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            return np.argsort(values, kind="stable")
        return np.asarray(pc.sort_indices(text).to_numpy(), dtype=np.intp)
    return np.argsort(values, kind="stable")


def _capped_blocks(
    codes: IntArray,
    split: IntArray | None,
    key: BlockingKey,
    cap: int,
    report: BlockingReport,
    blocks: tuple[IntArray, IntArray, IntArray] | None = None,
) -> tuple[IntArray, IntArray, IntArray]:
    """Blocks of ``key`` (``codes`` per record; ``blocks``: their ``blocks_of`` where known)
    with oversized ones split by ``split_by`` (``split``: its codes per record) or skipped,
    and counted."""
    order, starts, sizes = blocks if blocks is not None else blocks_of(codes)
    big = sizes > cap
    if big.any() and split is not None:
        members = order[ranges(starts[big], sizes[big])]
        sub = split[members]
        refined = codes[members] * (int(sub.max(initial=0)) + 2) + sub
        refined, _ = pd.factorize(refined)
        refined = refined.astype(np.int64) + int(codes.max()) + 1
        refined[sub < 0] = -1
        codes = codes.copy()
        codes[members] = refined
        report.blocks_split[key.name] = int(big.sum())
        order, starts, sizes = blocks_of(codes)
        big = sizes > cap
    if big.any():
        report_skipped(report, key, sizes[big], cap)
        starts, sizes = starts[~big], sizes[~big]
    return order, starts, sizes


def report_skipped(
    report: BlockingReport, key: BlockingKey, skipped_sizes: IntArray, cap: int
) -> None:
    """Count the blocks of ``key`` skipped above ``cap`` (their sizes) and warn about them."""
    skipped = len(skipped_sizes)
    report.blocks_skipped[key.name] = skipped
    report.records_in_skipped_blocks[key.name] = int(skipped_sizes.sum())
    message = (
        f"blocking key {key.name!r}: {skipped} block(s) above the cap of {cap} records "
        f"(largest {int(skipped_sizes.max())}) were skipped; add a split_by key or raise "
        "block_cap (and pairs_per_record, where the budget lowered the cap)"
    )
    log.warning(message)
    report.warnings.append(message)


def pair_filter(
    records: pd.DataFrame, cache: ColumnCache, settings: MatchSettings
) -> Callable[[IntArray, IntArray], npt.NDArray[np.bool_]]:
    """Per pair (row positions): does the settings' mode allow it, and does it agree on every
    column of ``settings.require_equal`` (where both know it)? Every engine's one rule."""
    if "source" in records.columns:
        source, _ = pd.factorize(records["source"], use_na_sentinel=False)
    else:
        source = np.zeros(len(records), dtype=np.int64)
    required = [
        key_codes(cache, [column]) for column in settings.require_equal if column in records
    ]

    def allowed(left: IntArray, right: IntArray) -> npt.NDArray[np.bool_]:
        keep = np.ones(len(left), dtype=bool)
        if settings.mode != "dedupe_and_link":
            same = source[left] == source[right]
            keep &= ~same if settings.mode == "link_only" else same
        for codes in required:
            cl, cr = codes[left], codes[right]
            keep &= (cl < 0) | (cr < 0) | (cl == cr)
        return keep

    return allowed


def _filter(
    left: IntArray, right: IntArray, allowed: Callable[[IntArray, IntArray], npt.NDArray[np.bool_]]
) -> tuple[IntArray, IntArray]:
    """Keep the pairs ``allowed`` allows."""
    keep = allowed(left, right)
    if keep.all():
        return left, right
    return left[keep], right[keep]


def _key_codes(cache: ColumnCache, keys: Sequence[BlockingKey]) -> Codes:
    """Per block key its codes per record and its ``split_by`` codes (int32: half the memory
    while every key waits for its turn)."""
    out: Codes = {}
    for key in keys:
        if key.kind == "sorted_neighbourhood":
            continue
        own = key_codes(cache, key.parts).astype(np.int32)
        split = key_codes(cache, key.split_by).astype(np.int32) if key.split_by else None
        out[key.name] = (own, split)
    return out


@dataclass(frozen=True)
class YieldSample:
    """What setting caps by yield reads besides block sizes, as :func:`block` computes it.

    ``codes``: per block key (in key order) its codes per record, numbered by first appearance
    (``key_codes``), and its ``split_by`` codes; ``ranks``: per sorted-neighbourhood key each
    record's place in key order (-1: no key); ``allowed``: which pairs blocking keeps
    (:func:`pair_filter`); ``pair_yield``: match probabilities of sampled pairs. An engine
    that gives the same codes and ranks gets the same sample, hence the same caps.
    """

    codes: Codes
    ranks: dict[str, IntArray]
    allowed: Callable[[IntArray, IntArray], npt.NDArray[np.bool_]]
    pair_yield: PairYield
    # per block key its blocks (``blocks_of`` of its codes), filled by sampling for
    # :func:`block` to build the pairs from without sorting the records a second time
    blocks: dict[str, tuple[IntArray, IntArray, IntArray]] | None = None


def key_caps(
    blocks: Sequence[KeyBlocks],
    keys: Sequence[BlockingKey],
    n: int,
    settings: MatchSettings,
    report: BlockingReport,
    sample: Callable[[], YieldSample] | None,
) -> dict[str, int]:
    """Per key its cap (block keys) or window (sorted neighbourhood) within the pair budget.

    ``blocks`` are the block keys' block sizes, in key order. Where the budget binds and
    ``sample`` gives what sampling needs (asked for only then), each key climbs its own ladder
    by the expected matches per pair of each step (:mod:`dq.match.key_yield`); otherwise one
    cap is lowered for all block keys (:mod:`dq.match.budget`) and windows stay. Every
    engine's one rule: the Spark engine passes sizes and codes it computed in Spark.
    """
    cap = budget_for(blocks, keys, n, settings, report, warn=sample is None)
    fixed = {k.name: k.window for k in keys if k.kind == "sorted_neighbourhood"}
    block_names = [k.name for k in keys if k.kind != "sorted_neighbourhood"]
    if sample is None or cap >= settings.block_cap or report.budget is None:
        return {**dict.fromkeys(block_names, cap), **fixed}
    given = sample()
    codes, ranks = given.codes, given.ranks
    ladder = cap_ladder(settings.block_cap)
    longest = max([len(ladder), *(max(w, 2) - 1 for w in fixed.values())])
    rng = np.random.default_rng(settings.seed)
    names = [*codes, *ranks]
    sampled = []
    for name, (own, split) in codes.items():
        own64 = own.astype(np.int64)
        found = blocks_of(own64)
        if given.blocks is not None:
            given.blocks[name] = found
        split64 = None if split is None else split.astype(np.int64)
        sampled.append(band_pairs(own64, split64, ladder, YIELD_SAMPLE, rng, blocks=found))
    sampled += [window_pairs(ranks[k], fixed[k], YIELD_SAMPLE, rng) for k in ranks]
    pairs = np.zeros((len(names), longest), dtype=np.int64)
    for k, blocks_k in enumerate(blocks):
        row = [pairs_at_cap(blocks_k, c) for c in ladder]
        pairs[k] = row + row[-1:] * (longest - len(row))
    for k, name in enumerate(ranks, start=len(blocks)):
        ranked_n = int((ranks[name] >= 0).sum())
        row = np.cumsum([max(ranked_n - d, 0) for d in range(1, max(fixed[name], 2))]).tolist()
        pairs[k] = row + row[-1:] * (longest - len(row))
    left = np.concatenate([p[0] for p in sampled])
    right = np.concatenate([p[1] for p in sampled])
    keep = given.allowed(left, right)
    probability = np.zeros(len(left), dtype=np.float64)
    if keep.any():
        probability[keep] = given.pair_yield(left[keep], right[keep])
    yields = step_yields([step for _, _, step in sampled], probability, longest)
    reached, planned = ranked_steps(pairs, yields, report.budget)
    caps = {
        name: ladder[min(int(i), len(ladder) - 1)]
        for name, i in zip(codes, reached[: len(blocks)], strict=True)
    }
    windows = {
        name: min(int(i), fixed[name] - 2) + 2
        for name, i in zip(ranks, reached[len(blocks) :], strict=True)
    }
    report.key_caps = {**caps, **windows}
    report.key_yield = {
        name: round(float(np.nanmean(row[: int(i) + 1])), 4)
        for name, row, i in zip(names, yields, reached, strict=True)
        if not np.isnan(row[: int(i) + 1]).all()
    }
    report.cap_used = min(caps.values(), default=settings.block_cap)
    lowered = [
        f"{name} {'window ' if name in windows else ''}{value}"
        for name, value in report.key_caps.items()
        if value < (fixed[name] if name in windows else settings.block_cap)
    ]
    message = (
        f"the blocking keys would make about {report.pairs_estimated:,} candidate pairs, more "
        f"than the budget of {report.budget:,} ({settings.pairs_per_record:g} per record): "
        f"caps and windows were set per key by expected matches per pair ({planned:,} pairs "
        f"planned; lowered: {', '.join(lowered)})"
    )
    log.warning(message)
    report.warnings.append(message)
    return report.key_caps


def _fixed_pairs(keys: Sequence[BlockingKey], n: int) -> int:
    """Pairs the sorted-neighbourhood keys make whatever the cap."""
    return sum(n * (max(k.window, 2) - 1) for k in keys if k.kind == "sorted_neighbourhood")


def budget_for(
    blocks: Sequence[KeyBlocks],
    keys: Sequence[BlockingKey],
    n: int,
    settings: MatchSettings,
    report: BlockingReport,
    *,
    warn: bool = True,
) -> int:
    """The block cap for the block keys' ``blocks`` within the pair budget, reported (every
    engine's one rule: the Spark engine passes block sizes it counted in Spark)."""
    fixed = _fixed_pairs(keys, n)
    if settings.pairs_per_record is None:
        report.cap_used = settings.block_cap
        return settings.block_cap
    budget = max(int(settings.pairs_per_record * n), MIN_BUDGET)
    cap, estimate = budget_cap(blocks, fixed, budget, settings.block_cap)
    report.budget, report.pairs_estimated, report.cap_used = budget, estimate, cap
    if cap < settings.block_cap and warn:
        message = (
            f"the blocking keys would make about {estimate:,} candidate pairs, more than the "
            f"budget of {budget:,} ({settings.pairs_per_record:g} per record): blocks above "
            f"{cap} records (not {settings.block_cap}) were split or skipped"
        )
        log.warning(message)
        report.warnings.append(message)
    return cap


def block(
    records: pd.DataFrame,
    keys: Sequence[BlockingKey] | None = None,
    *,
    settings: MatchSettings | None = None,
    cache: ColumnCache | None = None,
    pair_yield: PairYield | None = None,
) -> CandidatePairs:
    """Candidate pairs of ``records`` from the union of ``keys`` (default: the shipped keys).

    Pairs within one ``source`` are dedupe pairs, pairs across sources link pairs; the settings'
    ``mode`` keeps both, only link pairs or only dedupe pairs. Pairs that differ in a column of
    ``settings.require_equal`` (party type by default) are dropped. Where the pair budget binds,
    ``pair_yield`` (match probabilities of sampled pairs) sets each key's cap by what its pairs
    are worth; without it one cap is lowered for all keys.
    """
    settings = settings or MatchSettings()
    keys = load_blocking_keys(settings.blocking) if keys is None else keys
    n = len(records)
    cache = cache if cache is not None else ColumnCache(records)
    report = BlockingReport(records=n)
    allowed = pair_filter(records, cache, settings)
    lefts: list[IntArray] = []
    rights: list[IntArray] = []
    largest: list[tuple[str, int]] = []
    codes = _key_codes(cache, keys)
    ranks = {
        key.name: _sorted_rank(cache, key.parts)
        for key in keys
        if key.kind == "sorted_neighbourhood"
    }
    # every key is coded: the transformed columns (a code per record and transform) are not
    # needed while the pairs are built, which is when blocking peaks
    cache.drop_derived()
    blocks = [
        KeyBlocks.of(own.astype(np.int64), None if split is None else split.astype(np.int64))
        for own, split in codes.values()
    ]
    sorted_blocks: dict[str, tuple[IntArray, IntArray, IntArray]] = {}
    sample = (
        None
        if pair_yield is None
        else partial(YieldSample, codes, ranks, allowed, pair_yield, sorted_blocks)
    )
    caps = key_caps(blocks, keys, n, settings, report, sample)
    del blocks
    for key in keys:
        if key.kind == "sorted_neighbourhood":
            left, right = _sorted_neighbourhood(ranks.pop(key.name), caps[key.name])
        else:
            own, split = codes.pop(key.name)
            order, starts, sizes = _capped_blocks(
                own.astype(np.int64),
                None if split is None else split.astype(np.int64),
                key,
                caps[key.name],
                report,
                sorted_blocks.pop(key.name, None),
            )
            top = np.sort(sizes)[-5:][::-1]
            largest.extend((key.name, int(s)) for s in top if s > 1)
            left, right = _pairs_within_blocks(order, starts, sizes)
        left, right = _filter(left, right, allowed)
        report.pairs_per_key[key.name] = len(left)
        lefts.append(left)
        rights.append(right)
    if lefts:
        code = np.concatenate(lefts) * np.int64(max(n, 1)) + np.concatenate(rights)
        del lefts, rights
        code.sort()
        code = code[np.r_[True, code[1:] != code[:-1]]] if len(code) else code
        left_all = (code // max(n, 1)).astype(np.int64)
        right_all = (code % max(n, 1)).astype(np.int64)
    else:
        left_all = right_all = np.zeros(0, dtype=np.int64)
    report.pairs = len(left_all)
    report.largest_blocks = sorted(largest, key=lambda item: -item[1])[:10]
    has = np.zeros(n, dtype=bool)
    has[left_all] = True
    has[right_all] = True
    report.share_without_candidate = float(1 - has.mean()) if n else 0.0
    return CandidatePairs(left=left_all, right=right_all, report=report)
