"""The evaluation suite: independent generators, peers and metrics (see benchmarks/README.md)."""
