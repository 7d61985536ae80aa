"""The tools under test, each run alone in its own process on one canonical-records file.

``python -m benchmarks.suite.peers TOOL INPUT PREFIX`` reads INPUT (Parquet/CSV of canonical
records; the truth column is dropped before the tool sees the data), runs TOOL and writes
``PREFIX.npz`` (cluster label per input row; candidate pairs as row positions where the tool
exposes them) and ``PREFIX.json`` (timings, counts, settings, ``ru_maxrss``).

- ``dq``: ``dq.standardize_records`` then ``dq.match_records`` (public API, default settings;
  ``keep_non_matches`` up to 200,000 records for the blocking recall); clusters = its golden
  records.
- ``splink`` (DuckDB): the blocking rules and comparisons below, trained as Splink's tutorial
  does (λ from deterministic rules, u by random sampling, m by EM on a few blocking rules),
  pairs with match probability ≥ 0.5, clusters = connected components of those pairs.
- ``recordlinkage``: the same blocking keys plus a sorted neighbourhood (window 5) on company
  name + last + first name, binary features (Jaro–Winkler ≥ 0.85 for text, exact otherwise),
  ``ECMClassifier``, clusters = connected components of its matches.

The peers read the same ``light_clean`` columns: lower case, punctuation stripped, whitespace
collapsed, digits only for phones; nothing DACH-specific (no legal forms, no phone parsing).
Each party type gets its own peer model (``_per_party_type``); for contact persons who carry
their employer's name the employer's address is left out (``model_fields``). A blocking key or
comparison is used only where its columns are filled in at least 1 % of the rows.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from benchmarks.suite.metrics import clusters_from_pairs

TRUTH_COLUMNS = ("entity_id", "company_entity_id", "defects", "noise")
MATCH_PROBABILITY = 0.5
# dq keeps every scored pair (for blocking recall) only up to this many records; above it the
# extra pairs would change dq's own memory figure.
DQ_KEEP_PAIRS_UP_TO = 200_000
# above this many records each Splink EM session samples at most SPLINK_EM_PAIRS pairs
SPLINK_EM_CAP_FROM = 200_000
SPLINK_EM_PAIRS = 2e6

TEXT_FIELDS = ("name", "first_name", "last_name", "street", "city")
EXACT_FIELDS = (
    "postcode",
    "phone",
    "mobile",
    "email",
    "vat_id",
    "iban",
    "tax_number",
    "birth_date",
)
# blocking keys shared by both peers (all parts must be present)
BLOCKING_KEYS: list[tuple[str, ...]] = [
    ("postcode", "name_pfx"),
    ("name",),
    ("phone",),
    ("mobile",),
    ("email",),
    ("vat_id",),
    ("iban",),
    ("tax_number",),
    ("last_name", "first_name", "name_pfx"),
    ("last_name", "first_name", "postcode"),
    ("last_name", "postcode"),
    ("first_name", "postcode"),
]


def _clean_text(s: pd.Series) -> pd.Series:
    s = s.astype("string").str.lower()
    s = s.str.replace(r"[^\w\s]", " ", regex=True).str.replace(r"\s+", " ", regex=True)
    s = s.str.strip()
    return s.where(s != "")


def _digits(s: pd.Series) -> pd.Series:
    d = s.astype("string").str.replace(r"\D", "", regex=True)
    return d.where(d != "")


def light_clean(records: pd.DataFrame) -> pd.DataFrame:
    """The one cleaning both peers get: lower-case, no punctuation, digits-only phones."""

    def col(name: str) -> pd.Series:
        if name in records:
            return records[name]
        return pd.Series(pd.NA, index=records.index, dtype="string")

    street = col("street").astype("string").fillna("")
    house = col("house_number").astype("string").fillna("")
    out = pd.DataFrame(index=records.index)
    out["unique_id"] = np.arange(len(records))
    out["name"] = _clean_text(col("company_name"))
    out["first_name"] = _clean_text(col("first_name"))
    out["last_name"] = _clean_text(col("last_name"))
    out["street"] = _clean_text(street + " " + house)
    out["postcode"] = _clean_text(col("postcode")).str.replace(" ", "", regex=False)
    out["city"] = _clean_text(col("city"))
    out["phone"] = _digits(col("phone"))
    out["mobile"] = _digits(col("mobile"))
    out["email"] = col("email").astype("string").str.lower().str.strip()
    out["email"] = out["email"].where(out["email"] != "")
    out["vat_id"] = _clean_text(col("vat_id")).str.replace(" ", "", regex=False)
    out["iban"] = _clean_text(col("iban")).str.replace(" ", "", regex=False)
    out["tax_number"] = _clean_text(col("tax_number")).str.replace(" ", "", regex=False)
    out["birth_date"] = _digits(col("birth_date"))
    out["party_type"] = _clean_text(col("party_type"))
    key = out["name"].fillna(out["last_name"])
    out["name_pfx"] = key.str.replace(" ", "", regex=False).str.slice(0, 4)
    out["sort_key"] = (
        out["name"].fillna("")
        + " "
        + out["last_name"].fillna("")
        + " "
        + out["first_name"].fillna("")
    ).str.strip()
    return out.reset_index(drop=True)


# ---------------------------------------------------------------------------------------- dq
def run_dq(load: Callable[[], pd.DataFrame]) -> dict[str, Any]:
    import dq
    from dq.match.settings import MatchSettings

    timings: dict[str, float] = {}
    records = load()
    ids = pd.Index(records["record_id"])  # Arrow strings: no Python object per record
    start = time.perf_counter()
    std = dq.standardize_records(records).records
    # as dq's own reader does (dq.match.files.read_records): only the standardised frame lives on
    del records
    timings["standardise"] = time.perf_counter() - start
    keep = len(ids) <= DQ_KEEP_PAIRS_UP_TO
    start = time.perf_counter()
    result = dq.match_records(std, settings=MatchSettings(keep_non_matches=keep))
    timings["match"] = time.perf_counter() - start
    position = pd.Series(np.arange(len(ids)), index=ids)
    golden = result.crosswalk.set_index("record_id")["golden_id"]
    labels = pd.factorize(golden.reindex(ids).to_numpy())[0]
    out: dict[str, Any] = {
        "labels": labels,
        "candidates": int(result.blocking.pairs),
        "timings": timings,
        "settings": {
            "keep_non_matches": keep,
            "dq_timings": result.timings,
            # which pair classes had a model of their own (EM per class) and their priors
            "pair_classes": {
                name: {"pairs": c.pairs, "source": c.source, "prior": round(c.prior, 4)}
                for name, c in result.model.classes.items()
            },
        },
    }
    if keep:
        pairs = result.pairs
        out["left"] = position.reindex(pairs["left_id"].to_numpy()).to_numpy(np.int64)
        out["right"] = position.reindex(pairs["right_id"].to_numpy()).to_numpy(np.int64)
        out["scored_pairs"] = len(pairs)
    return out


# ------------------------------------------------------------------------------------ Splink
def _present(clean: pd.DataFrame, columns: tuple[str, ...]) -> bool:
    """A key or comparison is used only when its columns are filled in at least 1 % of rows."""
    return all(clean[c].notna().mean() >= 0.01 for c in columns)


def blocking_keys(clean: pd.DataFrame) -> list[tuple[str, ...]]:
    """The keys this dataset can use; pairs must agree on party_type where it is given
    (a company record and a contact person are never candidates, as in dq)."""
    same_type = ("party_type",) if clean["party_type"].nunique() > 1 else ()
    return [(*k, *same_type) for k in BLOCKING_KEYS if _present(clean, k)]


_SPLINK_TEXT = {
    "name": [0.95, 0.88],
    "first_name": [0.92, 0.8],
    "last_name": [0.92, 0.8],
    "street": [0.92, 0.8],
    "city": [0.9],
}
_TF = ("name", "last_name")
# deterministic rules for the prior (λ), and the blocking rules EM trains on
_DETERMINISTIC = [
    ("vat_id",),
    ("email",),
    ("iban",),
    ("tax_number",),
    ("first_name", "last_name", "postcode"),
]
_EM_RULES = [
    ("first_name", "last_name"),
    ("email",),
    ("mobile",),
    ("postcode", "name_pfx"),
    ("phone",),
]


_EMPLOYER_FIELDS = ("street", "city", "postcode")


def model_fields(clean: pd.DataFrame) -> tuple[list[str], list[str]]:
    """Text and exact comparisons for one party type: the fields it has. Contact persons who
    carry their employer's name share the employer's address with every colleague, so for
    them the address says which company, not which person, and is left out."""
    employees = (
        clean["party_type"].eq("person").any()
        and _present(clean, ("name",))
        and _present(clean, ("first_name", "last_name"))
    )
    skip = set(_EMPLOYER_FIELDS) if employees else set()
    text = [f for f in TEXT_FIELDS if f not in skip and _present(clean, (f,))]
    exact = [
        f
        for f in EXACT_FIELDS
        if f not in skip and _present(clean, (f,)) and clean[f].nunique() > 1
    ]
    return text, exact


def splink_settings(clean: pd.DataFrame) -> Any:
    """Settings for the columns this dataset has (see the module docstring)."""
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    text, exact = model_fields(clean)
    comparisons: list[Any] = []
    for field in text:
        comp = cl.JaroWinklerAtThresholds(field, _SPLINK_TEXT[field])
        comparisons.append(comp.configure(term_frequency_adjustments=field in _TF))
    comparisons += [cl.ExactMatch(field) for field in exact]
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        blocking_rules_to_generate_predictions=[block_on(*k) for k in blocking_keys(clean)],
        comparisons=comparisons,
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=False,
    )


def _splink_scores(clean: pd.DataFrame, timings: dict[str, float]) -> dict[str, Any]:
    """Train and predict on one party type; pairs as positions in ``clean``."""
    import duckdb
    from splink import DuckDBAPI, Linker, block_on

    start = time.perf_counter()
    con = duckdb.connect()
    con.execute("SET threads TO 2")
    linker = Linker(
        DuckDBAPI(connection=con).register(clean), splink_settings(clean), log_level=None
    )
    train = linker.training
    train.estimate_probability_two_random_records_match(
        [block_on(*k) for k in _DETERMINISTIC if _present(clean, k)], recall=0.7
    )
    train.estimate_u_using_random_sampling(max_pairs=1e7, seed=1)
    em_pairs = SPLINK_EM_PAIRS if len(clean) > SPLINK_EM_CAP_FROM else None
    # EM sessions as in Splink's tutorials: each blocking rule leaves its own columns
    # untrained, so rules are taken in order until every comparison was trained once
    text, exact = model_fields(clean)
    untrained = {*text, *exact}
    em_used: list[tuple[str, ...]] = []
    em_failed: list[str] = []
    for rule in _EM_RULES:
        if not untrained or not _present(clean, rule) or not untrained - set(rule):
            continue
        try:
            train.estimate_parameters_using_expectation_maximisation(
                block_on(*rule), estimate_without_term_frequencies=True, max_pairs=em_pairs
            )
        except ValueError as exc:  # Splink 5 stops when EM drives an m value to 0
            em_failed.append(f"{rule}: {str(exc)[:60]}")
            continue
        em_used.append(rule)
        untrained &= set(rule)
    timings["train"] = timings.get("train", 0.0) + time.perf_counter() - start
    start = time.perf_counter()
    table = linker.inference.predict().physical_name
    pairs = con.execute(
        f"select unique_id_l, unique_id_r, match_probability from {table}"
    ).fetchnumpy()
    con.close()
    timings["predict"] = timings.get("predict", 0.0) + time.perf_counter() - start
    return {
        "left": np.asarray(pairs["unique_id_l"], dtype=np.int64),
        "right": np.asarray(pairs["unique_id_r"], dtype=np.int64),
        "match": np.asarray(pairs["match_probability"], dtype=float) >= MATCH_PROBABILITY,
        "settings": {
            "blocking": blocking_keys(clean),
            "em_rules": em_used,
            "em_failed": em_failed,
            "untrained": sorted(untrained),
        },
    }


def run_splink(load: Callable[[], pd.DataFrame]) -> dict[str, Any]:
    return _per_party_type(load, _splink_scores)


# ----------------------------------------------------------------------------- recordlinkage
def _block(frame: pd.DataFrame, key: tuple[str, ...]) -> np.ndarray:
    import recordlinkage

    sub = frame.dropna(subset=list(key))
    if len(sub) < 2:
        return np.zeros((0, 2), dtype=np.int64)
    pairs = recordlinkage.index.Block(list(key)).index(sub)
    return np.column_stack([pairs.get_level_values(0), pairs.get_level_values(1)])


def candidate_pairs_rl(clean: pd.DataFrame) -> np.ndarray:
    """Union of the blocking keys and a sorted neighbourhood (window 5) on the name."""
    import recordlinkage

    parts = [_block(clean, key) for key in blocking_keys(clean)]
    sub = clean[clean["sort_key"] != ""]
    same_type = ["party_type"] if clean["party_type"].nunique() > 1 else None
    sn = recordlinkage.index.SortedNeighbourhood("sort_key", window=5, block_on=same_type).index(
        sub
    )
    parts.append(np.column_stack([sn.get_level_values(0), sn.get_level_values(1)]))
    allp = np.vstack(parts).astype(np.int64)
    lo, hi = np.minimum(allp[:, 0], allp[:, 1]), np.maximum(allp[:, 0], allp[:, 1])
    keep = lo != hi
    code = np.unique(lo[keep] * len(clean) + hi[keep])
    return np.column_stack([code // len(clean), code % len(clean)])


def _rl_scores(clean: pd.DataFrame, timings: dict[str, float]) -> dict[str, Any]:
    """Index, compare and classify one party type; pairs as positions in ``clean``."""
    import recordlinkage

    start = time.perf_counter()
    pairs = candidate_pairs_rl(clean)
    timings["index"] = timings.get("index", 0.0) + time.perf_counter() - start
    start = time.perf_counter()
    index = pd.MultiIndex.from_arrays([pairs[:, 0], pairs[:, 1]])
    compare = recordlinkage.Compare(n_jobs=2)
    text, exact = model_fields(clean)
    for field in text:
        compare.string(field, field, method="jarowinkler", threshold=0.85, label=field)
    for field in exact:
        compare.exact(field, field, label=field)
    features = compare.compute(index, clean.drop(columns=["sort_key"]))
    timings["compare"] = timings.get("compare", 0.0) + time.perf_counter() - start
    start = time.perf_counter()
    found = recordlinkage.ECMClassifier(binarize=None).fit_predict(features)
    timings["classify"] = timings.get("classify", 0.0) + time.perf_counter() - start
    code = pairs[:, 0] * len(clean) + pairs[:, 1]
    lo = np.minimum(found.get_level_values(0), found.get_level_values(1)).to_numpy(np.int64)
    hi = np.maximum(found.get_level_values(0), found.get_level_values(1)).to_numpy(np.int64)
    return {
        "left": pairs[:, 0],
        "right": pairs[:, 1],
        "match": np.isin(code, lo * len(clean) + hi),
        "settings": {"blocking": blocking_keys(clean), "sorted_neighbourhood": "window 5"},
    }


def run_recordlinkage(load: Callable[[], pd.DataFrame]) -> dict[str, Any]:
    return _per_party_type(load, _rl_scores)


def _per_party_type(
    load: Callable[[], pd.DataFrame],
    scorer: Callable[[pd.DataFrame, dict[str, float]], dict[str, Any]],
) -> dict[str, Any]:
    """One model per party type (companies and persons are never the same party, as in dq),
    clusters = connected components of all predicted pairs. Only the cleaned frame lives on."""
    timings: dict[str, float] = {}
    records = load()
    start = time.perf_counter()
    clean = light_clean(records)
    del records
    timings["clean"] = time.perf_counter() - start
    kinds = clean["party_type"].fillna("")
    lefts, rights, matches, settings = [], [], [], {}
    for kind, positions in kinds.groupby(kinds, sort=True).indices.items():
        if len(positions) < 2:
            continue
        part = clean.iloc[positions].reset_index(drop=True)
        part["unique_id"] = np.arange(len(part))
        out = scorer(part, timings)
        lefts.append(positions[out["left"]])
        rights.append(positions[out["right"]])
        matches.append(out["match"])
        settings[kind or "(none)"] = out["settings"]
    left = np.concatenate(lefts) if lefts else np.zeros(0, np.int64)
    right = np.concatenate(rights) if rights else np.zeros(0, np.int64)
    match = np.concatenate(matches) if matches else np.zeros(0, bool)
    start = time.perf_counter()
    labels = clusters_from_pairs(len(clean), left[match], right[match])
    timings["cluster"] = time.perf_counter() - start
    return {
        "labels": labels,
        "left": left,
        "right": right,
        "candidates": len(left),
        "predicted_pairs": int(match.sum()),
        "timings": timings,
        "settings": {"threshold": MATCH_PROBABILITY, "per_party_type": settings},
    }


TOOLS = {"dq": run_dq, "splink": run_splink, "recordlinkage": run_recordlinkage}


def read_records(path: Path, tool: str = "") -> pd.DataFrame:
    """The input as the tool's user would read it: dq with its own reader (text as Arrow
    strings, as its connectors produce it), the peers with pandas."""
    if tool == "dq" and path.suffix == ".parquet":
        from dq.tables import read_table

        frame = read_table(path, arrow_text=True)
    elif path.suffix == ".parquet":
        frame = pd.read_parquet(path)
    else:
        frame = pd.read_csv(path, dtype="string", keep_default_na=False, na_values=[""])
    return frame.drop(columns=[c for c in TRUTH_COLUMNS if c in frame])


def main(argv: list[str]) -> None:
    tool, source, prefix = argv[0], Path(argv[1]), Path(argv[2])
    start = time.perf_counter()
    load_seconds: list[float] = []

    def load() -> pd.DataFrame:
        # the tool holds the only reference to its input, and frees it when it is done with it
        frame = read_records(source, tool)
        load_seconds.append(time.perf_counter() - start)
        return frame

    out = TOOLS[tool](load)
    wall = time.perf_counter() - start
    load = load_seconds[0]
    arrays = {k: np.asarray(out.pop(k)) for k in ("labels", "left", "right") if k in out}
    np.savez(Path(f"{prefix}.npz"), **arrays)
    self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    child_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    out["timings"] = {"load": load, **out["timings"]}
    out.update(wall=wall, maxrss_mb=self_kb / 1024, children_maxrss_mb=child_kb / 1024)
    Path(f"{prefix}.json").write_text(json.dumps(out, default=str, indent=1))


if __name__ == "__main__":
    main(sys.argv[1:])
