"""Read an EPCIS 2.0 document (JSON/JSON-LD or XML) as a stream of validated events.

    with open_document(path) as reader:
        for item in reader.events():          # one event in memory at a time
            ...item.index, item.event, item.problems
        problems = reader.document_problems()  # the envelope; complete once events() is exhausted

Every event is checked against the ratified EPCIS 2.0.1 JSON Schema (XML: the 2.0 XSD) and then
against the semantic rules of `semantics`; each problem names its path, its rule and what to
do. `validate_document` does all of it for `kiik validate`; `validate_event` checks one event dict
(a single event sent to POST /epcis/events, or one event of a document).
"""

from __future__ import annotations

import io
import shutil
import tempfile
from collections.abc import Collection, Iterator
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from kiik.epcis.adapters.event_check import validate_event
from kiik.epcis.adapters.json_document import json_document_events
from kiik.epcis.adapters.problems import DocumentEvent, Problem
from kiik.epcis.adapters.xml_document import xml_document_events

__all__ = [
    "EVENT_DOCUMENT_KINDS",
    "DocumentEvent",
    "EpcisReader",
    "Problem",
    "open_document",
    "validate_document",
    "validate_event",
]

# The kinds whose events kiik captures; `kind` may also be another EPCIS 2.0 XML document type
# (EPCISMasterDataDocument, EPCISCaptureJob), a bare event type or "EPCIS-Query" (a query definition).
EVENT_DOCUMENT_KINDS = ("EPCISDocument", "EPCISQueryDocument")
_SPOOL_IN_MEMORY = 16 * 1024 * 1024
_BOM = b"\xef\xbb\xbf"


class EpcisReader:
    """A single pass over one document; use it as a context manager so the file is closed."""

    def __init__(
        self,
        stream: IO[bytes],
        media: str,
        *,
        owned: IO[bytes] | None,
        now: datetime | None,
        kinds: Collection[str] | None = None,
    ) -> None:
        self._stream = stream
        self._owned = owned
        self._kinds = tuple(kinds) if kinds is not None else None
        self._problems: list[Problem] = []
        self._buffer: list[DocumentEvent] = []
        self._started = False
        self._finished = False
        self._state: dict[str, Any] = {"kind": None}
        self.media = media if media in ("json", "xml") else "unknown"
        if media == "json":
            self._source: Iterator[DocumentEvent] = json_document_events(
                stream, self._state, self._problems, now
            )
        elif media == "xml":
            self._source = xml_document_events(stream, self._state, self._problems, now)
        else:
            self._source = iter(())
            self._problems.append(Problem("$", "document", media))  # `media` says why it is neither
            self._finished = True

    @property
    def kind(self) -> str:
        """ "EPCISDocument" or "EPCISQueryDocument" for event documents (see EVENT_DOCUMENT_KINDS)."""
        if self._state["kind"] is None and not self._finished and not self._started:
            self._buffer.extend(self._pull(1))
        kind = self._state["kind"]
        return kind if isinstance(kind, str) else "unknown"

    def _pull(self, limit: int | None) -> Iterator[DocumentEvent]:
        pulled = 0
        while limit is None or pulled < limit:
            try:
                item = next(self._source)
            except StopIteration:
                self._finished = True
                return
            pulled += 1
            yield item

    def events(self) -> Iterator[DocumentEvent]:
        """The events in document order, each with its problems; the document is read only once."""
        if self._started:
            raise RuntimeError("events() reads the document once; open it again to read it again")
        self._started = True
        while self._buffer:
            yield self._buffer.pop(0)
        yield from self._pull(None)

    def __iter__(self) -> Iterator[DocumentEvent]:
        return self.events()

    def document_problems(self) -> list[Problem]:
        """Problems of the document itself (not tied to one event); complete once events() is exhausted."""
        problems = list(self._problems)
        kind = self._state["kind"]
        if self._kinds is not None and self._finished and isinstance(kind, str) and kind not in self._kinds:
            problems.append(
                Problem(
                    "$",
                    "document",
                    f"This is an {kind}; only {' or '.join(self._kinds)} documents are accepted here.",
                )
            )
        return problems

    @property
    def finished(self) -> bool:
        return self._finished

    def close(self) -> None:
        if self._owned is not None:
            self._owned.close()
            self._owned = None

    def __enter__(self) -> EpcisReader:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()


def _seekable(source: IO[bytes]) -> tuple[IO[bytes], IO[bytes] | None]:
    """The stream itself when it can seek, else a spooled copy (in memory up to 16 MB, then on disk)."""
    try:
        if source.seekable():
            return source, None
    except (AttributeError, ValueError):
        pass
    spool = tempfile.SpooledTemporaryFile(max_size=_SPOOL_IN_MEMORY)  # noqa: SIM115 - closed by the reader
    shutil.copyfileobj(source, spool)
    spool.seek(0)
    return spool, spool


def _sniff(stream: IO[bytes], media_type: str | None) -> str:
    """ "json" or "xml" (the stream is left at the first byte to parse), else a sentence saying why not."""
    start = stream.tell()
    head = stream.read(4096)
    skip = len(_BOM) if head.startswith(_BOM) else 0
    stream.seek(start + skip)
    declared = (media_type or "").split(";")[0].strip().lower()
    if "json" in declared:
        return "json"
    if "xml" in declared:
        return "xml"
    text = head[skip:].lstrip()
    if not text:
        return "The file is empty; an EPCIS document is JSON or XML."
    if text[:1] in (b"{", b"["):
        return "json"
    if text[:1] == b"<":
        return "xml"
    return (
        "The file is neither JSON nor XML (it starts with neither '{' nor '<'); "
        "an EPCIS document is one of the two."
    )


def open_document(
    source: IO[bytes] | Path | str | bytes,
    media_type: str | None = None,
    *,
    now: datetime | None = None,
    kinds: Collection[str] | None = None,
) -> EpcisReader:
    """A reader over a path, bytes or binary stream; JSON or XML is sniffed when `media_type` is None.

    `kinds`, when given, lists the document kinds the caller accepts (capture passes
    EVENT_DOCUMENT_KINDS); any other kind, such as an XSD-valid master-data document, is then a
    document problem. `now` fixes the clock of the future-time rule. Raises OSError when a path
    cannot be opened.
    """
    owned: IO[bytes] | None = None
    if isinstance(source, bytes | bytearray):
        stream: IO[bytes] = io.BytesIO(source)
    elif isinstance(source, str | Path):
        stream = owned = open(source, "rb")  # noqa: SIM115 - closed by the reader
    else:
        stream, owned = _seekable(source)
    try:
        media = _sniff(stream, media_type)
    except OSError:
        if owned is not None:
            owned.close()
        raise
    return EpcisReader(stream, media, owned=owned, now=now, kinds=kinds)


def validate_document(
    source: IO[bytes] | Path | str | bytes, media_type: str | None = None, *, now: datetime | None = None
) -> list[Problem]:
    """Every problem of a document: the document's own first, then its events' in document order."""
    with open_document(source, media_type, now=now) as reader:
        problems = [problem for item in reader.events() for problem in item.problems]
        return [*reader.document_problems(), *problems]
