"""Appending events to the log, verifying it against the stored events, and the signing keys."""
