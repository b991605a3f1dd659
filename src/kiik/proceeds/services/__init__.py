"""Proceeds' use cases: rules, the fee at capture, corrections, the report."""
