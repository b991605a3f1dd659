"""Documents opened for capture: only event documents (EPCISDocument, EPCISQueryDocument) qualify.

Master data, capture-job documents or bare events are valid EPCIS artefacts but hold no events to
capture; they are reported as a document problem instead of "capturing" nothing.

A large document given by its path or as bytes is read ahead by a worker process
(`capture_pipeline`); a small one, or a stream, is read in this process, where starting a worker
would cost more than it saves.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO

from kiik.epcis.adapters.capture_pipeline import ReadAheadReader, worker_waiting
from kiik.epcis.adapters.reader import EVENT_DOCUMENT_KINDS, EpcisReader, open_document

# About 1,500 events of a typical size; below it, reading in-process is as fast as starting a
# worker. A worker already waiting takes documents from READ_AHEAD_WARM_BYTES (a shipment of a few
# thousand horns, whose identifiers cost more to read than their bytes suggest).
READ_AHEAD_MIN_BYTES = 1_000_000
READ_AHEAD_WARM_BYTES = 100_000


def open_capture_document(
    source: IO[bytes] | Path | bytes, media_type: str | None = None, *, read_ahead: bool | None = None
) -> EpcisReader | ReadAheadReader:
    """A reader of the document's events; `read_ahead` forces (True) or forbids (False) the worker
    process, which by default reads paths and bytes of at least READ_AHEAD_MIN_BYTES, or of at least
    READ_AHEAD_WARM_BYTES when a worker is already waiting."""
    if isinstance(source, Path | bytes) and read_ahead is not False:
        size = source.stat().st_size if isinstance(source, Path) else len(source)
        if read_ahead or size >= (READ_AHEAD_WARM_BYTES if worker_waiting() else READ_AHEAD_MIN_BYTES):
            return ReadAheadReader(source, media_type)
    return open_document(source, media_type, kinds=EVENT_DOCUMENT_KINDS)
