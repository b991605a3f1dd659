"""The ministry's dashboard and the lists behind its figures, kept until the next capture."""
