"""`kiik hash FILE...`: the CBV 2.0 Event Hash ID of every event of EPCIS documents.

JSON-LD and XML are told apart by content (XML starts with `<`). Both are streamed: XML with
lxml's iterparse, JSON with ijson, so a document of hundreds of megabytes is never held whole.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Annotated, Any

import ijson
import typer

from kiik.epcis.domain.event_hash import hash_id_of_prehash, namespaces_from_context, prehash_string

_EVENT_TYPES = frozenset(
    {"ObjectEvent", "AggregationEvent", "TransactionEvent", "TransformationEvent", "AssociationEvent"}
)
_EVENT_LISTS = frozenset({"epcisBody.eventList", "epcisBody.queryResults.resultsBody.eventList"})


class NotEpcis(Exception):
    """The file is not an EPCIS document; the message says why."""


def _starts_with_xml(stream: IO[bytes]) -> bool:
    head = stream.read(512).lstrip(b"\xef\xbb\xbf \t\r\n")
    stream.seek(0)
    return head.startswith(b"<")


class _JsonHeader:
    """What a JSON-LD document says before (or after) its event list, read in one streaming pass."""

    def __init__(self) -> None:
        self.kind: str | None = None
        self.context: Any = None
        self.ignore_fields: list[str] = []
        self.events_at: str | None = None

    def read(self, stream: IO[bytes]) -> None:
        builder: Any = None
        for prefix, token, value in ijson.parse(stream, use_float=True):
            if builder is not None:
                if prefix == "@context" and token in ("end_array", "end_map"):
                    builder.event(token, value)
                    self.context, builder = builder.value, None
                else:
                    builder.event(token, value)
                continue
            if prefix == "@context":
                if token in ("start_array", "start_map"):
                    builder = ijson.ObjectBuilder()
                    builder.event(token, value)
                elif token == "string":
                    self.context = value
            elif prefix == "type" and token == "string":
                self.kind = value
            elif prefix in _EVENT_LISTS and token == "start_array":
                self.events_at = prefix + ".item"
                if self.context is not None:
                    return  # the usual case: the context came first, nothing else is needed
            elif token == "string" and prefix.rsplit(".item", 1)[0].endswith("ignoreFields"):
                if self.events_at is None:
                    self.ignore_fields.append(value)


def json_events(stream: IO[bytes]) -> Iterator[tuple[dict[str, Any], dict[str, str], list[str]]]:
    """(event, document prefixes, ignored fields) for each event of a JSON-LD document."""
    header = _JsonHeader()
    try:
        header.read(stream)
        if header.events_at is None:
            stream.seek(0)
            if header.kind in _EVENT_TYPES:  # a bare event, as the REST binding allows
                event = json.load(stream)
                yield event, {}, []
                return
            raise NotEpcis("no epcisBody.eventList (nor queryResults.resultsBody.eventList) found")
        namespaces = namespaces_from_context(header.context)
        stream.seek(0)
        for event in ijson.items(stream, header.events_at, use_float=True):
            if not isinstance(event, dict):
                raise NotEpcis("an item of the event list is not a JSON object")
            yield event, namespaces, header.ignore_fields
    except (ijson.JSONError, json.JSONDecodeError, UnicodeDecodeError) as error:
        raise NotEpcis(f"not well-formed JSON: {error}") from error


def xml_events(stream: IO[bytes]) -> Iterator[tuple[dict[str, Any], dict[str, str], list[str]]]:
    from kiik.epcis.adapters.xml import NotAnEpcisDocument, XmlDocumentInfo, iter_xml_events

    info = XmlDocumentInfo()
    try:
        for event in iter_xml_events(stream, info):
            yield event, {}, info.ignore_fields
    except NotAnEpcisDocument as error:
        raise NotEpcis(str(error)) from error


def document_events(stream: IO[bytes]) -> Iterator[tuple[dict[str, Any], dict[str, str], list[str]]]:
    """The events of an EPCIS document in JSON-LD or XML, with what hashing them needs."""
    return xml_events(stream) if _starts_with_xml(stream) else json_events(stream)


def hash_command(
    files: Annotated[list[Path], typer.Argument(help="EPCIS documents, JSON-LD or XML", show_default=False)],
    prehash: Annotated[bool, typer.Option("--prehash", help="Also print each pre-hash string")] = False,
) -> None:
    """Print the Event Hash ID (CBV 2.0 section 8.9) of every event, one line each, in document order."""
    out = sys.stdout
    for path in files:
        if not path.is_file():
            typer.echo(f"error: {path}: no such file", err=True)
            raise typer.Exit(1)
        if len(files) > 1:
            out.write(f"==> {path} <==\n")
        lines: list[str] = []
        try:
            with path.open("rb") as stream:
                for event, namespaces, ignored in document_events(stream):
                    text = prehash_string(event, namespaces, ignore_fields=ignored)
                    lines.append(hash_id_of_prehash(text))
                    if prehash:
                        lines.append(text)
                    if len(lines) >= 2048:
                        out.write("\n".join(lines) + "\n")
                        lines.clear()
        except NotEpcis as error:
            if lines:
                out.write("\n".join(lines) + "\n")
            out.flush()
            typer.echo(f"error: {path} is not an EPCIS document: {error}", err=True)
            raise typer.Exit(1) from None
        if lines:
            out.write("\n".join(lines) + "\n")
    out.flush()


__all__ = ["document_events", "hash_command"]


if __name__ == "__main__":  # the command alone, without the start-up cost of the other kiik commands
    typer.run(hash_command)
