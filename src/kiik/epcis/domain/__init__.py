"""The standard's rules in plain Python: GS1 keys, EPC URIs and Digital Links, event facts,
the CBV vocabulary and kiik's own words, Event Hash IDs, and event builders.
"""
