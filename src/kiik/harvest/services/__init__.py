"""Issuing and reading authorisations, importing a field sheet once per idempotency key, and the
harvest rule at capture.
"""
