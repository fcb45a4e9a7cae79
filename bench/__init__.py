"""Benchmarks: each writes its figures into a marked section of docs/performance.md."""
