"""The demo's partners: China's wildlife authority (the importing country's, a read-only login that
follows what was exported to China back to harvest) and a partner registry's export notice, so that
customs can record an arrival from `/customs/arrivals`.

The notice is what a partner registry sends: signed with that registry's key (made here, as the
demo plays the other side), checked and applied by `receive_message`, the path
`POST /api/partner/messages` takes, which registers the notified items as shipped to this country's
customs (`apply_export_notice`)."""

from __future__ import annotations

import base64
import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from kiik.db.unit_of_work import UnitOfWork
from kiik.directory.domain.permissions import OrgKind
from kiik.directory.services.auth import add_organisation
from kiik.epcis.domain.identifiers import canonical_key
from kiik.ledger.services.signing_port import Verifier
from kiik.partners.domain.messages import EXPORT_NOTICE, make_message
from kiik.partners.services.inbox import receive_message
from kiik.partners.services.registries import add_partner

# The importing country's authority: reads what was exported to China (its permits, the items back
# to their harvest); records nothing here (a read-only kind).
AUTHORITY = ("cn-authority", "National Forestry and Grassland Administration (China)", "CN")
# The partner registry whose export notices the demo receives: Uzbekistan's, which shares the
# Ustyurt population, sending horn samples for a genetic study.
SENDER = "UZ"
SENDER_NAME = "Uzbekistan's wildlife registry"
# The demo plays Uzbekistan's registry, which no one serves: registered as a partner that collects
# its messages (the arrival's signed confirmation waits in the outbox, `kiik partner outbox UZ`),
# so `kiik serve` sends nothing to this address and retries nothing.
SENDER_URL = "https://registry.uz.invalid"
SENDER_PREFIX = "4780001"  # a GS1 company prefix of Uzbekistan (478)
HORNS_PER_NOTICE = 2
HORN_KG = 0.3
MAX_NOTICE_BYTES = 10**7


def ensure_partner_authority(uow_factory: Callable[[], UnitOfWork]) -> None:
    """China's authority, added once (a demo loaded before it existed gets it on the next run)."""
    code, name, country = AUTHORITY
    with uow_factory() as uow:
        exists = uow.directory.organisation(code) is not None
    if not exists:
        add_organisation(uow_factory(), code, name, OrgKind.PARTNER_AUTHORITY.value, None, country)


@dataclass(frozen=True)
class Notified:
    """An export notice applied here: the partner's permit number and the codes it names, as a
    scanner reads them from the horns' DataMatrix ((01)GTIN(21)serial)."""

    number: str
    codes: list[str]


def _public(key: Ed25519PrivateKey) -> str:
    raw = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _element_string(key: str) -> str:
    _, _, rest = key.partition("/01/")
    gtin, _, serial = rest.partition("/21/")
    return f"(01){gtin}(21){serial}"


def _body(number: str, keys: list[str], endorsed_at: datetime) -> dict[str, object]:
    lines = [{"item": k, "quantity": HORN_KG, "actual_quantity": HORN_KG, "term": "HOR"} for k in keys]
    return {
        "permit": {
            "number": number,
            "import_country": "KZ",
            "endorsed_at": endorsed_at.replace(tzinfo=None).isoformat() + "Z",
            "lines": lines,
        },
        "items": keys,
        "events": [],
    }


def receive_export_notices(
    uow_factory: Callable[[], UnitOfWork], verify: Verifier, country: str, serials: range
) -> list[Notified]:
    """One signed export notice of the partner registry per serial (permit UZ/<year>/<serial>, two
    horns each), received as `POST /api/partner/messages` receives it. The partner's key is new each
    time and added to the partner's keys (keys are only ever added)."""
    key = Ed25519PrivateKey.generate()
    key_id = f"{SENDER.lower()}-{hashlib.sha256(_public(key).encode()).hexdigest()[:16]}"
    published = [(key_id, _public(key))]
    add_partner(uow_factory(), None, SENDER, SENDER_NAME, SENDER_URL, published, collects=True)
    now = datetime.now(UTC)
    notices = []
    for serial in serials:
        number = f"{SENDER}/{now.year}/{serial:06d}"
        keys = [
            canonical_key(f"urn:epc:id:sgtin:{SENDER_PREFIX}.000001.{serial}{n}")
            for n in range(1, HORNS_PER_NOTICE + 1)
        ]
        body = _body(number, keys, now - timedelta(days=1))
        text = make_message(
            EXPORT_NOTICE, f"urn:uuid:{uuid.uuid4()}", SENDER, country, now.replace(tzinfo=None), body,
            key_id, key.sign,
        )  # fmt: skip
        receive_message(uow_factory(), text, country=country, max_bytes=MAX_NOTICE_BYTES, verify=verify)
        notices.append(Notified(number, [_element_string(k) for k in keys]))
    return notices
