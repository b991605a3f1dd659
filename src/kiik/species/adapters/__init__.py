"""The register's and the quotas' tables and stores."""
