"""Harvest under authorisations: the ministry's authorisations (population area, window, animals),
the harvest team's field sheet, and the rule that every commissioning falls inside its authorisation.
"""
