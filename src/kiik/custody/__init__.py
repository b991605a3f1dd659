"""The chain of custody: capture of events (whole documents or nothing), items and their state,
custody rules, corrections, event queries, lineage with mass shares, stock and stock counts.
"""
