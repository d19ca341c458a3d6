"""Benchmark of the matching engine (``python -m bench``)."""
