"""The demo registry: a cast of organisations and a season from the cull to a pharmacy shelf,
recorded through the real capture path, with deliberate irregularities that kiik flags.
"""
