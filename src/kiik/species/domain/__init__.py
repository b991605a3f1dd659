"""Taxa, dated rules, penalty estimates and quotas in plain Python; the register's starting content."""
