"""Monitoring's use cases: record census and plans, import and export camera-trap packages, analyse."""
