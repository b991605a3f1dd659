"""The custody rules in plain Python: item state and its ledger, shipping, receiving, processing
with mass balance, packing, stock counts, and where an item's mass comes from.
"""
