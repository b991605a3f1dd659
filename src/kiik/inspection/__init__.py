"""An item as an inspector or a buyer asks about it: its trace (state, history, lineage), a verdict
with every reason to doubt it (flags), the harvest sites, and the forward trace from an animal.
"""
