"""Partner tables and store, what reconciliation reads in bulk, and HTTP to a partner registry."""
