"""The SimpleEventQuery parameters that look inside an event's body (EPCIS 2.0 section 8.2.7.1).

Columns kiik stores for each event (type, times, action, business step, disposition, places, IDs,
identifiers) are filtered in SQL; what only the event's body holds is filtered here, in plain
Python, on the event dict:

- user extensions, ILMD, error declarations, read points, business locations and sensor data:
  `EQ_`, `GT_`, `GE_`, `LT_`, `LE_` and `EXISTS_` on `prefix:local` fields, with `INNER_` for
  fields nested inside an extension field and `ILMD_`, `ERROR_DECLARATION_`, `SENSORELEMENT_`,
  `SENSORMETADATA_`, `SENSORREPORT_`, `readPoint_`, `bizLocation_` for where the field is;
- standard fields kiik keeps no column for: business transactions, sources and destinations by
  type, transformationID, persistent dispositions, error reasons and corrective events, quantities
  (with or without unit), and the sensor parameters (`EQ_type`, `GE_value_CEL`, `EQ_deviceID`, ...);
- master data: `HASATTR_` and `EQATTR_` on the attributes kiik knows of a place (its site).

Each parameter is one `BodyFilter`; an event matches a query when it matches every filter.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from kiik.epcis.domain.query_values import Asked, FilterError, matches, number, ordering_value, word
from kiik.epcis.domain.units import convert

Event = Mapping[str, Any]
# A place's master data (attribute name -> value) by its URI, None for a place without any.
MasterData = Callable[[str], Mapping[str, str] | None]

_EXTENSION = re.compile(
    r"^(EQ|GT|GE|LT|LE|EXISTS)_(INNER_)?"
    r"(ILMD_|ERROR_DECLARATION_|SENSORELEMENT_|SENSORMETADATA_|SENSORREPORT_|readPoint_|bizLocation_)?"
    r"([A-Za-z][\w.\-]*:[\w.\-]+)$"
)
_TYPED = re.compile(r"^EQ_(bizTransaction|source|destination)_(\S+)$")
_MEASURE = re.compile(
    r"^(EQ|GT|GE|LT|LE)_(value|minValue|maxValue|meanValue|sDev|percValue|percRank|quantity)(?:_([A-Z0-9]+))?$"
)
_SENSOR_TIME = re.compile(r"^(GE|LT)_(time|startTime|endTime)$")
_ERROR_TIME = re.compile(r"^(GE|LT)_errorDeclaration_Time$")
_HAS_ATTRIBUTE = re.compile(r"^HASATTR_(readPoint|bizLocation)$")
_ATTRIBUTE_EQUALS = re.compile(r"^EQ_?ATTR_(readPoint|bizLocation)_(\w+)$")

# Sensor attributes asked by EQ_<name>: where they may be (metadata, report) and whether they are words.
SENSOR_WORDS = {
    "EQ_type": ("sensorReport",),
    "EQ_deviceID": ("sensorMetadata", "sensorReport"),
    "EQ_dataProcessingMethod": ("sensorMetadata", "sensorReport"),
    "EQ_microorganism": ("sensorReport",),
    "EQ_chemicalSubstance": ("sensorReport",),
    "EQ_bizRules": ("sensorMetadata",),
    "EQ_stringValue": ("sensorReport",),
    "EQ_hexBinaryValue": ("sensorReport",),
    "EQ_uriValue": ("sensorReport",),
    "EQ_booleanValue": ("sensorReport",),
    "EQ_uom": ("sensorReport",),
    "EQ_component": ("sensorReport",),
    "EQ_exception": ("sensorReport",),
}
SIMPLE = frozenset(
    {
        *SENSOR_WORDS,
        "EQ_transformationID",
        "EQ_persistentDisposition_set",
        "EQ_persistentDisposition_unset",
        "EQ_errorReason",
        "EQ_correctiveEventID",
        "EXISTS_sensorElementList",
    }
)
_QUANTITY_LISTS = ("quantityList", "childQuantityList", "inputQuantityList", "outputQuantityList")


@dataclass(frozen=True)
class BodyFilter:
    """One parameter that is checked on the event's body."""

    parameter: str
    test: Callable[[Event, MasterData], bool] = field(compare=False)
    needs_master_data: bool = False

    def __call__(self, event: Event, master_data: MasterData | None = None) -> bool:
        return self.test(event, master_data or _no_master_data)


def _no_master_data(_: str) -> None:
    return None


# -- where fields are -------------------------------------------------------------------------------
def _dicts(value: Any) -> list[Mapping[str, Any]]:
    items = value if isinstance(value, list) else [value]
    return [item for item in items if isinstance(item, Mapping)]


def _sensor_elements(event: Event) -> list[Mapping[str, Any]]:
    return _dicts(event.get("sensorElementList") or [])


def _reports(event: Event) -> list[Mapping[str, Any]]:
    return [r for element in _sensor_elements(event) for r in _dicts(element.get("sensorReport") or [])]


def _metadata(event: Event) -> list[Mapping[str, Any]]:
    return [m for element in _sensor_elements(event) for m in _dicts(element.get("sensorMetadata") or {})]


_CONTAINERS: dict[str, Callable[[Event], list[Mapping[str, Any]]]] = {
    "": lambda event: [event],
    "ILMD_": lambda event: _dicts(event.get("ilmd") or {}),
    "ERROR_DECLARATION_": lambda event: _dicts(event.get("errorDeclaration") or {}),
    "SENSORELEMENT_": _sensor_elements,
    "SENSORMETADATA_": _metadata,
    "SENSORREPORT_": _reports,
    "readPoint_": lambda event: _dicts(event.get("readPoint") or {}),
    "bizLocation_": lambda event: _dicts(event.get("bizLocation") or {}),
}


def _nested(value: Any, name: str) -> Iterator[Any]:
    """The values of every field called `name` anywhere inside an extension field's value."""
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, Mapping):
            for key, inner in item.items():
                if key == name:
                    yield from _top(inner)
                if not key.startswith("@"):
                    yield from _nested(inner, name)


def _top(value: Any) -> Iterator[Any]:
    """The values of a field itself: a nested object counts as a value (it exists, equals nothing)."""
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, Mapping):
            yield item["@value"] if "@value" in item else item
        elif item is not None:
            yield item


def _extension_values(containers: list[Mapping[str, Any]], name: str, inner: bool) -> Iterator[Any]:
    for container in containers:
        if not inner:
            yield from _top(container.get(name))
            continue
        for key, value in container.items():
            if ":" in key and not key.startswith("@"):
                yield from _nested(value, name)


def _asked(parameter: str, relation: str, values: tuple[str, ...]) -> tuple[Asked, ...]:
    if relation == "EQ":
        return tuple(Asked.read(v) for v in values)
    if relation == "EXISTS":
        return ()
    if len(values) != 1:
        raise FilterError(f"{parameter}: give one value to compare with, not {len(values)}")
    return (ordering_value(parameter, values[0]),)


def _existence(parameter: str, values: tuple[str, ...]) -> bool:
    text = values[0].strip().lower() if values else ""
    if text in ("", "true", "1"):
        return True
    if text in ("false", "0"):
        return False
    raise FilterError(f"{parameter}: {values[0]!r} is not a boolean; leave it empty or use true or false")


def _extension_filter(parameter: str, found: re.Match[str], values: tuple[str, ...]) -> BodyFilter:
    relation, inner, where, name = found.group(1), bool(found.group(2)), found.group(3) or "", found.group(4)
    containers = _CONTAINERS[where]
    asked = _asked(parameter, relation, values)
    wanted = _existence(parameter, values) if relation == "EXISTS" else True

    def test(event: Event, _: MasterData) -> bool:
        held = _extension_values(containers(event), name, inner)
        return matches(relation, asked, held) == wanted

    return BodyFilter(parameter, test)


# -- standard fields --------------------------------------------------------------------------------
def _typed_filter(parameter: str, found: re.Match[str], values: tuple[str, ...]) -> BodyFilter:
    kind, wanted_type = found.group(1), word(found.group(2))
    listed = {
        "bizTransaction": "bizTransactionList",
        "source": "sourceList",
        "destination": "destinationList",
    }
    wanted = set(values)

    def test(event: Event, _: MasterData) -> bool:
        return any(
            word(entry.get("type", "")) == wanted_type and entry.get(kind) in wanted
            for entry in _dicts(event.get(listed[kind]) or [])
        )

    return BodyFilter(parameter, test)


def _in_unit(entry: Mapping[str, Any], attribute: str, unit: str | None) -> Any:
    """An entry's value of `attribute`, converted into `unit` (None: as it is; a value that cannot be
    converted into it, another dimension or no unit given, is None: it matches nothing)."""
    value = entry.get(attribute)
    if unit is None or value is None or attribute == "percRank":
        return value
    held_unit = entry.get("uom")
    if not isinstance(held_unit, str) or (found := number(value)) is None:
        return None
    return convert(found, held_unit, unit)


def _measure_filter(
    parameter: str, found: re.Match[str], values: tuple[str, ...], unit: str | None = None
) -> BodyFilter:
    relation, attribute = found.group(1), found.group(2)
    unit = found.group(3) or unit
    asked = _asked(parameter, relation, values)
    if asked and any(a.as_number is None for a in asked):
        raise FilterError(f"{parameter}: {values[0]!r} is not a number")

    def entries(event: Event) -> list[Mapping[str, Any]]:
        if attribute == "quantity":
            return [q for name in _QUANTITY_LISTS for q in _dicts(event.get(name) or [])]
        return _reports(event)

    def test(event: Event, _: MasterData) -> bool:
        held = (_in_unit(e, attribute, unit) for e in entries(event))
        return matches(relation, asked, (v for v in held if v is not None))

    return BodyFilter(parameter, test)


def _attribute_filter(
    parameter: str, relation: str, attribute: str, values: tuple[str, ...], places: tuple[str, ...]
) -> BodyFilter:
    asked = tuple(Asked.read(v) for v in values)

    def held(event: Event, master_data: MasterData, place: str) -> Iterable[Any]:
        where = event.get(place)
        place_id = where.get("id") if isinstance(where, Mapping) else None
        known = master_data(place_id) if isinstance(place_id, str) else None
        if not known:
            return []
        if relation == "HAS":
            return [name for name, value in known.items() if value not in (None, "")]
        return [known[attribute]] if known.get(attribute) not in (None, "") else []

    def test(event: Event, master_data: MasterData) -> bool:
        return any(matches("EQ", asked, held(event, master_data, place)) for place in places)

    return BodyFilter(parameter, test, needs_master_data=True)


def _simple_filter(parameter: str, values: tuple[str, ...]) -> BodyFilter:
    asked = tuple(Asked.read(v) for v in values)

    def held(event: Event) -> Iterable[Any]:
        if parameter in SENSOR_WORDS:
            attribute = parameter.removeprefix("EQ_")
            sources = {"sensorMetadata": _metadata, "sensorReport": _reports}
            return [e.get(attribute) for where in SENSOR_WORDS[parameter] for e in sources[where](event)]
        if parameter == "EQ_transformationID":
            return [event.get("transformationID")]
        if parameter.startswith("EQ_persistentDisposition_"):
            change = parameter.removeprefix("EQ_persistentDisposition_")
            return [
                word(w) for d in _dicts(event.get("persistentDisposition") or {}) for w in d.get(change) or []
            ]
        declaration = event.get("errorDeclaration")
        declaration = declaration if isinstance(declaration, Mapping) else {}
        if parameter == "EQ_errorReason":
            return [declaration.get("reason")]
        return list(declaration.get("correctiveEventIDs") or [])

    if parameter == "EXISTS_sensorElementList":
        wanted = _existence(parameter, values)
        return BodyFilter(parameter, lambda event, _: bool(_sensor_elements(event)) == wanted)
    return BodyFilter(
        parameter, lambda event, _: matches("EQ", asked, (v for v in held(event) if v is not None))
    )


def _time_filter(parameter: str, relation: str, where: str, values: tuple[str, ...]) -> BodyFilter:
    asked = _asked(parameter, relation, values)
    if asked[0].as_time is None:
        raise FilterError(
            f"{parameter}: {values[0]!r} is not a date-time; write it as in 2025-09-12T07:30:00Z"
        )

    def held(event: Event) -> Iterable[Any]:
        if where == "declarationTime":
            declaration = event.get("errorDeclaration")
            return [declaration.get(where)] if isinstance(declaration, Mapping) else []
        found = [m.get(where) for m in _metadata(event)]
        if where == "time":
            found += [r.get(where) for r in _reports(event)]
        return found

    return BodyFilter(parameter, lambda event, _: matches(relation, asked, (v for v in held(event) if v)))


def body_filter(parameter: str, values: tuple[str, ...], *, unit: str | None = None) -> BodyFilter | None:
    """The filter a parameter names, or None when the parameter is not one of the body's.

    `unit` is the unit a value parameter given without one (`GE_value`) is read in: the query's
    `EQ_uom` when it names one unit. Raises FilterError when the parameter is one of them but its
    value cannot be read."""
    if parameter in SIMPLE:
        return _simple_filter(parameter, values)
    if found := _EXTENSION.match(parameter):
        return _extension_filter(parameter, found, values)
    if found := _TYPED.match(parameter):
        return _typed_filter(parameter, found, values)
    if found := _MEASURE.match(parameter):
        return _measure_filter(parameter, found, values, unit)
    if found := _SENSOR_TIME.match(parameter):
        return _time_filter(parameter, found.group(1), found.group(2), values)
    if found := _ERROR_TIME.match(parameter):
        return _time_filter(parameter, found.group(1), "declarationTime", values)
    if found := _HAS_ATTRIBUTE.match(parameter):
        return _attribute_filter(parameter, "HAS", "", values, (found.group(1),))
    if found := _ATTRIBUTE_EQUALS.match(parameter):
        return _attribute_filter(parameter, "EQ", found.group(2), values, (found.group(1),))
    return None


_FAMILIES = (_EXTENSION, _TYPED, _MEASURE, _SENSOR_TIME, _ERROR_TIME, _HAS_ATTRIBUTE, _ATTRIBUTE_EQUALS)


def is_body_parameter(parameter: str) -> bool:
    """Whether a parameter is one that `body_filter` reads."""
    return parameter in SIMPLE or any(family.match(parameter) for family in _FAMILIES)


def is_multi_valued(parameter: str) -> bool:
    """EQ_ and HASATTR_ parameters take several values separated by |; comparisons take one."""
    return parameter.startswith(("EQ_", "EQATTR_", "HASATTR_"))
