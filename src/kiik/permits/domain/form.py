"""The boxes of the standard CITES permit form (Res. Conf. 12.3, Annex 2), filled from a signed permit.

The box numbers and captions follow permit_form_boxes.csv in the CITES reference files; the PDF
lays the permit out on them. Box 14 (the export endorsement) is left for customs: kiik records it
at export and shows it on the verification page, not in the signed document.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

DOCUMENT_BOXES: tuple[tuple[str, str], ...] = (
    ("1", "Permit number / type of document"),
    ("2", "Valid until"),
    ("3", "Importer (name and address)"),
    ("3a", "Country of import"),
    ("4", "Exporter / re-exporter (name, address, country)"),
    ("5", "Special conditions"),
    ("5a", "Purpose of the transaction"),
    ("5b", "Security stamp no."),
    ("6", "Management Authority (name, address, country)"),
)
LINE_BOXES: tuple[tuple[str, str], ...] = (
    ("7/8", "Scientific name and common name"),
    ("9", "Description of specimens, marks and numbers"),
    ("10", "Appendix and source"),
    ("11", "Quantity (including unit)"),
    ("11a", "Total exported / annual quota"),
    ("12", "Country of origin, permit no., date"),
    ("12a", "Country of last re-export, certificate no., date"),
    ("12b", "No. of the operation or date of acquisition"),
)
CLOSING_BOXES: tuple[tuple[str, str], ...] = (
    ("13", "Issued by (place, date, signature)"),
    ("14", "Export endorsement (quantity actually exported, port, date)"),
    ("15", "Bill of lading / air waybill no."),
)
ALL_BOXES = DOCUMENT_BOXES + LINE_BOXES + CLOSING_BOXES

PURPOSE_NAMES = {
    "B": "Breeding in captivity or artificial propagation",
    "E": "Educational",
    "G": "Botanical garden",
    "H": "Hunting trophy",
    "L": "Law enforcement / judicial / forensic",
    "M": "Medical (including biomedical research)",
    "N": "Reintroduction or introduction into the wild",
    "P": "Personal",
    "Q": "Circus or travelling exhibition",
    "S": "Scientific",
    "T": "Commercial",
    "Z": "Zoo",
}


def _party(party: Mapping[str, Any]) -> str:
    parts = [party.get("name", ""), party.get("address", ""), party.get("country", "")]
    return ", ".join(str(p) for p in parts if p)


def document_boxes(payload: Mapping[str, Any]) -> dict[str, str]:
    purpose = str(payload.get("purpose", ""))
    return {
        "1": f"{payload['number']}   {str(payload.get('kind', 'export')).upper()}",
        "2": str(payload.get("valid_until", "")),
        "3": _party({k: v for k, v in payload["importer"].items() if k != "country"}),
        "3a": str(payload["importer"].get("country", "")),
        "4": _party(payload["exporter"]),
        "5": str(payload.get("special_conditions") or "none"),
        "5a": f"{purpose} ({PURPOSE_NAMES.get(purpose, 'unknown')})",
        "5b": str(payload.get("security_stamp") or "electronic: Ed25519 signature, see QR code"),
        "6": _party(payload["management_authority"]),
    }


def line_boxes(line: Mapping[str, Any]) -> dict[str, str]:
    marks = list(line.get("marks", ()))
    shown = ", ".join(marks[:6]) + (f" and {len(marks) - 6} more" if len(marks) > 6 else "")
    return {
        "7/8": f"{line['scientific_name']} ({line.get('common_name', '')})",
        "9": f"{line['term_name']} ({line['term']}); marks: {shown}",
        "10": f"Appendix {line.get('appendix', '')}, source {line.get('source', '')}",
        "11": f"{line['quantity']:,.3f} {line['unit']} ({len(marks)} items)",
        "11a": str(line.get("quota_line") or "not under a quota"),
        "12": str(line.get("origin") or "Kazakhstan (country of origin)"),
        "12a": "",
        "12b": "",
    }


def closing_boxes(payload: Mapping[str, Any]) -> dict[str, str]:
    issued = payload.get("issued", {})
    signature = f"signed electronically, key {payload.get('key_id', '')}"
    return {
        "13": f"{issued.get('place', '')}, {issued.get('date', '')}, {issued.get('by', '')}; {signature}",
        "14": "to be completed by customs at export (recorded in kiik)",
        "15": "",
    }
