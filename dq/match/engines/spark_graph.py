"""Connected components in Spark by alternating large-star and small-star (Kiveris et al.,
"Connected Components in MapReduce and Beyond", SoCC 2014): no graph library, no extra jar.

Edges are (u, v) pairs of record positions. Large-star links every larger neighbour of a node
to the smallest node of its neighbourhood, small-star links every smaller neighbour (and the
node) to the smallest one; repeated until an iteration changes no edge, every edge points from
a node to the smallest node of its component.
"""

from __future__ import annotations

from typing import Any

__all__ = ["large_star", "small_star", "spark_components"]


def large_star(edges: Any) -> Any:
    """For every node u with m = min(u, neighbours): an edge (v, m) for each neighbour v > u."""
    from pyspark.sql import functions as F

    both = edges.select("u", "v").unionByName(
        edges.select(F.col("v").alias("u"), F.col("u").alias("v"))
    )
    both = both.distinct()
    smallest = both.groupBy("u").agg(F.least(F.col("u"), F.min("v")).alias("m"))
    return (
        both.where(F.col("v") > F.col("u"))
        .join(smallest, on="u")
        .select(F.col("v").alias("u"), F.col("m").alias("v"))
        .distinct()
    )


def small_star(edges: Any) -> Any:
    """For every node u with its smaller neighbours N and m = min(u, N): an edge (w, m) for
    each w in N ∪ {u} other than m."""
    from pyspark.sql import functions as F

    down = edges.select(F.greatest("u", "v").alias("u"), F.least("u", "v").alias("v")).where(
        F.col("u") != F.col("v")
    )
    down = down.distinct()
    smallest = down.groupBy("u").agg(F.min("v").alias("m"))
    linked = down.join(smallest, on="u")
    members = linked.select(F.col("v").alias("w"), "m").unionByName(
        smallest.select(F.col("u").alias("w"), "m")
    )
    return (
        members.where(F.col("w") != F.col("m"))
        .select(F.col("w").alias("u"), F.col("m").alias("v"))
        .distinct()
    )


def spark_components(edges: Any, max_rounds: int = 100) -> Any:
    """(node, label) for every node of ``edges`` (columns u, v): label = smallest node of its
    component. Nodes without an edge do not appear; the caller labels them by themselves."""
    from pyspark.sql import functions as F

    current = edges.select("u", "v").localCheckpoint()
    for _ in range(max_rounds):
        following = small_star(large_star(current)).localCheckpoint()
        changed = following.exceptAll(current).count() + current.exceptAll(following).count()
        current = following
        if changed == 0:
            break
    else:
        raise RuntimeError(f"connected components did not converge in {max_rounds} rounds")
    nodes = current.select("u", "v").unionByName(current.select(F.col("v").alias("u"), "v"))
    return nodes.groupBy("u").agg(F.min("v").alias("label")).withColumnRenamed("u", "node")
