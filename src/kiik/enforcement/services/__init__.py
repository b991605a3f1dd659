"""Enforcement's use cases, each (unit of work, actor, command) -> result."""
