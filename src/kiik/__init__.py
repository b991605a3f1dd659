"""kiik: the national registry that makes legal wildlife trade traceable and illegal trade visible.

One package per capability; docs/architecture.md maps them and the order they depend in.
"""
