"""Custody's use cases: capture and capture jobs, error declarations, event queries, lineage and
origins, stock and stock counts, and the rule protocol other capabilities plug into capture.
"""
