"""Benchmarks of SPEC §9 (`make bench`)."""
