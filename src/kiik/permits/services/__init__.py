"""Applying, assessing, deciding, signing, endorsing, verifying and reporting on permits."""
