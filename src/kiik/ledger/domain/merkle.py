"""The registry's Merkle log, as RFC 9162 (Certificate Transparency 2.0) §2.1 defines it.

Leaves are the Event Hash IDs of captured events, in capture order. A leaf hashes as
SHA-256(0x00 || leaf) and an interior node as SHA-256(0x01 || left || right), so that no leaf can
pass for a node. The tree over n leaves splits at k, the largest power of two smaller than n.

Storage keeps every *perfect* subtree: node (level, index) covers the leaves
[index * 2**level, (index + 1) * 2**level). Any subtree the RFC's algorithms need is either one of
those or splits into a few of them, so roots and proofs of a tree of a million leaves read a few
hundred stored hashes at most. The algorithms take a `NodeSource` (level, index) -> hash.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

NodeSource = Callable[[int, int], bytes]


class ProofError(Exception):
    """A proof or tree size that cannot be answered or does not verify; says which and why."""


def leaf_hash(leaf: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + leaf).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def event_leaf(hash_id: str) -> bytes:
    """The leaf of an event: its Event Hash ID as UTF-8 (`ni:///sha-256;...?ver=CBV2.0`)."""
    return hash_id.encode("utf-8")


def _split(n: int) -> int:
    """The largest power of two smaller than n (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


def root_of_leaves(leaves: Sequence[bytes]) -> bytes:
    """MTH(D[n]) computed from the leaf data alone (RFC 9162 §2.1.1), for checking and tests."""
    return _root_of_hashes([leaf_hash(leaf) for leaf in leaves])


def _root_of_hashes(hashes: Sequence[bytes]) -> bytes:
    if not hashes:
        return hashlib.sha256(b"").digest()
    level = list(hashes)
    # Pairing left to right and carrying an odd last node up gives the RFC's split at k.
    while len(level) > 1:
        paired = [node_hash(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            paired.append(level[-1])
        level = paired
    return level[0]


def subtree(start: int, end: int, node: NodeSource) -> bytes:
    """MTH(D[start:end]) from stored perfect subtrees; `start` is aligned as the RFC's splits are."""
    size = end - start
    if size <= 0:
        return hashlib.sha256(b"").digest()
    if size & (size - 1) == 0 and start % size == 0:
        return node(size.bit_length() - 1, start // size)
    k = _split(size)
    return node_hash(subtree(start, start + k, node), subtree(start + k, end, node))


def root(size: int, node: NodeSource) -> bytes:
    return subtree(0, size, node)


def inclusion_proof(index: int, size: int, node: NodeSource) -> list[bytes]:
    """PATH(m, D[n]) (RFC 9162 §2.1.3.1), leaf-side first."""
    if not 0 <= index < size:
        raise ProofError(f"leaf {index} is not in a tree of {size} leaves: ask for a size above {index}")
    return _path(index, 0, size, node)


def _path(m: int, start: int, end: int, node: NodeSource) -> list[bytes]:
    n = end - start
    if n == 1:
        return []
    k = _split(n)
    if m < k:
        return _path(m, start, start + k, node) + [subtree(start + k, end, node)]
    return _path(m - k, start + k, end, node) + [subtree(start, start + k, node)]


def verify_inclusion(
    leaf: bytes, index: int, size: int, proof: Sequence[bytes], expected_root: bytes
) -> bool:
    """RFC 9162 §2.1.3.2: True when the proof leads from the leaf to the root."""
    if index >= size or index < 0:
        return False
    fn, sn = index, size - 1
    r = leaf_hash(leaf)
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn & 1 == 0 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == expected_root


def consistency_proof(old: int, new: int, node: NodeSource) -> list[bytes]:
    """PROOF(m, D[n]) (RFC 9162 §2.1.4.1)."""
    if not 0 < old <= new:
        raise ProofError(f"no consistency proof from {old} to {new} leaves: ask for 0 < from <= to")
    if old == new:
        return []
    return _subproof(old, 0, new, True, node)


def _subproof(m: int, start: int, end: int, whole: bool, node: NodeSource) -> list[bytes]:
    n = end - start
    if m == n:
        return [] if whole else [subtree(start, end, node)]
    k = _split(n)
    if m <= k:
        return _subproof(m, start, start + k, whole, node) + [subtree(start + k, end, node)]
    return _subproof(m - k, start + k, end, False, node) + [subtree(start, start + k, node)]


def verify_consistency(old: int, new: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]) -> bool:
    """RFC 9162 §2.1.4.2: True when the tree of `new` leaves extends the tree of `old` leaves."""
    if old == new:
        return not proof and old_root == new_root
    if not 0 < old < new or not proof:
        return False
    path = list(proof)
    if old & (old - 1) == 0:  # old is a power of two: its root is the first node of the path
        path.insert(0, old_root)
    fn, sn = old - 1, new - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while fn & 1 == 0 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == old_root and sr == new_root


@dataclass(frozen=True)
class Node:
    level: int
    index: int
    hash: bytes


def frontier(size: int) -> list[tuple[int, int]]:
    """The perfect subtrees that make up a tree of `size` leaves, left to right, as (level, index)."""
    found: list[tuple[int, int]] = []
    start = 0
    for level in range(size.bit_length() - 1, -1, -1):
        if size & (1 << level):
            found.append((level, start >> level))
            start += 1 << level
    return found


def append(size: int, edge: Sequence[Node], leaves: Sequence[bytes]) -> list[Node]:
    """The nodes to store when `leaves` are appended to a tree of `size` leaves whose frontier
    (see `frontier`) is `edge`: each leaf's hash and every perfect subtree completed by it."""
    stack = list(edge)
    made: list[Node] = []
    for offset, leaf in enumerate(leaves):
        position = size + offset
        current = Node(0, position, leaf_hash(leaf))
        made.append(current)
        while stack and stack[-1].level == current.level:
            left = stack.pop()
            current = Node(current.level + 1, left.index // 2, node_hash(left.hash, current.hash))
            made.append(current)
        stack.append(current)
    return made


class RootBuilder:
    """Roots of a growing tree from its leaves alone, keeping only the frontier (O(log n) memory)."""

    def __init__(self) -> None:
        self.size = 0
        self.edge: list[Node] = []

    def add(self, leaf: bytes) -> None:
        current = Node(0, self.size, leaf_hash(leaf))
        while self.edge and self.edge[-1].level == current.level:
            left = self.edge.pop()
            current = Node(current.level + 1, left.index // 2, node_hash(left.hash, current.hash))
        self.edge.append(current)
        self.size += 1

    def root(self) -> bytes:
        if not self.edge:
            return hashlib.sha256(b"").digest()
        current = self.edge[-1].hash
        for node in reversed(self.edge[:-1]):
            current = node_hash(node.hash, current)
        return current
