"""The HTTP API: the EPCIS 2.0 REST binding under /epcis and kiik's own API under /api, thin routes
that parse, authorise, call a service and shape the answer; errors mapped once.
"""
