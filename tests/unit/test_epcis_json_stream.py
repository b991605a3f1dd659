"""The JSON event stream builds events and places tokens exactly as ijson's own parse would.

`JsonDocumentStream.raw_events` follows ijson's basic tokens and builds each event itself, for
speed. Here it is held to a plain reading with `ijson.parse` and `ijson.ObjectBuilder`: the same
items, envelope and document type, and for broken JSON the same place and reason, on odd layouts
and on every cut of them.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any

import ijson
import pytest

from kiik.epcis.adapters.json_stream import (
    EVENT_ITEM_PREFIXES,
    JsonDocumentStream,
    JsonSyntaxProblem,
    _syntax_reason,
)


def _plain_reading(data: bytes) -> tuple[list[tuple[str, Any]], Any, str | None, tuple[str, str] | None]:
    """Items, envelope, type and syntax problem, read token by token with ijson.parse."""
    items: list[tuple[str, Any]] = []
    envelope = ijson.ObjectBuilder()
    builder: ijson.ObjectBuilder | None = None
    depth = started = 0
    prefix = list_path = ""
    kind = None
    try:
        for prefix, token, value in ijson.parse(io.BytesIO(data), use_float=True):
            if builder is not None:
                builder.event(token, value)
                depth += (token in ("start_map", "start_array")) - (token in ("end_map", "end_array"))
                if depth == 0:
                    items.append((list_path, builder.value))
                    builder = None
                continue
            if prefix in EVENT_ITEM_PREFIXES:
                list_path = prefix.removesuffix(".item")
                started += 1
                if token in ("start_map", "start_array"):
                    builder, depth = ijson.ObjectBuilder(), 1
                    builder.event(token, value)
                else:
                    items.append((list_path, value))
                continue
            envelope.event(token, value)
            if prefix == "type" and token == "string":
                kind = value
    except ijson.JSONError as error:
        inside = builder is not None or prefix in EVENT_ITEM_PREFIXES
        where = f"{list_path}[{started - 1}]" if inside and started else prefix.replace(".item", "[]")
        return items, None, kind, (where, _syntax_reason(error))
    return items, getattr(envelope, "value", None), kind, None


def _stream_reading(data: bytes) -> tuple[list[tuple[str, Any]], Any, str | None, tuple[str, str] | None]:
    stream = JsonDocumentStream(io.BytesIO(data))
    items: list[tuple[str, Any]] = []
    try:
        items.extend(stream.raw_events())
    except JsonSyntaxProblem as problem:
        return items, None, stream.kind, (problem.path, problem.reason)
    return items, stream.envelope, stream.kind, None


LAYOUTS = [
    b'{"@context":["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",{"ex":"https://e/"}],'
    b'"type":"EPCISDocument","schemaVersion":"2.0","epcisBody":{"eventList":[{"type":"ObjectEvent",'
    b'"epcList":["urn:epc:id:sgtin:4012345.011111.1"],"ilmd":{"ex:a":[1,2.5,{"b":[[],{}]}]},'
    b'"readPoint":{"id":"urn:epc:id:sgln:4012345.00001.0"}},{"type":"ObjectEvent","x":null,"y":true}]}}',
    b'{"epcisBody":{"eventList":[1,"a",[1,[2,{"x":[]}]],{"a":{"b":[{"c":null}]}},true,null,[],{}]},'
    b'"type":"EPCISDocument","@context":["x",{"k":"v"}]}',
    b'{"type":"EPCISQueryDocument","epcisBody":{"queryResults":{"resultsBody":{"eventList":'
    b'[{"a":1},{"b":[1.5,-0,1e3]}]}},"eventList":[{"c":2}]}}',
    b'{"a.b":{"item":[1,{"c":[[]]}]},"epcisBody":{"x":[1,2],"eventList":[{"k.k":{"item":1}},3,[4]]},'
    b'"epcisHeader":{"h":[{"d":{}}]},"@context":"c","type":"EPCISDocument"}',
    b'{"epcisBody":{"eventList":{"item":{"a":1},"other":2}}}',
    b'{"type":1,"type":"EPCISDocument","epcisBody":{"eventList":[{"a":1}]},"type":"X"}',
    b'{"epcisBody":{"eventList":[{"a":1}],"eventList":[{"b":2}]},"epcisBody":{"eventList":[{"c":3}]}}',
    b'{"item":{"item":[{"item":1}]}}',
    b'[{"a":1}]',
]


def _cuts(data: bytes) -> Iterator[bytes]:
    for cut in range(len(data) + 1):
        yield data[:cut]
        yield data[:cut] + b"]" + data[cut:]
        yield data[:cut] + b'"' + data[cut:]


@pytest.mark.parametrize("layout", LAYOUTS, ids=range(len(LAYOUTS)))
def test_stream_reads_as_ijson_parse_does(layout: bytes) -> None:
    for data in [layout, *_cuts(layout)]:
        plain, streamed = _plain_reading(data), _stream_reading(data)
        assert json.dumps(streamed, sort_keys=True) == json.dumps(plain, sort_keys=True), data
