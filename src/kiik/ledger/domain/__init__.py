"""The Merkle tree, signed checkpoints and signed documents (JWS, EdDSA) in plain Python."""
