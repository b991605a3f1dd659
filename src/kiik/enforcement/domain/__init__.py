"""Enforcement's rules in plain Python: seizures, matching, alerts, cases, rehabilitation, analytics."""
