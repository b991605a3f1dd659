"""Every Event Hash ID test vector in ../shared/reference/epcis/hash-vectors, line by line.

`examples/X.hashes` and `examples/X.prehashes` hold the expected hash and pre-hash string of each
event of `X.jsonld` and/or `X.xml`, in document order; every file in `expected_equal/` must give a
single hash for all its events. Documents are read as `kiik hash` reads them (streamed).

Two pre-hash lines in the vectors contradict their own `.hashes` line (sha256 of the line is not
the listed hash: `epcisDocWithAllGS1Keys` line 1 is garbled, `epcisDocWithDefaultSchemaInContext`
line 2 is cut short); the generator that wrote them computes the listed hash. Where a vector
contradicts itself like that, the hash is the expectation and the pre-hash line is not compared.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from kiik.cli.hash_command import document_events
from kiik.epcis.domain.event_hash import hash_id_of_prehash, prehash_string

EPCIS_REFERENCE = Path(__file__).resolve().parents[2].parent / "shared" / "reference" / "epcis"
VECTORS = EPCIS_REFERENCE / "hash-vectors"
DOCUMENT_SUFFIXES = (".json", ".jsonld", ".xml")


def _documents(folder: str) -> list[Path]:
    return sorted(p for p in (VECTORS / folder).glob("*") if p.suffix in DOCUMENT_SUFFIXES)


def _ids(paths: list[Path]) -> list[str]:
    return [p.name for p in paths]


# Collected when the module is imported: a missing folder gives an empty list, which the first
# test below turns into a failure rather than a silent skip.
EXAMPLES = _documents("examples") if VECTORS.is_dir() else []
EQUAL = _documents("expected_equal") if VECTORS.is_dir() else []


def _lines(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line]


def _prehashes(document: Path) -> list[str]:
    with document.open("rb") as stream:
        return [prehash_string(e, ns, ignore_fields=ignored) for e, ns, ignored in document_events(stream)]


def _sha(prehash: str) -> str:
    return f"ni:///sha-256;{hashlib.sha256(prehash.encode()).hexdigest()}?ver=CBV2.0"


def test_the_reference_vectors_are_present() -> None:
    assert VECTORS.is_dir(), (
        f"hash vectors missing: expected {VECTORS} (the shared folder beside the repository)"
    )
    assert EXAMPLES, f"no example documents in {VECTORS / 'examples'}"
    assert EQUAL, f"no documents in {VECTORS / 'expected_equal'}"


def test_every_expectation_file_has_a_document_or_is_known_to_have_none() -> None:
    """An expectation without its input cannot be checked; the one such file is listed here."""
    stems_with_documents = {p.stem for p in EXAMPLES}
    orphans = {
        p.name
        for p in (VECTORS / "examples").glob("*")
        if p.suffix in (".hashes", ".prehashes") and p.stem not in stems_with_documents
    }
    assert orphans <= {"epcisDocHavingTooManyUserExtensions.prehashes"}


@pytest.mark.parametrize("document", EXAMPLES, ids=_ids(EXAMPLES))
def test_hashes_match(document: Path) -> None:
    expected_file = document.with_suffix(".hashes")
    prehashes = _prehashes(document)
    assert prehashes, f"{document.name} gave no events"
    if not expected_file.exists():
        assert document.with_suffix(".prehashes").exists(), f"{document.name} has no expectation file"
        return
    assert [hash_id_of_prehash(p) for p in prehashes] == _lines(expected_file)


@pytest.mark.parametrize("document", EXAMPLES, ids=_ids(EXAMPLES))
def test_prehashes_match(document: Path) -> None:
    expected_file = document.with_suffix(".prehashes")
    if not expected_file.exists():
        assert document.with_suffix(".hashes").exists(), f"{document.name} has no expectation file"
        return
    expected = _lines(expected_file)
    hashes_file = document.with_suffix(".hashes")
    listed = _lines(hashes_file) if hashes_file.exists() else []
    actual = _prehashes(document)
    assert len(actual) == len(expected)
    for index, (mine, theirs) in enumerate(zip(actual, expected, strict=True)):
        if index < len(listed) and _sha(theirs) != listed[index]:
            # The vector contradicts itself: its hash is the expectation (checked above).
            assert _sha(mine) == listed[index]
            continue
        assert mine == theirs, f"event {index + 1} of {document.name}"


@pytest.mark.parametrize("document", EQUAL, ids=_ids(EQUAL))
def test_expected_equal_documents_give_one_hash(document: Path) -> None:
    hashes = {hash_id_of_prehash(p) for p in _prehashes(document)}
    assert len(hashes) == 1, f"{document.name}: {len(hashes)} different hashes"


def test_json_and_xml_twins_give_the_same_hashes() -> None:
    twins = [p for p in EXAMPLES if p.suffix == ".xml" and p.with_suffix(".jsonld").exists()]
    assert len(twins) >= 3
    for xml in twins:
        assert _prehashes(xml) == _prehashes(xml.with_suffix(".jsonld")), xml.name
