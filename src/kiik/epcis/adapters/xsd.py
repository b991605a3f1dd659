"""The EPCIS 2.0 XSDs (document, query and master-data schemas), compiled once, and their errors as problems.

A document is validated in pieces so that memory stays bounded: each event element is checked on
its own inside a minimal EPCISDocument wrapper (the event keeps its source line numbers), and the
rest of the document (its envelope, with the events taken out) is checked once at the end.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from pathlib import Path

from lxml import etree

from kiik.epcis.adapters.problems import EVENT_TYPES, Problem

EPCIS_NS = "urn:epcglobal:epcis:xsd:2"
QUERY_NS = "urn:epcglobal:epcis-query:xsd:2"
MASTERDATA_NS = "urn:epcglobal:epcis-masterdata:xsd:2"
EPCIS_1_NAMESPACES = (
    "urn:epcglobal:epcis:xsd:1",
    "urn:epcglobal:epcis-query:xsd:1",
    "urn:epcglobal:epcis-masterdata:xsd:1",
)

_DRIVER = f"""<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema">
  <xsd:import namespace="{EPCIS_NS}" schemaLocation="EPCglobal-epcis-2_0.xsd"/>
  <xsd:import namespace="{QUERY_NS}" schemaLocation="EPCglobal-epcis-query-2_0.xsd"/>
  <xsd:import namespace="{MASTERDATA_NS}" schemaLocation="EPCglobal-epcis-masterdata-2_0.xsd"/>
</xsd:schema>"""

_ELEMENT_PREFIX = re.compile(r"^Element '([^']+)'(?:, attribute '([^']+)')?: ")
_EXPECTED_QUALIFIED = re.compile(r"\{([^}]+)\}(\w+)")
_QUERY_ELEMENTS = frozenset(
    {
        "QueryResults",
        "Poll",
        "GetQueryNames",
        "GetQueryNamesResult",
        "Subscribe",
        "SubscribeResult",
        "Unsubscribe",
        "UnsubscribeResult",
        "GetSubscriptionIDs",
        "GetSubscriptionIDsResult",
        "GetStandardVersion",
    }
)


def schema_directory() -> Path:
    return Path(str(resources.files("kiik.epcis.adapters").joinpath("schemas")))


@cache
def epcis_xml_schema() -> etree.XMLSchema:
    """One schema that knows EPCISDocument, EPCISQueryDocument, EPCISMasterDataDocument and their parts."""
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    driver = etree.XML(_DRIVER.encode(), parser, base_url=str(schema_directory() / "kiik-driver.xsd"))
    return etree.XMLSchema(driver)


def _message(text: str, path: str) -> str:
    """lxml's message without the element name (the path already says it), with a hint where one helps."""
    match = _ELEMENT_PREFIX.match(text)
    rest = text[match.end() :] if match else text
    if match and match.group(2):
        rest = f"attribute '{match.group(2)}': {rest}"
    if match and "This element is not expected" in rest:
        name = match.group(1)
        local = name.rsplit("}", 1)[-1]
        rest = rest.replace("This element is not expected.", f"'{local}' is not expected here.")
        qualified = [ns for ns, expected in _EXPECTED_QUALIFIED.findall(rest) if expected == local]
        if local in _QUERY_ELEMENTS and not name.startswith("{"):
            qualified = [QUERY_NS]
        rest = _shorten_expected(rest)
        if qualified and not name.startswith("{"):
            rest += (
                f" '{local}' belongs to the namespace {qualified[0]}; write it with that namespace's prefix."
            )
        elif path.rsplit("/", 2)[-2].startswith("EventList"):
            rest += f" An EventList holds only {', '.join(EVENT_TYPES)} (and extension) elements."
        elif "/EventList/" in path:
            rest += " The elements of an event must appear in the order the EPCIS 2.0 schema defines."
    return rest.strip()


def _shorten_expected(text: str) -> str:
    """lxml lists every element it would accept; six are enough to read."""
    match = re.search(r"Expected is one of \( (.*?) \)", text)
    if not match:
        return text
    names = [n.strip() for n in match.group(1).split(",")]
    if len(names) <= 6:
        return text
    listed = ", ".join(names[:6]) + f", ... ({len(names) - 6} more)"
    return text[: match.start(1)] + listed + text[match.end(1) :]


def _problems(log: etree._ListErrorLog, rewrite: tuple[str, str] | None = None) -> list[Problem]:
    problems: list[Problem] = []
    for entry in log:
        path = entry.path or ""
        if rewrite and path.startswith(rewrite[0]):
            path = rewrite[1] + path[len(rewrite[0]) :]
        problems.append(Problem(f"{path} (line {entry.line})", "xsd", _message(entry.message, path)))
    return problems


def entity_problems(element: etree._Element, path: str) -> list[Problem]:
    """Entity references are never expanded (no XXE); an event that holds one cannot be read."""
    return [
        Problem(
            f"{path} (line {node.sourceline or element.sourceline})",
            "xml",
            f"The entity reference {node.text} is not expanded: kiik reads no DTD entities. "
            "Write the text itself in the document.",
        )
        for node in element.iter(etree.Entity)
    ]


def event_xsd_problems(element: etree._Element, event_path: str) -> list[Problem]:
    """XSD problems of one event element; it is moved into a wrapper document to be checked."""
    entities = entity_problems(element, event_path)
    if entities:
        return entities
    # Prefixes in scope are carried over: attribute values such as xsi:type="xsd:integer" use them.
    in_scope = {prefix: uri for prefix, uri in element.nsmap.items() if prefix not in (None, "epcis")}
    wrapper = etree.Element(
        f"{{{EPCIS_NS}}}EPCISDocument",
        nsmap={**in_scope, "epcis": EPCIS_NS},
        schemaVersion="2.0",
        creationDate="2000-01-01T00:00:00Z",
    )
    event_list = etree.SubElement(etree.SubElement(wrapper, "EPCISBody"), "EventList")
    event_list.append(element)
    schema = epcis_xml_schema()
    if schema.validate(wrapper):
        return []
    wrapped_path = wrapper.getroottree().getpath(element)
    return _problems(schema.error_log, (wrapped_path, event_path))


def envelope_xsd_problems(root: etree._Element) -> list[Problem]:
    """XSD problems of the document once its events have been taken out."""
    namespace = etree.QName(root).namespace
    local = etree.QName(root).localname
    if namespace in EPCIS_1_NAMESPACES:
        return [
            Problem(
                f"/{root.prefix + ':' if root.prefix else ''}{local} (line {root.sourceline})",
                "xsd",
                f"This is an EPCIS 1.x document (namespace {namespace}); kiik reads EPCIS 2.0 "
                f"documents, whose namespace is {EPCIS_NS}.",
            )
        ]
    entities = entity_problems(root, f"/{local}")
    if entities:
        return entities
    schema = epcis_xml_schema()
    if schema.validate(root.getroottree()):
        return []
    return _problems(schema.error_log)


def root_problem(root: etree._Element) -> Problem | None:
    """A problem when the root element is no EPCIS 2.0 document at all."""
    namespace = etree.QName(root).namespace
    if namespace in (EPCIS_NS, QUERY_NS, MASTERDATA_NS) or namespace in EPCIS_1_NAMESPACES:
        return None
    local = etree.QName(root).localname
    return Problem(
        f"/{local} (line {root.sourceline})",
        "xml",
        f"The root element is <{local}>{f' in namespace {namespace}' if namespace else ''}, not an "
        f'EPCIS 2.0 document: wrap events in <epcis:EPCISDocument xmlns:epcis="{EPCIS_NS}" '
        'schemaVersion="2.0" creationDate="..."><EPCISBody><EventList>...</EventList></EPCISBody>.',
    )
