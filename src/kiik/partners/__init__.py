"""The exchange with partner registries: signed export notices, arrivals, import confirmations and
onward processing through an outbox and an inbox, and reconciliation per permit and period.
"""
