"""Enforcement: seizures matched against the registry, leak alerts and their review, seized goods
under custody, live animals in rehabilitation, cases under Article 339, market inspections, analytics."""
