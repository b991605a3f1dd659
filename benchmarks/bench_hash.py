"""Benchmark `kiik hash` against the reference Event Hash ID generator, and check they agree.

    .venv/bin/python benchmarks/bench_hash.py [--events 20000] [--reference-python PATH]

The reference generator (PyPI `epcis-event-hash-generator`) lives in its own throwaway venv,
never in kiik's:

    python3 -m venv /tmp/refhash-venv && /tmp/refhash-venv/bin/pip install epcis-event-hash-generator

Every tool runs as a subprocess on the same files: each document of the hash vectors, and a
generated document of N events, in JSON-LD and the same events in XML. Three programs are timed:
`kiik hash` as installed (its start-up imports every kiik command), the hash command alone
(`python -m kiik.cli.hash_command`), and the reference. Times are the CPU seconds (user + system)
of each process, start-up included: on a shared machine they vary far less than wall-clock time.
Hashes are compared document by document; where they differ the report says so (release 1.9.3
does not implement `ignoreFields`, which two of the vectors use).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[1]
VECTORS = ROOT.parent / "shared" / "reference" / "epcis" / "hash-vectors"
KZ = "https://kiik.kz/voc/"
CONTEXT = ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld", {"kz": KZ}]
SITES = [f"urn:epc:id:sgln:4870001.{n:05d}.0" for n in range(1, 40)]
PARTIES = [f"urn:epc:id:pgln:4870001.{n:05d}" for n in range(1, 20)]
POPULATIONS = ["Ural", "Betpakdala", "Ustyurt"]


def _horn(n: int) -> str:
    return f"urn:epc:id:sgtin:4870001.000001.{n}"


def _time(rng: random.Random) -> str:
    day = f"2025-{rng.randint(7, 11):02d}-{rng.randint(1, 28):02d}"
    clock = f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}"
    return f"{day}T{clock}.{rng.randint(0, 999):03d}+05:00"


def _marked(n: int, rng: random.Random) -> dict[str, Any]:
    return {
        "type": "ObjectEvent",
        "epcList": [_horn(n), _horn(n + 1)],
        "action": "ADD",
        "bizStep": "commissioning",
        "disposition": "active",
        "readPoint": {"id": rng.choice(SITES)},
        "ilmd": {
            "kz:species": "Saiga tatarica",
            "kz:population": rng.choice(POPULATIONS),
            "kz:harvestDate": f"2025-10-0{rng.randint(1, 9)}",
            "kz:animal": {"kz:sex": "male", "kz:tag": f"A-{n}"},
            "kz:massKg": str(round(rng.uniform(0.2, 0.5), 3)),
        },
    }


def _shipped(n: int, rng: random.Random) -> dict[str, Any]:
    return {
        "type": "ObjectEvent",
        "epcList": [_horn(n - 1), _horn(n - 2)],
        "action": "OBSERVE",
        "bizStep": "shipping",
        "disposition": "in_transit",
        "readPoint": {"id": rng.choice(SITES)},
        "bizTransactionList": [
            {"type": "desadv", "bizTransaction": f"urn:epcglobal:cbv:bt:4870001000004:D{n}"}
        ],
        "sourceList": [{"type": "owning_party", "source": rng.choice(PARTIES)}],
        "destinationList": [
            {"type": "owning_party", "destination": rng.choice(PARTIES)},
            {"type": "location", "destination": rng.choice(SITES)},
        ],
        "kz:vehicle": f"KZ {rng.randint(100, 999)} ABC 02",
    }


def _packed(n: int, rng: random.Random) -> dict[str, Any]:
    return {
        "type": "AggregationEvent",
        "parentID": f"urn:epc:id:sscc:4870001.{n:010d}",
        "childEPCs": [_horn(n - k) for k in range(2, 8)],
        "action": "ADD",
        "bizStep": "packing",
        "disposition": "in_progress",
        "readPoint": {"id": rng.choice(SITES), "kz:bench": str(rng.randint(1, 9))},
    }


def _processed(n: int, rng: random.Random) -> dict[str, Any]:
    lot = f"urn:epc:class:lgtin:4870001.000002.SH-{n}"
    return {
        "type": "TransformationEvent",
        "inputEPCList": [_horn(n - 3), _horn(n - 4)],
        "outputQuantityList": [{"epcClass": lot, "quantity": round(rng.uniform(0.1, 1.0), 3), "uom": "KGM"}],
        "bizStep": "commissioning",
        "disposition": "active",
        "readPoint": {"id": rng.choice(SITES)},
        "ilmd": {"kz:derivative": "shavings", "kz:yield": "0.92"},
    }


def _stored(n: int, rng: random.Random) -> dict[str, Any]:
    return {
        "type": "ObjectEvent",
        "epcList": [_horn(n - 5)],
        "action": "OBSERVE",
        "bizStep": "storing",
        "disposition": "active",
        "readPoint": {"id": rng.choice(SITES)},
        "sensorElementList": [
            {
                "sensorMetadata": {"time": _time(rng), "deviceID": "urn:epc:id:giai:4870001.T1"},
                "sensorReport": [
                    {"type": "Temperature", "value": round(rng.uniform(-5, 5), 1), "uom": "CEL"},
                    {"type": "RelativeHumidity", "value": rng.randint(30, 60), "uom": "P1"},
                ],
            }
        ],
    }


def generated_events(count: int, seed: int = 2025) -> list[dict[str, Any]]:
    """A season of a registry: horns marked, shipped, packed, processed and stored under sensors."""
    rng = random.Random(seed)
    kinds = (_marked, _shipped, _packed, _processed, _stored)
    events = []
    for n in range(count):
        body = kinds[n % len(kinds)](n, rng)
        head = {"type": body.pop("type"), "eventTime": _time(rng), "eventTimeZoneOffset": "+05:00"}
        events.append({**head, **body})
    return events


_URNS = {"bizStep": "urn:epcglobal:cbv:bizstep:", "disposition": "urn:epcglobal:cbv:disp:"}
_TYPE_URNS = {
    "bizTransaction": "urn:epcglobal:cbv:btt:",
    "source": "urn:epcglobal:cbv:sdt:",
    "destination": "urn:epcglobal:cbv:sdt:",
}


def _element(key: str, value: Any) -> str:
    if isinstance(value, dict):
        return f"<{key}>" + "".join(_element(k, v) for k, v in value.items()) + f"</{key}>"
    return f"<{key}>{escape(str(value))}</{key}>"


def _sensor_element(element: dict[str, Any]) -> str:
    metadata = " ".join(f'{k}="{v}"' for k, v in element["sensorMetadata"].items())
    reports = ""
    for report in element["sensorReport"]:
        attributes = " ".join(f'{k}="{"gs1:" + v if k == "type" else v}"' for k, v in report.items())
        reports += f"<sensorReport {attributes}/>"
    return f"<sensorElement><sensorMetadata {metadata}/>{reports}</sensorElement>"


def event_xml(event: dict[str, Any]) -> str:
    """The XML form of a generated event (only what `generated_events` uses), in XSD order."""
    parts = []
    for key, value in event.items():
        if key == "type":
            continue
        if key in ("epcList", "childEPCs", "inputEPCList"):
            parts.append(f"<{key}>" + "".join(f"<epc>{v}</epc>" for v in value) + f"</{key}>")
        elif key == "outputQuantityList":
            parts.append(f"<{key}>" + "".join(_element("quantityElement", q) for q in value) + f"</{key}>")
        elif key in _URNS:
            parts.append(f"<{key}>{_URNS[key]}{value}</{key}>")
        elif key in ("bizTransactionList", "sourceList", "destinationList"):
            name = key[: -len("List")]
            items = "".join(f'<{name} type="{_TYPE_URNS[name]}{v["type"]}">{v[name]}</{name}>' for v in value)
            parts.append(f"<{key}>{items}</{key}>")
        elif key == "sensorElementList":
            parts.append(f"<{key}>" + "".join(_sensor_element(e) for e in value) + f"</{key}>")
        else:
            parts.append(_element(key, value))
    return f"<{event['type']}>" + "".join(parts) + f"</{event['type']}>"


def write_documents(folder: Path, events: list[dict[str, Any]]) -> tuple[Path, Path]:
    json_path = folder / f"generated-{len(events)}.jsonld"
    document = {
        "@context": CONTEXT,
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "2025-11-30T12:00:00Z",
        "epcisBody": {"eventList": events},
    }
    json_path.write_text(json.dumps(document))
    xml_path = folder / f"generated-{len(events)}.xml"
    with xml_path.open("w") as out:
        out.write(
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" '
            f'xmlns:kz="{KZ}" xmlns:gs1="https://gs1.org/voc/" schemaVersion="2.0" '
            'creationDate="2025-11-30T12:00:00Z"><EPCISBody><EventList>'
        )
        for event in events:
            out.write(event_xml(event))
        out.write("</EventList></EPCISBody></epcis:EPCISDocument>\n")
    return json_path, xml_path


def run(command: list[str]) -> tuple[list[str], float, str]:
    """Hashes printed, CPU seconds used (user + system: robust to a busy machine), problem if any."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    elapsed = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    hashes = [line.strip() for line in completed.stdout.splitlines() if line.startswith("ni:///")]
    problem = "" if completed.returncode == 0 else (completed.stderr.strip().splitlines() or ["failed"])[-1]
    return hashes, elapsed, problem


def _verdict(mine: list[str], theirs: list[str], problem: str) -> str:
    if problem:
        return f"reference failed: {problem}"
    if mine == theirs:
        return "identical"
    differing = sum(a != b for a, b in zip(mine, theirs, strict=False)) + abs(len(mine) - len(theirs))
    return f"DIFFER ({differing} of {len(mine)})"


def main() -> int:
    parser = argparse.ArgumentParser(description="Benchmark kiik hash against the reference generator.")
    parser.add_argument("--events", type=int, default=20_000, help="events in the generated documents")
    parser.add_argument("--reference-python", default="/tmp/refhash-venv/bin/python")
    args = parser.parse_args()
    kiik = [sys.executable, "-m", "kiik.cli.main", "hash"]
    alone = [sys.executable, "-m", "kiik.cli.hash_command"]
    reference = [args.reference_python, "-m", "epcis_event_hash_generator", "-l", "ERROR"]
    has_reference = Path(args.reference_python).exists()
    if not has_reference:
        print(
            f"reference generator not found at {args.reference_python}; create it with\n"
            "  python3 -m venv /tmp/refhash-venv\n"
            "  /tmp/refhash-venv/bin/pip install epcis-event-hash-generator\n"
            "Timing kiik alone.\n"
        )
    documents = sorted(p for p in VECTORS.rglob("*") if p.suffix in (".json", ".jsonld", ".xml"))
    with tempfile.TemporaryDirectory() as folder:
        generated = write_documents(Path(folder), generated_events(args.events))
        header = f"{'document':62} {'events':>6} {'kiik':>7} {'alone':>7} {'ref':>7} {'ratio':>6}  hashes"
        print(header + "\n" + "-" * len(header))
        figures: dict[Path, tuple[int, float, float, float]] = {}
        for document in [*documents, *generated]:
            mine, kiik_seconds, kiik_problem = run([*kiik, str(document)])
            _, alone_seconds, _ = run([*alone, str(document)])
            theirs, ref_seconds, ref_problem = (
                run([*reference, str(document)]) if has_reference else ([], 0.0, "")
            )
            if kiik_problem:
                verdict = f"kiik failed: {kiik_problem}"
            else:
                verdict = _verdict(mine, theirs, ref_problem) if has_reference else "-"
            ratio = f"{ref_seconds / kiik_seconds:6.1f}" if has_reference else "     -"
            name = document.name if document in generated else str(document.relative_to(VECTORS))
            seconds = f"{kiik_seconds:7.2f} {alone_seconds:7.2f} {ref_seconds:7.2f}"
            print(f"{name:62} {len(mine):>6} {seconds} {ratio}  {verdict}")
            figures[document] = (len(mine), kiik_seconds, alone_seconds, ref_seconds)
        same = run([*alone, str(generated[0])])[0] == run([*alone, str(generated[1])])[0]
        agreement = "the same" if same else "DIFFERENT"
        print(f"\nkiik gives the generated JSON-LD and XML documents {agreement} hashes")
        print("\nevents per CPU second on the generated documents (start-up included):")
        for document in generated:
            count, kiik_seconds, alone_seconds, ref_seconds = figures[document]
            line = f"  {document.suffix:7} kiik hash {count / kiik_seconds:8,.0f}"
            line += f"   hash command alone {count / alone_seconds:8,.0f}"
            if has_reference:
                line += (
                    f"   reference {count / ref_seconds:6,.0f}"
                    f"   -> {ref_seconds / kiik_seconds:.1f}x / {ref_seconds / alone_seconds:.1f}x faster"
                )
            print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
