"""Monitoring's rules in plain Python: census surveys, offtake plans, detection events and alerts."""
