"""Large documents read ahead in a second process, so that a capture uses two cores.

Reading an event (JSON stream, schema, semantic rules), working out its facts and Event Hash ID
and encoding its body as JSON cost about as much as checking it against the registry and writing
it. For a large document a worker process does the first half: it opens the document itself (its
path, or bytes handed to it) and sends the prepared events back in document order, a batch at a
time, while this process applies the custody and feature rules to earlier batches and writes
them. Capture sees the same events with the same problems, then the same document problems,
whichever process read them; an event whose facts or hash cannot be worked out comes without
them, and capture works them out again (and reports why they cannot be).

The worker (`capture_worker`) is a fresh interpreter, not a multiprocessing child: `spawn` and
`forkserver` children import the parent's `__main__` script again, which for the `kiik` command or
a benchmark takes longer than reading thousands of events. A worker that finished a document waits
for the next; one is kept, so that a server, or a command capturing several files, pays an
interpreter's start-up once rather than for every document. A process reads ahead at most as
many documents at once as it has spare cores (none on a single core); beyond that, a document is
read in-process, since the work would only take turns on the same cores.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import Any

from kiik.epcis.adapters.capture_worker import ReadAheadFailed, receive, request, start_worker
from kiik.epcis.adapters.reader import EVENT_DOCUMENT_KINDS, Problem, open_document
from kiik.epcis.domain.event_facts import EventFacts

__all__ = ["PreparedEvent", "ReadAheadFailed", "ReadAheadReader", "end_idle_workers", "worker_waiting"]

KEEP_IDLE = 1


class PreparedEvent:
    """One event of the document, with its problems and, when it could be read, its facts, its
    Event Hash ID and its body encoded as JSON (what capture would otherwise work out itself).

    An event that comes with its body encoded is not sent as a dict too: `event` decodes the body
    when it is first asked for, which capture does only for the few events a rule reads in full.
    Decoding a body costs a quarter of unpickling the same event."""

    __slots__ = ("_event", "body_json", "facts", "hash_id", "index", "problems")

    def __init__(
        self,
        index: int,
        event: dict[str, Any] | None,
        problems: list[Problem],
        facts: EventFacts | None = None,
        hash_id: str | None = None,
        body_json: str | None = None,
    ) -> None:
        if event is None and body_json is None:
            raise ValueError("a prepared event needs the event or its encoded body")
        self.index, self._event, self.problems = index, event, problems
        self.facts, self.hash_id, self.body_json = facts, hash_id, body_json

    @property
    def event(self) -> dict[str, Any]:
        if self._event is None:
            self._event = json.loads(self.body_json)  # type: ignore[arg-type] - see __init__
        return self._event


class ReadAheadReader:
    """A single pass over one document read by a worker process; use it as a context manager so
    that the worker is stopped when the capture stops early."""

    def __init__(self, source: Path | bytes, media_type: str | None = None) -> None:
        # Absolute: a waiting worker keeps the working directory it was started in.
        self._source = os.path.abspath(source) if isinstance(source, Path) else bytes(source)
        self._media_type = media_type
        self._worker: subprocess.Popen[bytes] | None = None
        self._problems: list[Problem] = []
        self._started = False

    def events(self) -> Iterator[PreparedEvent]:
        """The events in document order. The worker is taken when the first is asked for, so that
        a reader whose events are never read starts no process."""
        if self._started:
            raise RuntimeError("events() reads the document once; open it again to read it again")
        self._started = True
        return self._receive()

    def _receive(self) -> Iterator[PreparedEvent]:
        try:
            self._worker = worker = _WORKERS.take()
        except OSError:  # no interpreter to start (an embedded Python)
            worker = None
        if worker is None:  # or no spare core: read here, as a small document is
            yield from self._read_here()
            return
        assert worker.stdout is not None
        try:
            with contextlib.suppress(BrokenPipeError):  # a worker that died is reported below
                request(worker, self._source, self._media_type)
            while True:
                message = receive(worker.stdout)
                if message is None:
                    code = worker.wait()
                    raise ReadAheadFailed(f"the process reading the document stopped (exit code {code})")
                kind, payload = message
                if kind == "events":
                    for index, event, problems, facts, hash_id, body_json in payload:
                        yield PreparedEvent(index, event, problems, facts, hash_id, body_json)
                    continue
                self._worker = None
                _WORKERS.give_back(worker)  # its document is done: ready for the next
                if kind == "failed":
                    raise payload
                self._problems = payload
                return
        finally:
            self.close()

    def _read_here(self) -> Iterator[PreparedEvent]:
        document = Path(self._source) if isinstance(self._source, str) else self._source
        with open_document(document, self._media_type, kinds=EVENT_DOCUMENT_KINDS) as reader:
            for item in reader.events():
                yield PreparedEvent(item.index, item.event, item.problems)
            self._problems = reader.document_problems()

    def document_problems(self) -> list[Problem]:
        """Problems of the document itself; complete once events() is exhausted."""
        return list(self._problems)

    def close(self) -> None:
        """Stop the worker if it is still reading: the rest of the document is not wanted."""
        worker, self._worker = self._worker, None
        if worker is not None:
            worker.kill()
            _WORKERS.discard(worker)

    def __enter__(self) -> ReadAheadReader:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()


def _end(worker: subprocess.Popen[bytes]) -> None:
    """Close a worker's pipes (which ends a waiting worker) and wait for it to exit."""
    for stream in (worker.stdin, worker.stdout):
        if stream is not None:
            with contextlib.suppress(OSError):
                stream.close()
    try:
        worker.wait(timeout=5)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


def _spare_cores() -> int:
    """The cores this process may run on, less the one that it keeps busy itself."""
    try:
        return len(os.sched_getaffinity(0)) - 1
    except AttributeError:  # not on Linux
        return (os.cpu_count() or 1) - 1


class _Workers:
    """The workers of this process: as many reading as there are spare cores (one more would only
    take turns with the others), and at most KEEP_IDLE waiting for their next document, ended at
    exit."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._idle: list[subprocess.Popen[bytes]] = []
        self._busy = 0
        self._owner = os.getpid()
        self._ended_at_exit = False

    def take(self) -> subprocess.Popen[bytes] | None:
        """A worker for one document, or None when every spare core already has one."""
        with self._lock:
            if self._owner != os.getpid():  # a forked child: the workers are its parent's
                self._idle, self._busy, self._owner = [], 0, os.getpid()
            if self._busy >= _spare_cores():
                return None
            self._busy += 1
            while self._idle:
                worker = self._idle.pop()
                if worker.poll() is None:
                    return worker
                _end(worker)
        try:
            return start_worker()
        except OSError:
            self._done()
            raise

    def give_back(self, worker: subprocess.Popen[bytes]) -> None:
        """A worker that finished its document, to wait for the next (or end)."""
        self._done()
        with self._lock:
            if self._owner == os.getpid() and len(self._idle) < KEEP_IDLE:
                if not self._ended_at_exit:
                    atexit.register(self.end_idle)
                    self._ended_at_exit = True
                self._idle.append(worker)
                return
        _end(worker)

    def discard(self, worker: subprocess.Popen[bytes]) -> None:
        """A worker stopped before the end of its document."""
        self._done()
        _end(worker)

    def _done(self) -> None:
        with self._lock:
            self._busy = max(0, self._busy - 1)

    def waiting(self) -> bool:
        with self._lock:
            return bool(self._idle) and self._owner == os.getpid() and self._busy < _spare_cores()

    def end_idle(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for worker in idle:
            _end(worker)


_WORKERS = _Workers()  # holds nothing until a document is read ahead


def worker_waiting() -> bool:
    """Whether a worker is waiting for a document, so that reading one ahead starts no process."""
    return _WORKERS.waiting()


def end_idle_workers() -> None:
    """End the workers kept for the next document now rather than at exit."""
    _WORKERS.end_idle()
