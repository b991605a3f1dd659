"""Authorisations, places on the ground, the population ranges, field sheets and harvest events,
in plain Python.
"""
