"""Proceeds' tables and store."""
