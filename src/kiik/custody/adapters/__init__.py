"""Custody's tables and stores: events and identifiers (append-only), the item projection, jobs,
read access as SQL, the event query, lineage statements, stock.
"""
