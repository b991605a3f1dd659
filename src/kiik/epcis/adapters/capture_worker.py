"""The worker process that reads documents ahead of capture (see `capture_pipeline`).

It is a fresh interpreter running `serve`: documents are requested on its stdin, one pickled
`(path or bytes, media type)` after another, and for each it sends back on its stdout, in document
order, batches of prepared events, then the document's problems (or the error that stopped it).
Every message is a length-prefixed pickle; only the process that started the worker reads them.
A sender thread writes the messages while the main thread reads on; at most `QUEUED_BATCHES` wait
to be taken, so the worker's memory stays bounded however large the document. The worker ends
when its stdin is closed, or when nobody reads its stdout any more.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import pickle
import queue
import signal
import struct
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from kiik.epcis.adapters.reader import EVENT_DOCUMENT_KINDS, DocumentEvent, open_document
from kiik.epcis.domain.event_facts import read_event
from kiik.epcis.domain.event_hash import event_hash_id

BATCH_EVENTS = 250  # about 0.6 MB pickled for events of a typical size: one pipe's worth
BATCH_IDENTIFIERS = 2000  # or fewer events when they name many items (a truck's shipment)
QUEUED_BATCHES = 16
PIPE_BYTES = 1 << 20  # the most an unprivileged process may ask for, by default
_LENGTH = struct.Struct("!Q")
_PICKLE = pickle.HIGHEST_PROTOCOL


class ReadAheadFailed(RuntimeError):
    """The worker reading a document stopped without finishing it."""


def start_worker() -> subprocess.Popen[bytes]:
    """A fresh interpreter that imports this very kiik (whatever sys.path this process was given)
    and none of the current directory's modules (-P)."""
    package_root = str(Path(__file__).resolve().parents[3])
    path = os.pathsep.join(p for p in (package_root, os.environ.get("PYTHONPATH")) if p)
    worker = subprocess.Popen(
        [sys.executable, "-P", "-c", "from kiik.epcis.adapters.capture_worker import serve; serve()"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": path},
    )
    for stream in (worker.stdin, worker.stdout):
        _widen(stream)
    return worker


def _widen(stream: IO[bytes] | None) -> None:
    """Let a pipe hold a whole batch (Linux only; pipes hold 64 KB). Through a narrow pipe a batch
    takes many turns of writer and reader, and on a busy machine every turn waits to be scheduled."""
    if stream is None or not sys.platform.startswith("linux"):
        return
    import fcntl

    with contextlib.suppress(OSError):
        fcntl.fcntl(stream.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)


def request(worker: subprocess.Popen[bytes], source: str | bytes, media_type: str | None) -> None:
    """Ask a worker for the events of one document (a path, or the document's bytes)."""
    assert worker.stdin is not None
    worker.stdin.write(pickle.dumps((source, media_type), protocol=_PICKLE))
    worker.stdin.flush()


def receive(stream: IO[bytes]) -> tuple[str, Any] | None:
    """The next message from a worker: ("events", [prepared...]), ("end", problems) or
    ("failed", error); None when the worker is gone."""
    head = stream.read(_LENGTH.size)
    size = _LENGTH.unpack(head)[0] if len(head) == _LENGTH.size else -1
    body = stream.read(size) if size > 0 else b""
    if len(body) != size:
        return None
    message: tuple[str, Any] = pickle.loads(body)
    return message


def prepare(item: DocumentEvent) -> tuple[Any, ...]:
    """What the worker sends for one event: index, event, problems, then facts, Event Hash ID and
    the body as JSON, which are None when they cannot be worked out, so that capture tries again
    and reports the reason in its own words. The event itself is sent only then: otherwise the
    capturing process decodes the body when it needs the event (see `PreparedEvent`)."""
    facts = hash_id = body_json = None
    if not item.problems:
        try:
            facts, hash_id = read_event(item.event), event_hash_id(item.event)
            facts.identifier_pairs  # noqa: B018 - worked out here, sent with the facts
            facts.ilmd_by_local_name  # noqa: B018 - the same
            facts.ilmd_json  # noqa: B018 - the same
            body_json = json.dumps(item.event)
        except (KeyError, ValueError, TypeError):
            facts = hash_id = body_json = None
    event = None if body_json is not None else item.event
    return (item.index, event, item.problems, facts, hash_id, body_json)


def _messages(source: str | bytes, media_type: str | None) -> Iterator[tuple[str, Any]]:
    try:
        document = Path(source) if isinstance(source, str) else source
        with open_document(document, media_type, kinds=EVENT_DOCUMENT_KINDS) as reader:
            batch = []
            weight = 0
            for item in reader.events():
                prepared = prepare(item)
                batch.append(prepared)
                facts = prepared[3]
                weight += 1 if facts is None else len(facts.identifier_pairs)
                if len(batch) == BATCH_EVENTS or weight >= BATCH_IDENTIFIERS:
                    yield "events", batch
                    batch = []
                    weight = 0
                    gc.collect(1)  # the young objects only (see `serve`)
            if batch:
                yield "events", batch
            yield "end", reader.document_problems()
    except Exception as error:  # sent to the capturing process, which raises it
        try:
            pickle.dumps(error)
        except Exception:
            error = ReadAheadFailed(f"{type(error).__name__}: {error}")
        yield "failed", error


def _send(outbox: queue.Queue[bytes | None], stream: IO[bytes]) -> None:
    try:
        while (message := outbox.get()) is not None:
            stream.write(_LENGTH.pack(len(message)))
            stream.write(message)
            stream.flush()
    except OSError:
        # The capturing process stopped reading (it failed or stopped early): so does the worker.
        os._exit(0)


def serve() -> None:
    """The worker's main loop: documents requested on stdin, their events sent on stdout."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the capturing process, which stops this
    requests, stream = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # anything printed must not corrupt the stream of messages
    # What is loaded by now stays for the worker's life: the collector need not look at it again.
    # Garbage is collected between batches, among the objects made since (as capture does).
    gc.freeze()
    gc.disable()
    outbox: queue.Queue[bytes | None] = queue.Queue(maxsize=QUEUED_BATCHES)
    sender = threading.Thread(target=_send, args=(outbox, stream), daemon=True)
    sender.start()
    while True:
        try:
            source, media_type = pickle.load(requests)
        except EOFError:
            break
        for message in _messages(source, media_type):
            outbox.put(pickle.dumps(message, protocol=_PICKLE))
    outbox.put(None)
    sender.join()
