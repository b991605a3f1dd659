"""Partner messages, import events and reconciliation of a consignment, in plain Python."""
