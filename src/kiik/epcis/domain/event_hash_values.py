"""How single values are written into the Event Hash ID pre-hash string (CBV 2.0 section 8.9).

Timestamps go to UTC with milliseconds, numbers lose trailing zeros, CBV words and CURIEs become
full URIs, and EPC URNs become canonical GS1 Digital Links. Where the prose of the standard leaves
room, the reference implementation (RalphTro/epcis-event-hash-generator, whose test vectors are
the expectation) decides; those choices are marked "as the reference does".
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from functools import lru_cache

from kiik.epcis.domain.identifiers import epc_to_digital_link

CBV = "https://ref.gs1.org/cbv/"
GS1_VOC = "https://gs1.org/voc/"

# The bare words of CBV 2.0 and the GS1 Web Vocabulary that JSON-LD may write without a prefix
# (the enumerations of the EPCIS 2.0 JSON Schema).
BIZ_STEPS = frozenset(
    "accepting arriving assembling collecting commissioning consigning creating_class_instance "
    "cycle_counting decommissioning departing destroying disassembling dispensing encoding "
    "entering_exiting holding inspecting installing killing loading other packing picking receiving "
    "removing repackaging repairing replacing reserving retail_selling shipping staging_outbound "
    "stock_taking stocking storing transporting unloading unpacking void_shipping sensor_reporting "
    "sampling".split()
)
DISPOSITIONS = frozenset(
    "active container_closed damaged destroyed dispensed disposed encoded expired in_progress "
    "in_transit inactive no_pedigree_match non_sellable_other partially_dispensed recalled reserved "
    "retail_sold returned sellable_accessible sellable_not_accessible stolen unknown available "
    "completeness_verified completeness_inferred conformant container_open mismatch_instance "
    "mismatch_class mismatch_quantity needs_replacement non_conformant unavailable".split()
)
BIZ_TRANSACTION_TYPES = frozenset(
    "bol cert desadv inv pedigree po poc prodorder recadv rma testprd testres upevt".split()
)
SOURCE_DESTINATION_TYPES = frozenset({"owning_party", "possessing_party", "location"})
ERROR_REASONS = frozenset({"did_not_occur", "incorrect_data"})
COMPONENTS = frozenset(
    "x y z axial_distance azimuth height spherical_radius polar_angle elevation_angle easting "
    "northing latitude longitude altitude".split()
)
MEASUREMENT_TYPES = frozenset(
    "AbsoluteHumidity AbsorbedDose AbsorbedDoseRate Acceleration Radioactivity Altitude "
    "AmountOfSubstance AmountOfSubstancePerUnitVolume Angle AngularAcceleration AngularMomentum "
    "AngularVelocity Area Capacitance Conductance Conductivity Count Density Dimensionless "
    "DoseEquivalent DoseEquivalentRate DynamicViscosity ElectricCharge ElectricCurrent "
    "ElectricCurrentDensity ElectricFieldStrength Energy Exposure Force Frequency Illuminance "
    "Inductance Irradiance KinematicViscosity Length LinearMomentum Luminance LuminousFlux "
    "LuminousIntensity MagneticFlux MagneticFluxDensity MagneticVectorPotential Mass "
    "MassConcentration MassFlowRate MassPerAreaTime MemoryCapacity MolalityOfSolute MolarEnergy "
    "MolarMass MolarVolume Power Pressure RadiantFlux RadiantIntensity RelativeHumidity Resistance "
    "Resistivity SolidAngle SpecificVolume Speed SurfaceDensity SurfaceTension Temperature Time "
    "Torque Voltage Volume VolumeFlowRate VolumeFraction VolumetricFlux Wavenumber".split()
)
SENSOR_ALERT_TYPES = frozenset({"ALARM_CONDITION", "ERROR_CONDITION"})

# field -> (bare words it accepts, the URI prefix a bare word expands to)
BARE_WORDS: dict[str, tuple[frozenset[str], str]] = {
    "bizStep": (BIZ_STEPS, CBV + "BizStep-"),
    "disposition": (DISPOSITIONS, CBV + "Disp-"),
    "set": (DISPOSITIONS, CBV + "Disp-"),
    "unset": (DISPOSITIONS, CBV + "Disp-"),
    "bizTransactionType": (BIZ_TRANSACTION_TYPES, CBV + "BTT-"),
    "sourceDestinationType": (SOURCE_DESTINATION_TYPES, CBV + "SDT-"),
    "reason": (ERROR_REASONS, CBV + "ER-"),
    "component": (COMPONENTS, CBV + "Comp-"),
    "sensorType": (MEASUREMENT_TYPES, GS1_VOC),
    "exception": (SENSOR_ALERT_TYPES, GS1_VOC),
}

# CBV 1.x URNs of vocabulary words and the CBV 2.0 Web URIs that replace them (rule 14).
_CBV_URNS = (
    ("urn:epcglobal:cbv:bizstep:", CBV + "BizStep-"),
    ("urn:epcglobal:cbv:disp:", CBV + "Disp-"),
    ("urn:epcglobal:cbv:btt:", CBV + "BTT-"),
    ("urn:epcglobal:cbv:sdt:", CBV + "SDT-"),
    ("urn:epcglobal:cbv:er:", CBV + "ER-"),
)
# CURIE prefixes expanded inside values; as the reference does, only the two standard ones.
_VALUE_CURIES = (("gs1:", GS1_VOC), ("cbv:", CBV))

_TIMESTAMP = re.compile(
    r"(\d{4})-(\d\d)-(\d\d)[Tt ](\d\d):(\d\d)(?::(\d\d)(?:[.,](\d+))?)?\s*(?:([Zz])|([+-])(\d\d):?(\d\d))?"
)
_NUMBER_START = frozenset("0123456789+-.")


def timestamp(text: str) -> str:
    """A timestamp in UTC with milliseconds, the 4th decimal rounding half up (rules 8 and 9)."""
    text = text.strip()
    parsed: datetime | None
    try:
        if len(text) < 16 or text[10] not in "Tt ":
            raise ValueError(text)
        parsed = datetime.fromisoformat(text)
    except ValueError:
        parsed = _lenient_timestamp(text)
    if parsed is None:
        return text
    moment = parsed
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    else:
        moment = moment.astimezone(UTC)
    millis, rest = divmod(moment.microsecond, 1000)
    if rest >= 500:
        moment += timedelta(microseconds=1000 - rest)
        millis = moment.microsecond // 1000
    return (
        f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}T"
        f"{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}.{millis:03d}Z"
    )


def _lenient_timestamp(text: str) -> datetime | None:
    """What `datetime.fromisoformat` refuses but a timestamp may still be: lower-case t and z."""
    match = _TIMESTAMP.fullmatch(text)
    if match is None:
        return None
    year, month, day, hour, minute, second, fraction, _zulu, sign, off_h, off_m = match.groups()
    micros = int(((fraction or "") + "000000")[:6])
    try:
        moment = datetime(
            int(year), int(month), int(day), int(hour), int(minute), int(second or 0), micros, UTC
        )
    except ValueError:
        return None
    if sign:
        offset = timedelta(hours=int(off_h), minutes=int(off_m))
        moment = moment - offset if sign == "+" else moment + offset
    return moment


def number(value: float | int | Decimal) -> str:
    """A number without trailing zeros (rule 6): 26.0 -> 26, 0.100 -> 0.1, 1e3 -> 1000."""
    if isinstance(value, int) and abs(value) < 2**53:
        return str(value)
    as_float = float(value)
    if as_float != as_float or as_float in (float("inf"), float("-inf")):
        return str(value)
    if as_float.is_integer():
        return str(int(as_float))
    return repr(as_float)


def _numeric_text(text: str) -> str:
    """Text that reads as a number is written as that number, as the reference does."""
    if not text or text[0] not in _NUMBER_START:
        return text
    try:
        parsed = float(text)
    except ValueError:
        return text
    return number(parsed)


@lru_cache(maxsize=65536)
def uri_or_text(text: str) -> str:
    """A value as it enters the pre-hash string: trimmed, URNs and CURIEs expanded, numbers tidied."""
    text = text.strip()
    if text.startswith("urn:epc:") or text.startswith(("https://", "http://")):
        return epc_to_digital_link(text)
    if text.startswith("urn:epcglobal:cbv:"):
        for urn, uri in _CBV_URNS:
            if text.startswith(urn):
                return uri + text[len(urn) :]
        return text
    for prefix, namespace in _VALUE_CURIES:
        if text.startswith(prefix):
            return namespace + text[len(prefix) :]
    return _numeric_text(text)


def scalar(value: object) -> str:
    """Any JSON scalar as pre-hash text."""
    if type(value) is str or isinstance(value, str):
        return uri_or_text(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal):
        return number(value)
    return "" if value is None else uri_or_text(str(value))


def vocabulary(field: str, value: object) -> str:
    """A value of a vocabulary field: a known bare word becomes its URI, anything else as `scalar`."""
    if isinstance(value, str):
        words, prefix = BARE_WORDS[field]
        word = value.strip()
        if word in words:
            return prefix + word
    return scalar(value)
