"""EPCIS documents in and out: JSON/JSON-LD and XML streamed, checked against the 2.0.1 JSON Schema
and the XSDs, read ahead in a worker process; scanned element strings.
"""
