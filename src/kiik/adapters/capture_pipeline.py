"""Large documents read ahead in a second process, so that a capture uses two cores.

Reading an event (JSON stream, schema, semantic rules), working out its facts and Event Hash ID
and encoding its body as JSON cost about as much as checking it against the registry and writing
it. For a large document a worker process does the first half: it opens the document itself (its
path, or bytes handed to it) and sends the prepared events back in document order, a batch at a
time, while this process applies the custody and feature rules to earlier batches and writes
them. Capture sees the same events with the same problems, then the same document problems,
whichever process read them; an event whose facts or hash cannot be worked out comes without
them, and capture works them out again (and reports why they cannot be).

The worker is a fresh interpreter that runs `serve` (not a multiprocessing child: `spawn` and
`forkserver` children import the parent's `__main__` script again, which for the `kiik` command
or a benchmark takes longer than reading thousands of events). Batches travel pickled over the
worker's stdout, which only this process reads. The worker keeps at most `QUEUED_BATCHES`
batches that this process has not taken yet, so memory stays bounded however large the document.
"""

from __future__ import annotations

import contextlib
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
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from kiik.adapters.epcis_reader import EVENT_DOCUMENT_KINDS, DocumentEvent, Problem, open_document
from kiik.domain.event_facts import EventFacts, read_event
from kiik.domain.event_hash import event_hash_id

BATCH_EVENTS = 250
QUEUED_BATCHES = 16
_LENGTH = struct.Struct("!Q")
_WORKER = "from kiik.adapters.capture_pipeline import serve; serve()"


class ReadAheadFailed(RuntimeError):
    """The worker reading the document stopped without finishing it."""


@dataclass
class PreparedEvent:
    """One event of the document, with its problems and, when it could be read, its facts, its
    Event Hash ID and its body encoded as JSON (what capture would otherwise work out itself)."""

    index: int
    event: dict[str, Any]
    problems: list[Problem]
    facts: EventFacts | None = None
    hash_id: str | None = None
    body_json: str | None = None


class ReadAheadReader:
    """A single pass over one document read by a worker process; use it as a context manager so
    that the worker is stopped when the capture stops early."""

    def __init__(self, source: Path | bytes, media_type: str | None = None) -> None:
        self._request = (str(source) if isinstance(source, Path) else bytes(source), media_type)
        self._worker: subprocess.Popen[bytes] | None = None
        self._problems: list[Problem] = []
        self._started = False

    def events(self) -> Iterator[PreparedEvent]:
        """The events in document order; the worker starts now, before the first is asked for."""
        if self._started:
            raise RuntimeError("events() reads the document once; open it again to read it again")
        self._started = True
        try:
            self._worker = _start_worker()
        except OSError:  # no interpreter to start (an embedded Python): read here instead
            return self._read_here()
        return self._receive(self._worker)

    def _read_here(self) -> Iterator[PreparedEvent]:
        source, media_type = self._request
        document = Path(source) if isinstance(source, str) else source
        with open_document(document, media_type, kinds=EVENT_DOCUMENT_KINDS) as reader:
            for item in reader.events():
                yield PreparedEvent(item.index, item.event, item.problems)
            self._problems = reader.document_problems()

    def _receive(self, worker: subprocess.Popen[bytes]) -> Iterator[PreparedEvent]:
        assert worker.stdin is not None and worker.stdout is not None
        try:
            with contextlib.suppress(BrokenPipeError):  # a worker that died is reported below
                worker.stdin.write(pickle.dumps(self._request, protocol=pickle.HIGHEST_PROTOCOL))
                worker.stdin.close()
            while True:
                kind, payload = self._message(worker.stdout)
                if kind == "events":
                    for index, event, problems, facts, hash_id, body_json in payload:
                        yield PreparedEvent(index, event, problems, facts, hash_id, body_json)
                elif kind == "end":
                    self._problems = payload
                    self._finish(worker)
                    return
                else:
                    raise payload
        finally:
            self.close()

    def _message(self, stream: IO[bytes]) -> tuple[str, Any]:
        head = stream.read(_LENGTH.size)
        size = _LENGTH.unpack(head)[0] if len(head) == _LENGTH.size else -1
        body = stream.read(size) if size > 0 else b""
        if len(body) != size:
            code = self._worker.wait() if self._worker is not None else None
            raise ReadAheadFailed(f"the process reading the document stopped (exit code {code})")
        message: tuple[str, Any] = pickle.loads(body)
        return message

    def _finish(self, worker: subprocess.Popen[bytes]) -> None:
        """The worker sent everything and is exiting; wait for it rather than kill it."""
        with contextlib.suppress(subprocess.TimeoutExpired):
            worker.wait(timeout=5)

    def document_problems(self) -> list[Problem]:
        """Problems of the document itself; complete once events() is exhausted."""
        return list(self._problems)

    def close(self) -> None:
        worker, self._worker = self._worker, None
        if worker is None:
            return
        if worker.poll() is None:
            worker.kill()  # stopped early: nobody will read the rest
        worker.wait()
        for stream in (worker.stdin, worker.stdout):
            if stream is not None:
                stream.close()

    def __enter__(self) -> ReadAheadReader:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()


def _start_worker() -> subprocess.Popen[bytes]:
    """A fresh interpreter that imports this very kiik (whatever sys.path the parent was given)
    and not the current directory's modules (-P)."""
    package_root = str(Path(__file__).resolve().parents[2])
    path = os.pathsep.join(p for p in (package_root, os.environ.get("PYTHONPATH")) if p)
    return subprocess.Popen(
        [sys.executable, "-P", "-c", _WORKER],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": path},
    )


def prepare(item: DocumentEvent) -> tuple[Any, ...]:
    """What the worker sends for one event; facts, hash and body are None when they cannot be
    worked out, so that capture tries again and reports the reason in its own words."""
    facts = hash_id = body_json = None
    if not item.problems:
        try:
            facts, hash_id = read_event(item.event), event_hash_id(item.event)
            facts.identifier_pairs  # noqa: B018 - worked out here, sent with the facts
            body_json = json.dumps(item.event)
        except (KeyError, ValueError, TypeError):
            facts = hash_id = body_json = None
    return (item.index, item.event, item.problems, facts, hash_id, body_json)


def _messages(source: str | bytes, media_type: str | None) -> Iterator[tuple[str, Any]]:
    try:
        document = Path(source) if isinstance(source, str) else source
        with open_document(document, media_type, kinds=EVENT_DOCUMENT_KINDS) as reader:
            batch = []
            for item in reader.events():
                batch.append(prepare(item))
                if len(batch) == BATCH_EVENTS:
                    yield "events", batch
                    batch = []
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
    except (BrokenPipeError, OSError):
        # The capturing process stopped reading (it failed or finished early): so does the worker.
        os._exit(0)


def serve() -> None:
    """The worker: read the request from stdin, send the document's events on stdout."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the capturing process, which stops this
    source, media_type = pickle.load(sys.stdin.buffer)
    stream = sys.stdout.buffer
    sys.stdout = sys.stderr  # anything printed must not corrupt the stream of batches
    outbox: queue.Queue[bytes | None] = queue.Queue(maxsize=QUEUED_BATCHES)
    sender = threading.Thread(target=_send, args=(outbox, stream), daemon=True)
    sender.start()
    for message in _messages(source, media_type):
        outbox.put(pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL))
    outbox.put(None)
    sender.join()
