"""The permit lifecycle, its form and model, the automatic checks and export events, in plain Python."""
