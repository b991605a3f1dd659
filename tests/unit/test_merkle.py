"""The Merkle log against RFC 9162 §2.1: roots, inclusion and consistency proofs, and corrupted
proofs that must fail. Expected roots and proofs are computed here straight from the RFC's recursive
definitions (MTH, PATH, PROOF over leaf lists), independently of the stored-node algorithms."""

from __future__ import annotations

import hashlib

import pytest

from kiik.ledger.domain import merkle


def mth(leaves: list[bytes]) -> bytes:
    """RFC 9162 §2.1.1, literally."""
    n = len(leaves)
    if n == 0:
        return hashlib.sha256(b"").digest()
    if n == 1:
        return hashlib.sha256(b"\x00" + leaves[0]).digest()
    k = 1
    while k * 2 < n:
        k *= 2
    return hashlib.sha256(b"\x01" + mth(leaves[:k]) + mth(leaves[k:])).digest()


def path(m: int, leaves: list[bytes]) -> list[bytes]:
    n = len(leaves)
    if n == 1:
        return []
    k = 1
    while k * 2 < n:
        k *= 2
    if m < k:
        return path(m, leaves[:k]) + [mth(leaves[k:])]
    return path(m - k, leaves[k:]) + [mth(leaves[:k])]


def subproof(m: int, leaves: list[bytes], whole: bool) -> list[bytes]:
    n = len(leaves)
    if m == n:
        return [] if whole else [mth(leaves)]
    k = 1
    while k * 2 < n:
        k *= 2
    if m <= k:
        return subproof(m, leaves[:k], whole) + [mth(leaves[k:])]
    return subproof(m - k, leaves[k:], False) + [mth(leaves[:k])]


# The eight leaves of the RFC 6962 / 9162 test tree used by the CT reference implementations.
RFC_LEAVES = [
    b"",
    b"\x00",
    b"\x10",
    b"\x20\x21",
    b"\x30\x31",
    b"\x40\x41\x42\x43",
    b"\x50\x51\x52\x53\x54\x55\x56\x57",
    b"\x60\x61\x62\x63\x64\x65\x66\x67\x68\x69\x6a\x6b\x6c\x6d\x6e\x6f",
]
# Published roots of that tree (certificate-transparency-go merkle tests), for sizes 1..8.
RFC_ROOTS = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]


class Tree:
    """Stored nodes as the adapter keeps them, built with `merkle.append` in uneven batches."""

    def __init__(self, leaves: list[bytes], batch: int = 3) -> None:
        self.nodes: dict[tuple[int, int], bytes] = {}
        size = 0
        for start in range(0, len(leaves), batch):
            edge = [merkle.Node(lv, ix, self.nodes[(lv, ix)]) for lv, ix in merkle.frontier(size)]
            chunk = leaves[start : start + batch]
            for node in merkle.append(size, edge, chunk):
                self.nodes[(node.level, node.index)] = node.hash
            size += len(chunk)

    def node(self, level: int, index: int) -> bytes:
        return self.nodes[(level, index)]


def leaves(n: int) -> list[bytes]:
    return [f"ni:///sha-256;{i:064x}?ver=CBV2.0".encode() for i in range(n)]


def test_the_rfc_test_tree_has_the_published_roots() -> None:
    for size in range(1, 9):
        assert mth(RFC_LEAVES[:size]).hex() == RFC_ROOTS[size - 1]
        assert merkle.root_of_leaves(RFC_LEAVES[:size]).hex() == RFC_ROOTS[size - 1]
        assert merkle.root(size, Tree(RFC_LEAVES[:size]).node).hex() == RFC_ROOTS[size - 1]


def test_empty_tree_is_the_hash_of_nothing() -> None:
    assert merkle.root_of_leaves([]) == hashlib.sha256(b"").digest()


@pytest.mark.parametrize("batch", [1, 2, 5, 64])
def test_stored_nodes_give_every_root_and_proof_the_rfc_defines(batch: int) -> None:
    data = leaves(37)
    tree = Tree(data, batch)
    for n in range(1, 38):
        assert merkle.root(n, tree.node) == mth(data[:n])
        for m in range(n):
            proof = merkle.inclusion_proof(m, n, tree.node)
            assert proof == path(m, data[:n])
            assert merkle.verify_inclusion(data[m], m, n, proof, mth(data[:n]))
        for old in range(1, n + 1):
            proof = merkle.consistency_proof(old, n, tree.node)
            assert proof == subproof(old, data[:n], True)
            assert merkle.verify_consistency(old, n, mth(data[:old]), mth(data[:n]), proof)


def test_corrupted_inclusion_proofs_fail() -> None:
    data = leaves(13)
    tree = Tree(data)
    root = mth(data)
    proof = merkle.inclusion_proof(5, 13, tree.node)
    assert merkle.verify_inclusion(data[5], 5, 13, proof, root)
    flipped = [bytes([proof[0][0] ^ 1]) + proof[0][1:], *proof[1:]]
    assert not merkle.verify_inclusion(data[5], 5, 13, flipped, root)  # a changed sibling
    assert not merkle.verify_inclusion(data[6], 5, 13, proof, root)  # another leaf
    assert not merkle.verify_inclusion(data[5], 4, 13, proof, root)  # another position
    assert not merkle.verify_inclusion(data[5], 5, 17, proof, root)  # another size
    assert not merkle.verify_inclusion(data[5], 5, 13, proof[:-1], root)  # cut short
    assert not merkle.verify_inclusion(data[5], 5, 13, [*proof, proof[0]], root)  # padded
    assert not merkle.verify_inclusion(data[5], 5, 13, proof, mth(data[:12]))  # another root
    assert not merkle.verify_inclusion(data[5], 13, 13, proof, root)  # outside the tree


def test_corrupted_consistency_proofs_fail() -> None:
    data = leaves(21)
    tree = Tree(data)
    old_root, new_root = mth(data[:6]), mth(data)
    proof = merkle.consistency_proof(6, 21, tree.node)
    assert merkle.verify_consistency(6, 21, old_root, new_root, proof)
    for i in range(len(proof)):
        bad = list(proof)
        bad[i] = hashlib.sha256(bad[i]).digest()
        assert not merkle.verify_consistency(6, 21, old_root, new_root, bad)
    assert not merkle.verify_consistency(6, 21, old_root, new_root, proof[:-1])
    assert not merkle.verify_consistency(6, 21, old_root, new_root, [])
    assert not merkle.verify_consistency(7, 21, old_root, new_root, proof)
    assert not merkle.verify_consistency(6, 21, mth(data[:5]), new_root, proof)
    # A log that rewrote leaf 2 cannot prove it extends what the partner saw before.
    rewritten = list(data)
    rewritten[2] = b"edited"
    forged = Tree(rewritten)
    forged_proof = merkle.consistency_proof(6, 21, forged.node)
    assert not merkle.verify_consistency(6, 21, old_root, mth(rewritten), forged_proof)


def test_proofs_outside_the_tree_are_refused_with_a_reason() -> None:
    tree = Tree(leaves(4))
    with pytest.raises(merkle.ProofError, match="not in a tree of 4"):
        merkle.inclusion_proof(4, 4, tree.node)
    with pytest.raises(merkle.ProofError, match="0 < from <= to"):
        merkle.consistency_proof(5, 4, tree.node)


def test_frontier_is_the_binary_decomposition() -> None:
    assert merkle.frontier(13) == [(3, 0), (2, 2), (0, 12)]
    assert merkle.frontier(0) == []


def test_root_builder_gives_the_root_of_every_prefix() -> None:
    data = leaves(40)
    builder = merkle.RootBuilder()
    for n, leaf in enumerate(data, start=1):
        builder.add(leaf)
        assert builder.root() == mth(data[:n])
