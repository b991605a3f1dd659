"""Units of measure of sensor reports and quantities (UN/ECE Recommendation 20 codes, as CBV uses them),
and the conversion between units of one dimension: the one table kiik converts with.

EPCIS 2.0 section 8.2.7.1 compares a sensor value asked in one unit (`GE_value_CEL=20`) with reports in
any unit of the same dimension, after converting the report's value into the unit asked: a report of
68 FAH matches `GE_value_CEL=20`. A unit this table does not hold compares only with itself.

Each unit is the factor and offset that take a value in it to the dimension's base unit
(base = value * factor + offset); temperatures are the only units with an offset.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Unit:
    dimension: str
    factor: float
    offset: float = 0.0


UNITS: dict[str, Unit] = {
    # temperature, base kelvin
    "KEL": Unit("temperature", 1.0),
    "CEL": Unit("temperature", 1.0, 273.15),
    "FAH": Unit("temperature", 5 / 9, 273.15 - 32 * 5 / 9),
    # mass, base kilogram
    "KGM": Unit("mass", 1.0),
    "GRM": Unit("mass", 1e-3),
    "MGM": Unit("mass", 1e-6),
    "MC": Unit("mass", 1e-9),  # microgram
    "TNE": Unit("mass", 1e3),  # tonne
    "LBR": Unit("mass", 0.45359237),  # pound
    "ONZ": Unit("mass", 0.028349523125),  # ounce
    # length, base metre
    "MTR": Unit("length", 1.0),
    "KMT": Unit("length", 1e3),
    "CMT": Unit("length", 1e-2),
    "MMT": Unit("length", 1e-3),
    "INH": Unit("length", 0.0254),
    "FOT": Unit("length", 0.3048),
    # speed, base metre per second
    "MTS": Unit("speed", 1.0),
    "KMH": Unit("speed", 1 / 3.6),
    # volume, base cubic metre
    "MTQ": Unit("volume", 1.0),
    "LTR": Unit("volume", 1e-3),
    "MLT": Unit("volume", 1e-6),
    # mass concentration, base kilogram per cubic metre
    "KMQ": Unit("concentration", 1.0),
    "A93": Unit("concentration", 1e-3),  # gram per cubic metre
    "GQ": Unit("concentration", 1e-9),  # microgram per cubic metre
    # pressure, base pascal
    "PAL": Unit("pressure", 1.0),
    "KPA": Unit("pressure", 1e3),
    "BAR": Unit("pressure", 1e5),
    "MBR": Unit("pressure", 1e2),  # millibar
    # time, base second
    "SEC": Unit("time", 1.0),
    "MIN": Unit("time", 60.0),
    "HUR": Unit("time", 3600.0),
    "DAY": Unit("time", 86400.0),
    # ratios, base one
    "P1": Unit("ratio", 1e-2),  # percent
    "C62": Unit("ratio", 1.0),  # one
    # illuminance (lux) and luminous intensity are single units here, listed so that they are known
    "LUX": Unit("illuminance", 1.0),
}

# Converted values are rounded to this many decimal places, so that 68 FAH equals 20 CEL exactly.
PLACES = 9


def convert(value: float, given: str, wanted: str) -> float | None:
    """`value` in unit `given` expressed in unit `wanted`, or None when the two cannot be compared
    (different dimensions, or a unit this table does not hold that is not `wanted` itself)."""
    if given == wanted:
        return value
    source, target = UNITS.get(given), UNITS.get(wanted)
    if source is None or target is None or source.dimension != target.dimension:
        return None
    base = value * source.factor + source.offset
    return round((base - target.offset) / target.factor, PLACES)


def is_known(unit: str) -> bool:
    return unit in UNITS
