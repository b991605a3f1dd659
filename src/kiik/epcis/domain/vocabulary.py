"""The words kiik reads in events: CBV 2.0 business steps and dispositions, and kiik's own URIs.

CBV 2.0 has no word for a seizure or an export; the schema allows any URI there, so kiik uses
its own under `urn:kiik:` (documented in docs/vocabulary.md).
"""

from __future__ import annotations

CBV_BIZSTEP_PREFIX = "https://ref.gs1.org/cbv/BizStep-"
CBV_DISPOSITION_PREFIX = "https://ref.gs1.org/cbv/Disp-"
CBV1_BIZSTEP_PREFIX = "urn:epcglobal:cbv:bizstep:"
CBV1_DISPOSITION_PREFIX = "urn:epcglobal:cbv:disp:"

KIIK_NAMESPACE = "https://kiik.kz/voc/"
# Where kiik's XML carries what GS1's XSD has no place for (the second and later certificationInfo
# of an event: JSON allows a list, the XSD one element); kiik's reader puts it back.
XML_CARRIER_NAMESPACE = "https://kiik.kz/ns/epcis-xml/"
XML_CARRIER_PREFIX = "kiikxml"
KIIK_PREFIX = "kiik"

BIZSTEP_SEIZING = "urn:kiik:bizstep:seizing"
DISPOSITION_SEIZED = "urn:kiik:disp:seized"
DISPOSITION_EXPORTED = "urn:kiik:disp:exported"

MASS_UNITS_IN_KG = {"KGM": 1.0, "GRM": 0.001, "MGM": 0.000001, "TNE": 1000.0, "LBR": 0.45359237}


def bare_word(value: str | None, *, kind: str) -> str | None:
    """A CBV word in its bare form ("shipping"), whichever of its spellings was written.

    Non-CBV URIs are returned unchanged, so kiik's own words pass through as URIs.
    """
    if value is None:
        return None
    prefixes = (
        (CBV_BIZSTEP_PREFIX, CBV1_BIZSTEP_PREFIX)
        if kind == "bizStep"
        else (CBV_DISPOSITION_PREFIX, CBV1_DISPOSITION_PREFIX)
    )
    for prefix in prefixes:
        if value.startswith(prefix):
            return value[len(prefix) :]
    return value


def mass_in_kg(quantity: float, uom: str | None) -> float | None:
    """The mass in kilograms, or None when the unit is not a unit of mass."""
    factor = MASS_UNITS_IN_KG.get(uom or "")
    return None if factor is None else quantity * factor
