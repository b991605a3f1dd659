"""Proceeds' rules, plain Python: fee rules, allocation rules, journal entries that balance."""
