"""Harvest tables and their store: authorisations, harvested horns, accepted field sheets."""
