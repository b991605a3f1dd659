"""Stream an EPCIS XML document: each event element as soon as it is complete, then the envelope.

lxml's iterparse builds the tree as it reads; every child of an `EventList` is handed out when its
end tag is read and then taken out of the tree, so the tree never holds more than the envelope and
one event. What remains at the end (the envelope) is validated against the XSD as a whole.

Entities are not resolved and nothing is fetched from the network (no XXE, no billion laughs).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from lxml import etree

from kiik.epcis.adapters.problems import EVENT_TYPES, Problem

EVENT_ELEMENTS = EVENT_TYPES


@dataclass
class XmlEventElement:
    element: etree._Element
    path: str  # "/epcis:EPCISDocument/EPCISBody/EventList/ObjectEvent[4]"
    line: int
    tag: str  # local name


class XmlDocumentStream:
    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream
        self.root: etree._Element | None = None
        self.kind: str | None = None
        self.namespace: str | None = None
        self.syntax_problem: Problem | None = None
        self.bare_event = False

    def raw_events(self) -> Iterator[XmlEventElement]:
        counts: dict[str, int] = {}
        current_path = "/"
        parser = etree.iterparse(
            self._stream,
            events=("start", "end"),
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            remove_comments=True,
            remove_pis=True,
        )
        try:
            for action, element in parser:
                if self.root is None:
                    self._take_root(element)
                parent = element.getparent()
                if action == "start":
                    current_path = f"line {element.sourceline}"
                    continue
                if parent is not None and _is_event_list(parent):
                    yield self._event(element, parent, counts)
                    if element.getparent() is parent:
                        parent.remove(element)
                elif parent is None and self.bare_event:
                    tag = etree.QName(element).localname
                    yield XmlEventElement(element, f"/{tag}", element.sourceline or 0, tag)
        except etree.XMLSyntaxError as error:
            line, column = error.position if error.position else (0, 0)
            self.syntax_problem = Problem(
                f"line {line}, column {column}" if line else current_path,
                "xml",
                f"The file is not well-formed XML: {error.msg}. Nothing after this point can be read.",
            )

    def _take_root(self, element: etree._Element) -> None:
        self.root = element
        name = etree.QName(element)
        self.kind, self.namespace = name.localname, name.namespace
        self.bare_event = name.namespace is None and name.localname in EVENT_ELEMENTS

    def _event(
        self, element: etree._Element, parent: etree._Element, counts: dict[str, int]
    ) -> XmlEventElement:
        """The event with its path; positions are counted here as handled events leave the tree."""
        name = etree.QName(element)
        label = f"{element.prefix}:{name.localname}" if element.prefix else name.localname
        list_path = parent.getroottree().getpath(parent)
        key = f"{list_path}/{label}"
        counts[key] = counts.get(key, 0) + 1
        return XmlEventElement(element, f"{key}[{counts[key]}]", element.sourceline or 0, name.localname)


def _is_event_list(element: etree._Element) -> bool:
    name = etree.QName(element)
    return name.localname == "EventList" and name.namespace is None
