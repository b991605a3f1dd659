"""The desk's pages: permits, quotas and species rules, the harvest desk, proceeds rules, the
reconciliation, the scientists' imports."""
