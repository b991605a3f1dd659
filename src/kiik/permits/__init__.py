"""CITES permits: applications checked against rules and quotas, the ministry's decisions, the signed
permit with its PDF and QR code, endorsement at export by customs, verification, reports.
"""
