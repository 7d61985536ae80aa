"""The matching core at scale: blocking, comparisons, EM and scoring on generated German records.

Input: the output of ``benchmarks/generate_customers.py`` (raw canonical records with ``true_id``).
Records are standardised with ``dq.standardize.standardize_records`` when that module exists;
until then a crude stand-in (fold, strip legal form, split house number) is used so that the
timing of the matching core can be measured — accuracy figures are meaningful only with the real
standardiser. Pairwise precision/recall/F1 are computed from ``true_id``.

    nice -n 10 /work/venv/bin/python benchmarks/generate_customers.py --n 1000000 --seed 1 \
        -o benchmarks/data/customers_1m.parquet
    nice -n 10 /work/venv/bin/python benchmarks/bench_match_core.py \
        benchmarks/data/customers_1m.parquet
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dq.match.score import score_pairs
from dq.match.settings import MatchSettings

_LEGAL = (
    r"\s*,?\s*(gmbh & co\.? kg|gmbh|g\.m\.b\.h\.|gesellschaft mit beschränkter haftung|mbh|"
    r"ug \(haftungsbeschränkt\)|ag|e\.k\.|kg|ohg|e\.v\.|se)$"
)
_FOLD = {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"}


def _per_distinct(values: pd.Series, func) -> pd.Series:  # type: ignore[no-untyped-def]
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    done = func(pd.Series(uniques, dtype="string")).to_numpy(dtype=object)
    out = np.full(len(values), None, dtype=object)
    out[codes >= 0] = done[codes[codes >= 0]]
    return pd.Series(out, index=values.index, dtype="string")


def _fold(s: pd.Series) -> pd.Series:
    s = s.str.lower()
    for a, b in _FOLD.items():
        s = s.str.replace(a, b, regex=False)
    return s.str.replace(r"[^a-z0-9&@.+\- ]+", " ", regex=True).str.split().str.join(" ")


def crude_standardise(raw: pd.DataFrame) -> pd.DataFrame:
    """A stand-in for dq.standardize (timing only): folded names, legal form, house numbers."""
    out = raw.copy()
    name = _per_distinct(raw["company_name"], lambda s: s.str.lower())
    out["legal_form"] = _per_distinct(name, lambda s: s.str.extract(_LEGAL, expand=False))
    out["name_core"] = _per_distinct(
        name,
        lambda s: _fold(s.str.replace(_LEGAL, "", regex=True)).str.replace(r"[.&]", "", regex=True),
    )
    street = _per_distinct(
        raw["street"], lambda s: _fold(s.str.replace(r"str\.", "strasse", regex=True))
    )
    number = _per_distinct(street, lambda s: s.str.extract(r"(\d+\s*[a-z]?)$", expand=False))
    out["house_number"] = raw["house_number"].fillna(number).astype("string").str.replace(" ", "")
    out["street"] = _per_distinct(
        street, lambda s: s.str.replace(r"\s*\d+\s*[a-z]?$", "", regex=True)
    )
    out["city"] = _per_distinct(
        raw["city"], lambda s: _fold(s.str.split(r"[(/]| a\.| am | an | im ").str[0])
    )
    out["first_name"] = _per_distinct(raw["first_name"], _fold)
    out["last_name"] = _per_distinct(raw["last_name"], _fold)
    out["email"] = _per_distinct(raw["email"], lambda s: s.str.lower().str.strip())
    out["phone"] = _per_distinct(
        raw["phone"],
        lambda s: s.str.replace(r"\D", "", regex=True).str.replace(r"^(0049|49|0)", "", regex=True),
    )
    site = raw["website"].fillna(raw["email"].str.split("@").str[1])
    out["domain"] = _per_distinct(
        site,
        lambda s: (
            s.str.lower()
            .str.replace(r"^(https?://)?(www\.)?", "", regex=True)
            .str.split("/")
            .str[0]
        ),
    )
    freemail = out["domain"].isin(
        [
            "gmail.com",
            "web.de",
            "gmx.de",
            "gmx.net",
            "t-online.de",
            "yahoo.de",
            "outlook.de",
            "hotmail.com",
            "posteo.de",
            "freenet.de",
            "icloud.com",
            "aol.com",
        ]
    )
    out["domain"] = out["domain"].mask(freemail)
    out["vat_id"] = _per_distinct(raw["vat_id"], lambda s: s.str.upper().str.replace(" ", ""))
    out["iban"] = _per_distinct(raw["iban"], lambda s: s.str.upper().str.replace(" ", ""))
    return out


def standardise(raw: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    try:
        from dq.standardize import standardize_records  # type: ignore[attr-defined]
    except ImportError:
        return crude_standardise(raw), "crude stand-in"
    result = standardize_records(raw)
    frame = result[0] if isinstance(result, tuple) else getattr(result, "records", result)
    return frame, "dq.standardize"


def pairwise(pairs: pd.DataFrame, truth: np.ndarray) -> tuple[float, float, float]:
    matched = pairs[pairs["band"] == "match"]
    same = truth[matched["left_pos"].to_numpy()] == truth[matched["right_pos"].to_numpy()]
    _, counts = np.unique(truth, return_counts=True)
    true_pairs = int((counts * (counts - 1) // 2).sum())
    tp = int(same.sum())
    p = tp / max(len(matched), 1)
    r = tp / max(true_pairs, 1)
    return p, r, 2 * p * r / max(p + r, 1e-12)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("input", type=Path)
    parser.add_argument("--n", type=int, default=None, help="use only the first N records")
    parser.add_argument("--standardised", action="store_true", help="input is already standardised")
    parser.add_argument(
        "--ecm",
        action="store_true",
        help="also run recordlinkage's Compare + ECMClassifier on the same candidate pairs",
    )
    parser.add_argument("--profile", action="store_true", help="profile with pyinstrument")
    args = parser.parse_args()
    raw = pd.read_parquet(args.input)
    if args.n:
        raw = raw.iloc[: args.n].reset_index(drop=True)
    start = time.perf_counter()
    records, how = (raw, "input") if args.standardised else standardise(raw)
    del raw
    prep = time.perf_counter() - start
    truth = pd.factorize(records["true_id"])[0]
    records = records.drop(columns=["true_id"])
    profiler = None
    if args.profile:
        from pyinstrument import Profiler

        profiler = Profiler()
        profiler.start()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter()
    cpu = time.process_time()
    scored = score_pairs(records, settings=MatchSettings())
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu
    if profiler is not None:
        profiler.stop()
        print(profiler.output_text(unicode=True, color=False, show_all=False))
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    p, r, f = pairwise(scored.pairs, truth)
    report = scored.blocking
    print(
        f"{len(records):,} records, standardised by {how} in {prep:.1f}s; "
        f"peak RSS before matching {rss_before:,.0f} MB"
    )
    print(
        f"matching core: {elapsed:.1f}s wall, {cpu:.1f}s CPU (all threads), "
        f"peak RSS {rss:,.0f} MB; " + ", ".join(f"{k} {v:.1f}s" for k, v in scored.timings.items())
    )
    print(
        f"candidates {scored.candidates:,}, kept {len(scored.pairs):,}; no candidate "
        f"{report.share_without_candidate:.3f}; per key {report.pairs_per_key}"
    )
    print(
        f"largest blocks {report.largest_blocks[:3]}, split {report.blocks_split}, "
        f"skipped {report.blocks_skipped}"
    )
    if report.warnings:
        print("warnings: " + "; ".join(report.warnings))
    print(
        f"EM: {scored.model.iterations} iterations, {scored.model.patterns:,} patterns, "
        f"prior {scored.model.prior:.4f}"
    )
    print(f"pairwise precision {p:.4f} recall {r:.4f} F1 {f:.4f} (band == match)")
    if args.ecm:
        ecm(records, truth)


def ecm(records: pd.DataFrame, truth: np.ndarray) -> None:
    """recordlinkage's ECM on dq's candidate pairs, with binary features like its docs use."""
    import recordlinkage

    from dq.match.blocking import block

    cand = block(records, settings=MatchSettings())
    frame = records.reset_index(drop=True)
    start = time.perf_counter()
    cpu = time.process_time()
    index = pd.MultiIndex.from_arrays([cand.left, cand.right])
    comp = recordlinkage.Compare(n_jobs=1)
    comp.string("name_core", "name_core", method="jarowinkler", threshold=0.9, label="name")
    comp.string("last_name", "last_name", method="jarowinkler", threshold=0.9, label="last")
    comp.string("first_name", "first_name", method="jarowinkler", threshold=0.9, label="first")
    comp.string("street", "street", method="jarowinkler", threshold=0.9, label="street")
    for col in ("legal_form", "house_number", "postcode", "city", "phone", "email", "domain"):
        comp.exact(col, col, label=col)
    for col in ("vat_id", "register_number", "iban"):
        comp.exact(col, col, label=col)
    features = comp.compute(index, frame)
    compared = time.perf_counter() - start
    matches = recordlinkage.ECMClassifier(binarize=None).fit_predict(features)
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu
    left = matches.get_level_values(0).to_numpy()
    right = matches.get_level_values(1).to_numpy()
    same = truth[left] == truth[right]
    _, counts = np.unique(truth, return_counts=True)
    true_pairs = int((counts * (counts - 1) // 2).sum())
    p = same.sum() / max(len(left), 1)
    r = same.sum() / max(true_pairs, 1)
    f = 2 * p * r / max(p + r, 1e-12)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"recordlinkage ECM on the same {len(cand):,} pairs: compare {compared:.1f}s, "
        f"total {elapsed:.1f}s wall, {cpu:.1f}s CPU, peak RSS {rss:,.0f} MB; "
        f"precision {p:.4f} recall {r:.4f} F1 {f:.4f}"
    )


if __name__ == "__main__":
    main()
