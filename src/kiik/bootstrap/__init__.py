"""The composition root: every capability's stores in one unit of work, the whole schema for
Alembic, capture's rules in order, and the registry built at start-up (never at import).
"""
