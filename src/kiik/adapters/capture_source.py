"""Documents opened for capture: only event documents (EPCISDocument, EPCISQueryDocument) qualify.

Master data, capture-job documents or bare events are valid EPCIS artefacts but hold no events to
capture; they are reported as a document problem instead of "capturing" nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO

from kiik.adapters.epcis_reader import EVENT_DOCUMENT_KINDS, EpcisReader, open_document


def open_capture_document(source: IO[bytes] | Path | bytes, media_type: str | None = None) -> EpcisReader:
    return open_document(source, media_type, kinds=EVENT_DOCUMENT_KINDS)
