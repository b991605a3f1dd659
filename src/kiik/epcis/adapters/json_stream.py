"""Stream an EPCIS JSON/JSON-LD document: its events one at a time, the rest as a small envelope.

The document is parsed once with ijson; the items of the event list are built and handed out one
by one, everything else goes into the envelope (with an empty event list), so memory holds one
event at a time whatever the size of the document.

JSON allows the document's `@context` and `type` after its body. When the first event arrives and
they have not been seen yet, the file is scanned ahead for them (the stream is seekable: the
reader spools other streams to a temporary file first).

Documents written against GS1's *simple* JSON-LD context (`epcis-context-simple.jsonld`, the
`JSON-simple-context` examples) spell a few things differently: a blank-node document `id`
("_:document1"), the event identifier as `id` rather than `eventID`, a JSON-LD `type` on each sensor
element and a numeric `schemaVersion`. Both contexts map these to the same JSON-LD; they are
rewritten here to the form of the standard context before validation.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

import ijson

EVENT_ITEM_PREFIXES = frozenset(
    {"epcisBody.eventList.item", "epcisBody.queryResults.resultsBody.eventList.item"}
)
_SIMPLE_CONTEXT_MARK = "epcis-context-simple"
_SENSOR_ELEMENT_TYPES = frozenset(
    {"epcis:SensorElement", "SensorElement", "https://ref.gs1.org/epcis/SensorElement"}
)


class JsonSyntaxProblem(Exception):
    """The bytes are not well-formed JSON; `path` is the last place the parser reached."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(reason)
        self.path = path
        self.reason = reason


class JsonDocumentStream:
    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream
        self._start = stream.tell()
        self.kind: str | None = None
        self.context: Any = None
        self.context_known = False
        self.envelope: Any = None

    @property
    def simple_context(self) -> bool:
        return _SIMPLE_CONTEXT_MARK in repr(self.context)

    def raw_events(self) -> Iterator[tuple[str, Any]]:
        """(path of the event list, item) for each item of the event list, in document order.

        Two passes over the stream: the first reads the envelope token by token and steps over
        the events, the second builds the events in ijson's C backend (five times faster than
        building them here from tokens). A document that the first pass finds broken, or with
        event lists in more than one place, is read in one pass token by token instead, so that
        what comes out, and where the syntax problem is placed, never depends on the path taken.
        """
        list_paths = self._outline()
        if list_paths is None or len(list_paths) > 1:
            self._stream.seek(self._start)
            yield from self._built_events()
            return
        for list_path in list_paths:
            self._stream.seek(self._start)
            for item in ijson.items(self._stream, list_path + ".item", use_float=True):
                yield list_path, item

    def _outline(self) -> list[str] | None:
        """Read the envelope, type and context, stepping over every event; return the places of
        the event lists in document order, or None when the JSON is broken."""
        envelope = ijson.ObjectBuilder()
        path: list[Any] = []
        list_paths: dict[str, None] = {}
        depth = 0  # inside an event: how deep
        try:
            for token, value in ijson.basic_parse(self._stream, use_float=True):
                if depth:
                    if token == "start_map" or token == "start_array":
                        depth += 1
                    elif token == "end_map" or token == "end_array":
                        depth -= 1
                    continue
                prefix = _place(path, token, value)
                if token not in _MOVES and prefix in EVENT_ITEM_PREFIXES:
                    list_paths[prefix.removesuffix(".item")] = None
                    if token == "start_map" or token == "start_array":
                        depth = 1
                    continue
                _open(path, token)
                envelope.event(token, value)
                if prefix == "type" and token == "string":
                    self.kind = value
        except ijson.JSONError:
            self.kind = None
            return None
        self.envelope = getattr(envelope, "value", None)
        if isinstance(self.envelope, dict):
            self.context = self.envelope.get("@context")
        self.context_known = True
        return list(list_paths)

    def _built_events(self) -> Iterator[tuple[str, Any]]:
        """`raw_events` in one pass, building each event from ijson's tokens."""
        envelope = ijson.ObjectBuilder()
        path: list[Any] = []  # see `_place`
        # The event being built: its open containers, innermost last (what ijson's ObjectBuilder
        # does, written out here because it runs for every token of every event).
        building: list[Any] = []
        key: Any = None
        started = 0
        prefix = list_path = ""
        try:
            for token, value in ijson.basic_parse(self._stream, use_float=True):
                if building:
                    if token == "map_key":
                        key = value
                        continue
                    top = building[-1]
                    if token == "end_map" or token == "end_array":
                        building.pop()
                        if not building:  # `prefix` is still the event's place, where it ends
                            yield list_path, top
                        continue
                    if token == "start_map":
                        value = {}
                        building.append(value)
                    elif token == "start_array":
                        value = []
                        building.append(value)
                    if top.__class__ is list:
                        top.append(value)
                    else:
                        top[key] = value
                    continue
                prefix = _place(path, token, value)
                if token not in _MOVES and prefix in EVENT_ITEM_PREFIXES:
                    self._learn_header(getattr(envelope, "value", None))
                    list_path = prefix.removesuffix(".item")
                    started += 1
                    if token == "start_map":
                        building.append({})
                    elif token == "start_array":
                        building.append([])
                    else:
                        yield list_path, value
                    continue
                _open(path, token)
                envelope.event(token, value)
                if prefix == "type" and token == "string":
                    self.kind = value
        except ijson.JSONError as error:
            inside_event = bool(building) or prefix in EVENT_ITEM_PREFIXES
            where = (
                f"{list_path}[{started - 1}]" if inside_event and started else prefix.replace(".item", "[]")
            )
            raise JsonSyntaxProblem(where, _syntax_reason(error)) from error
        self.envelope = getattr(envelope, "value", None)
        if isinstance(self.envelope, dict) and not self.context_known:
            self.context, self.context_known = self.envelope.get("@context"), True

    def _learn_header(self, partial: Any) -> None:
        """Make `@context` and `type` known before the first event is handed out."""
        if self.context_known:
            return
        if isinstance(partial, dict) and "@context" in partial:
            self.context = partial["@context"]
        else:
            self.context = self._scan_ahead("@context")
        if self.kind is None:
            found = self._scan_ahead("type")
            self.kind = found if isinstance(found, str) else None
        self.context_known = True

    def _scan_ahead(self, key: str) -> Any:
        position = self._stream.tell()
        try:
            self._stream.seek(self._start)
            for value in ijson.items(self._stream, key, use_float=True):
                return value
            return None
        except ijson.JSONError:
            return None  # the main pass reports the syntax error where it meets it
        finally:
            self._stream.seek(position)


# Tokens that move past a key or close a container, rather than give a value or open one.
_MOVES = frozenset({"map_key", "end_map", "end_array"})


def _place(path: list[Any], token: str, value: Any) -> str:
    """The place of a token outside the events, exactly as ijson.parse names it (its `prefix`).

    ijson.parse would name the place of every token, but only those outside the events are looked
    at, so they are followed here: `path` holds the keys of the open maps ("item" inside a list),
    moved on past a key or a closing token; `_open` adds the container a token opens."""
    if token == "map_key":
        prefix = ".".join(path[:-1])
        path[-1] = value
        return prefix
    if token == "end_map" or token == "end_array":
        path.pop()
    return ".".join(path)


def _open(path: list[Any], token: str) -> None:
    if token == "start_map":
        path.append(None)
    elif token == "start_array":
        path.append("item")


def _syntax_reason(error: Exception) -> str:
    """yajl's reason on one line, with the text where it stopped when it shows it."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    if not lines:
        return "the JSON ends or breaks unexpectedly"
    near = next((line for line in lines[1:] if "(right here)" not in line), None)
    return f"{lines[0]}, near {near!r}" if near else lines[0]


def context_terms(context: Any) -> dict[str, Any]:
    """The terms (prefixes) a document's `@context` defines inline, later definitions winning."""
    terms: dict[str, Any] = {}
    for entry in context if isinstance(context, list) else [context]:
        if isinstance(entry, dict):
            terms.update({k: v for k, v in entry.items() if not k.startswith("@")})
    return terms


def _used_terms(value: Any, terms: dict[str, Any], used: set[str]) -> None:
    """Add to `used` the terms that the keys and strings inside `value` name (not inside @context).

    A string names a term when it is one, or else when the part before its first colon is one;
    that test is written out in place (it runs for every key and string of every event)."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "@context":
                continue
            if key in terms:
                used.add(key)
            elif ":" in key and (prefix := key.partition(":")[0]) in terms:
                used.add(prefix)
            if isinstance(item, str):
                if item in terms:
                    used.add(item)
                elif ":" in item and (prefix := item.partition(":")[0]) in terms:
                    used.add(prefix)
            elif isinstance(item, (dict, list)):
                _used_terms(item, terms, used)
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, (dict, list)):
                _used_terms(item, terms, used)
            elif isinstance(item, str):
                _note_term(item, terms, used)
    elif isinstance(value, str):
        _note_term(value, terms, used)


def _note_term(text: str, terms: dict[str, Any], used: set[str]) -> None:
    if text in terms:
        used.add(text)
    elif ":" in text:
        prefix = text.partition(":")[0]
        if prefix in terms:
            used.add(prefix)


def with_document_context(event: dict[str, Any], terms: dict[str, Any]) -> dict[str, Any]:
    """The event with an `@context` carrying the document-level terms it uses, so it stands alone."""
    if not terms:
        return event
    own = event.get("@context")
    own_list = own if isinstance(own, list) else ([own] if own is not None else [])
    defined_by_event = context_terms(own_list)
    if defined_by_event.keys() >= terms.keys():
        return event  # it defines every term itself (as kiik's own documents do): nothing to add
    used: set[str] = set()
    _used_terms(event, terms, used)
    needed = {name: terms[name] for name in sorted(used) if name not in defined_by_event}
    if not needed:
        return event
    return {"@context": [needed, *own_list], **{k: v for k, v in event.items() if k != "@context"}}


def normalise_simple_envelope(envelope: dict[str, Any]) -> dict[str, Any]:
    """A simple-context envelope in the spelling of the standard context."""
    result = dict(envelope)
    if isinstance(result.get("id"), str) and result["id"].startswith("_:"):
        del result["id"]
    if isinstance(result.get("schemaVersion"), int | float) and not isinstance(result["schemaVersion"], bool):
        result["schemaVersion"] = str(result["schemaVersion"])
    return result


def normalise_simple_event(event: dict[str, Any]) -> dict[str, Any]:
    """A simple-context event in the spelling of the standard context."""
    result = dict(event)
    node_id = result.pop("id", None)
    if isinstance(node_id, str) and not node_id.startswith("_:") and "eventID" not in result:
        result["eventID"] = node_id
    elements = result.get("sensorElementList")
    if isinstance(elements, list):
        result["sensorElementList"] = [
            {k: v for k, v in e.items() if not (k == "type" and v in _SENSOR_ELEMENT_TYPES)}
            if isinstance(e, dict)
            else e
            for e in elements
        ]
    return result
