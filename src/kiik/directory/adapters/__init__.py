"""Tables and the store of organisations, sites and API tokens."""
