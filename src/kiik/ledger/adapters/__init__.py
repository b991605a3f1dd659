"""The log's tables and store, and the signing keys kept in the database."""
