"""Partner registries, the outbox and its delivery, the inbox, notices applied, the partner's
products and history in a trace, checks of a partner's log, reconciliation.
"""
