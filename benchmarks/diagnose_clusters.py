"""Why clusters are wrong: false splits and false merges with the comparison levels of their pairs.

Runs ``dq.match.match_records`` on standardised generated records (``bench_match.py
--standardise-only`` writes them) and compares the clusters with ``true_id``. A true customer is
*split* when its records land in several clusters, a predicted cluster *mixed* when it holds
records of several customers. For each kind it prints, per party type, the most frequent
comparison patterns of the deciding pair: for a mixed cluster its strongest link between two
customers, for a split customer its strongest pair across the split (or "no candidate pair").
With ``--show N`` it prints N example clusters of each kind (personal data of generated records).

    PYTHONPATH=. nice -n 10 /work/venv/bin/python benchmarks/diagnose_clusters.py \\
        benchmarks/data/customers_100k_std.parquet --show 3
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PATTERN = ["name_core", "legal_form", "person_name", "address", "phone", "mobile", "email"]
PATTERN += ["domain", "hard_rule"]
SHOWN = ["true_id", "source", "company_name", "legal_form", "first_name", "last_name", "street"]
SHOWN += ["postcode", "city", "phone", "mobile", "email", "domain", "vat_id", "iban"]


def load(path: Path) -> pd.DataFrame:
    """Standardised records without audit copies, text as Arrow-backed strings."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from dq.match.run import matching_columns

    names = [*matching_columns(pq.read_schema(path).names), "true_id"]
    table = pq.read_table(path, columns=names)
    return table.to_pandas(types_mapper={pa.string(): pd.StringDtype("pyarrow")}.get)


def labelled_pairs(pairs: pd.DataFrame, comparisons: list) -> pd.DataFrame:  # type: ignore[type-arg]
    """Scored pairs with each comparison's level as its label."""
    out = pairs[["left_pos", "right_pos", "band", "match_weight"]].copy()
    out["hard_rule"] = pairs["hard_rule"].astype("string").fillna("")
    for comp in comparisons:
        codes = pairs[f"{comp.name}__level"].to_numpy(dtype=np.int64)
        out[comp.name] = np.asarray(comp.labels(), dtype=object)[codes]
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("standardised", type=Path, help="standardised records with true_id")
    parser.add_argument("--show", type=int, default=0, help="example clusters of each kind")
    parser.add_argument("--top", type=int, default=12, help="patterns per table")
    args = parser.parse_args(argv)

    from dq.match import evaluate, match_records
    from dq.match.settings import MatchSettings

    records = load(args.standardised)
    truth = records["true_id"].to_numpy(dtype=object)
    result = match_records(
        records.drop(columns=["true_id"]), settings=MatchSettings(keep_non_matches=True)
    )
    metrics = evaluate(result.crosswalk, records.set_index("record_id")["true_id"])
    print(f"cluster F1 {metrics.cluster_f1:.4f}, pairwise F1 {metrics.pairwise_f1:.4f}")

    golden = result.crosswalk.set_index("record_id")["golden_id"].astype(str)
    pred = golden.reindex(records["record_id"].astype(str)).to_numpy(dtype=object)
    frame = pd.DataFrame({"t": truth, "p": pred, "party": records["party_type"].astype(str)})
    customers_per_cluster = frame.groupby("p")["t"].nunique()
    clusters_per_customer = frame.groupby("t")["p"].nunique()
    mixed = set(customers_per_cluster.index[customers_per_cluster.to_numpy() > 1])
    split = set(clusters_per_customer.index[clusters_per_customer.to_numpy() > 1])

    pairs = labelled_pairs(result.pairs, result.model.comparisons)
    left, right = pairs["left_pos"].to_numpy(), pairs["right_pos"].to_numpy()
    pairs["party"] = frame["party"].to_numpy()[left]
    pairs["same_true"] = truth[left] == truth[right]
    pairs["same_pred"] = pred[left] == pred[right]
    by_weight = pairs.assign(p=pred[left], t=truth[left]).sort_values(
        "match_weight", ascending=False
    )
    merges = by_weight[by_weight["same_pred"] & ~by_weight["same_true"]].drop_duplicates("p")
    splits = by_weight[by_weight["same_true"] & ~by_weight["same_pred"]].drop_duplicates("t")
    for kind, deciding, groups, key in (
        ("mixed clusters", merges, mixed, "p"),
        ("split customers", splits, split, "t"),
    ):
        parties = frame.drop_duplicates(key).set_index(key)["party"]
        print(f"\n== {kind}: {len(groups):,}")
        for party in ("company", "person"):
            total = int((parties.reindex(list(groups)) == party).sum())
            rows = deciding[deciding["party"] == party]
            print(f"-- {party}: {total:,} ({total - len(rows):,} without a candidate pair)")
            table = rows.groupby(PATTERN, observed=True).size().sort_values(ascending=False)
            print(table.head(args.top).to_string())
        if args.show:
            rng = np.random.default_rng(0)
            picks = rng.choice(sorted(groups), size=min(args.show, len(groups)), replace=False)
            column = frame["p"] if key == "p" else frame["t"]
            shown = [c for c in SHOWN if c in records.columns]
            for value in picks:
                print(records.loc[(column == value).to_numpy(), shown].to_string(index=False))
                print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
