"""Monitoring's tables and stores, and the Camtrap DP reader and writer (frictionless)."""
