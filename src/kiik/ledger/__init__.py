"""The tamper-evident log: a Merkle tree over every captured event (RFC 9162), signed checkpoints
and proofs, and the registry's Ed25519 signing keys.
"""
