"""What every capability's storage stands on: the one MetaData, the engine for a URL, bulk writes,
and the unit of work as services see it (the concrete one is assembled in `kiik.bootstrap`).
"""
