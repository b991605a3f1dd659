"""Proceeds to conservation: the fees that legal sales, exports and culls owe the state, by dated rules,
in a double-entry ledger in tenge, allocated to protection, habitat and research."""
