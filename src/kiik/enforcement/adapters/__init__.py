"""Enforcement's tables, stores and file writers."""
