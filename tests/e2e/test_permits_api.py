"""From a small season to an export, over HTTP: apply, issue, verify the PDF and QR offline and
online, endorse at customs, see the quota used; and who may do what."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from fastapi.testclient import TestClient

from kiik.app import create_app
from kiik.directory.services.auth import add_organisation, create_token
from kiik.epcis.domain.event_facts import key_of
from tests.support.season import open_register, small_season
from tests.support.world import make_world


def b64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def verify_offline(jws: str, keys: dict) -> dict:  # type: ignore[type-arg]
    """What anyone can do with the published keys and the `cryptography` package only."""
    header, payload, signature = jws.split(".")
    kid = json.loads(b64(header))["kid"]
    [key] = [k for k in keys["keys"] if k["kid"] == kid]
    Ed25519PublicKey.from_public_bytes(b64(key["x"])).verify(b64(signature), f"{header}.{payload}".encode())
    return json.loads(b64(payload))  # type: ignore[no-any-return]


@pytest.fixture
def scene(registry):  # type: ignore[no-untyped-def]
    world = make_world(registry)
    open_register(registry, world, cap=100.0)
    season = small_season(registry, world)
    add_organisation(
        registry.uow(),
        "cn-gacc",
        "General Administration of Customs of China",
        "partner_authority",
        country="CN",
    )
    tokens = {code: member.token for code, member in world.items()}
    tokens["partner"] = create_token(registry.uow(), "cn-gacc", "viewer").token
    tokens["ministry-admin"] = create_token(registry.uow(), "ministry", "admin").token
    with TestClient(create_app(registry)) as client:
        yield client, tokens, season


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_a_season_exported_under_a_permit(scene) -> None:  # type: ignore[no-untyped-def]
    client, tokens, season = scene
    lots = list(season.lots)[:2]
    application = {"items": lots, "importer_name": "Tongrentang Import Co.", "import_country": "CN"}
    applied = client.post("/api/permits", json=application, headers=auth(tokens["trader"]))
    assert applied.status_code == 201 and applied.json()["status"] == "applied", applied.text
    assert (
        client.post(
            f"/api/permits/{applied.json()['id']}/issue", json={}, headers=auth(tokens["trader"])
        ).status_code
        == 403
    )
    issued = client.post(
        f"/api/permits/{applied.json()['id']}/issue", json={}, headers=auth(tokens["ministry"])
    ).json()
    number = issued["number"]
    assert re.fullmatch(r"KZ/\d{4}/000001", number) and issued["quota"]["box_11a"].startswith(
        "3.600 / 100.000 kg"
    )

    # Offline: the PDF carries the signed permit and the QR link carries the signed seal.
    pdf = client.get(f"/api/permits/{number}/pdf", headers=auth(tokens["trader"]))
    assert (
        pdf.status_code == 200
        and pdf.content.startswith(b"%PDF")
        and pdf.headers["content-type"] == "application/pdf"
    )
    keys = client.get("/api/keys").json()
    found = set(re.findall(rb"eyJ[\w-]+\.[\w-]+\.[\w-]+", pdf.content))  # the attachment and the QR seal
    [permit_jws] = [
        t for t in found if json.loads(b64(t.split(b".")[0].decode()))["typ"] == "kiik-permit+jws"
    ]
    payload = verify_offline(permit_jws.decode(), keys)
    assert payload["number"] == number and payload["importer"]["country"] == "CN"
    assert {mark for line in payload["lines"] for mark in line["marks"]} == {key_of(lot) for lot in lots}
    [url] = re.findall(rb"/URI \((http[^)]+)\)", pdf.content)
    link = urlsplit(url.decode())
    assert link.path == f"/verify/permit/{number}"
    seal_jws = parse_qs(link.query)["seal"][0]
    seal = verify_offline(seal_jws, keys)
    assert seal["n"] == number and seal["h"] == hashlib.sha256(permit_jws).hexdigest()
    tampered = seal_jws.split(".")
    tampered[1] = base64.urlsafe_b64encode(json.dumps({**seal, "q": 9999}).encode()).rstrip(b"=").decode()
    with pytest.raises(Exception):  # noqa: B017 - InvalidSignature
        verify_offline(".".join(tampered), keys)

    # Online: the public sees the minimum, customs and the partner authority the details.
    public = client.get(f"{link.path}?{link.query}", headers={"Accept": "application/json"}).json()
    assert public["verdict"] == "valid" and public["signature"]["valid"] and public["seal"]["matches_permit"]
    assert "details" not in public and "importer" not in public
    for who in ("customs", "partner", "ministry", "trader"):
        detailed = client.get(f"/verify/permit/{number}?format=json", headers=auth(tokens[who])).json()
        assert detailed["details"]["importer"]["name"] == "Tongrentang Import Co.", who
    assert (
        "details"
        not in client.get(f"/verify/permit/{number}?format=json", headers=auth(tokens["plant"])).json()
    )
    page = client.get(f"/verify/permit/{number}")
    assert page.status_code == 200 and "is valid until" in page.text and "genuine" in page.text
    unknown = client.get("/verify/permit/KZ/2026/999999?format=json")
    assert unknown.status_code == 404 and unknown.json()["verdict"] == "unknown"

    # Customs endorses the export; the permit is used, once; the quota shows the use.
    body = {"items": lots, "quantities": {lots[1]: 1.7}, "port": "Khorgos"}
    assert (
        client.post(f"/api/permits/{number}/endorse", json=body, headers=auth(tokens["trader"])).status_code
        == 403
    )
    endorsed = client.post(f"/api/permits/{number}/endorse", json=body, headers=auth(tokens["customs"]))
    assert endorsed.status_code == 200 and endorsed.json()["status"] == "used", endorsed.text
    again = client.post(f"/api/permits/{number}/endorse", json=body, headers=auth(tokens["customs"]))
    assert again.status_code == 422 and "permit.already_used" in [p["rule"] for p in again.json()["problems"]]
    cancel = client.post(
        f"/api/permits/{number}/cancel", json={"reason": "late"}, headers=auth(tokens["ministry"])
    )
    assert cancel.status_code == 409 and "a permit is used once" in cancel.json()["detail"]
    [quota] = client.get("/api/quotas", headers=auth(tokens["trader"])).json()
    this_year = next(y for y in quota["years"] if y["year"] == int(number.split("/")[1]))
    assert (this_year["used"], this_year["reserved"], this_year["remaining"]) == (3.5, 0.0, 96.5)
    report = client.get("/api/reports/quota-use", headers=auth(tokens["ministry"])).json()
    assert report["exporters"][0]["used"] == 3.5
    assert client.get("/api/reports/quota-use", headers=auth(tokens["trader"])).status_code == 403
    csv_text = client.get(
        f"/api/reports/cites-annual?year={number.split('/')[1]}", headers=auth(tokens["ministry"])
    ).text
    assert csv_text.splitlines()[1].startswith(f"II,Saiga tatarica,POW,3.5,KGM,CN,,{number},")
    after = client.get(f"/verify/permit/{number}?format=json", headers=auth(tokens["partner"])).json()
    assert after["verdict"] == "used" and after["details"]["endorsement"]["port"] == "Khorgos"


def test_refusals_over_http(scene) -> None:  # type: ignore[no-untyped-def]
    client, tokens, season = scene
    lots = list(season.lots)
    too_much = {"items": lots, "importer_name": "X", "import_country": "CN", "unexpected": 1}
    assert client.post("/api/permits", json=too_much, headers=auth(tokens["trader"])).status_code == 400
    not_theirs = {"items": lots[:1], "importer_name": "X", "import_country": "CN"}
    answer = client.post("/api/permits", json=not_theirs, headers=auth(tokens["plant"]))
    assert answer.status_code == 403 and "permits:apply" in answer.json()["detail"]
    bad_country = {"items": lots[:1], "importer_name": "X", "import_country": "KZ"}
    assert client.post("/api/permits", json=bad_country, headers=auth(tokens["trader"])).status_code == 400
    species = client.get("/api/species", headers=auth(tokens["plant"])).json()
    assert {"Saiga tatarica", "Testudo horsfieldii"} <= {t["scientific_name"] for t in species["taxa"]}
    rule = {
        "scientific_name": "Saiga tatarica",
        "kind": "total_ban",
        "title": "Ban from 2030",
        "valid_from": "2030-01-01",
        "legal_basis": "order 1",
    }
    assert client.post("/api/species/rules", json=rule, headers=auth(tokens["trader"])).status_code == 403
    assert client.post("/api/species/rules", json=rule, headers=auth(tokens["ministry"])).status_code == 201
    assert (
        client.get("/api/species/audit", headers=auth(tokens["ministry"])).json()[-1]["action"]
        == "rule.added"
    )


def test_keys_are_published_and_a_rotation_keeps_earlier_signatures_valid(scene) -> None:  # type: ignore[no-untyped-def]
    client, tokens, season = scene
    lots = list(season.lots)

    def permit_for(items: list[str]) -> str:
        application = {"items": items, "importer_name": "Importer", "import_country": "CN"}
        applied = client.post("/api/permits", json=application, headers=auth(tokens["trader"])).json()
        return client.post(
            f"/api/permits/{applied['id']}/issue", json={}, headers=auth(tokens["ministry"])
        ).json()["number"]

    first = permit_for(lots[:1])
    before = client.get("/api/keys").json()
    assert len(before["keys"]) == 1 and before["keys"][0]["valid_until"] is None
    assert client.post("/api/keys/rotate", headers=auth(tokens["ministry"])).status_code == 403  # admins only
    rotated = client.post("/api/keys/rotate", headers=auth(tokens["ministry-admin"])).json()
    assert rotated["retired"] == before["current"] and rotated["current"] != before["current"]
    after = client.get("/api/keys").json()
    assert after["current"] == rotated["current"] and after["keys"][0]["valid_until"] is not None
    second = permit_for(lots[1:2])
    old = client.get(f"/verify/permit/{first}?format=json").json()
    new = client.get(f"/verify/permit/{second}?format=json").json()
    assert old["signature"]["valid"] and old["signature"]["key_id"] == before["current"]
    assert new["signature"]["valid"] and new["signature"]["key_id"] == rotated["current"]
    withdrawn_id = client.post(
        "/api/permits",
        json={"items": lots[2:3], "importer_name": "Importer", "import_country": "CN"},
        headers=auth(tokens["trader"]),
    ).json()["id"]
    assert client.post(f"/api/permits/{withdrawn_id}/withdraw", headers=auth(tokens["trader"])).json()[
        "status"
    ] == ("withdrawn")
    replaced = client.post(
        f"/api/permits/{first}/replace", json={"note": "box 3"}, headers=auth(tokens["ministry"])
    )
    assert replaced.status_code == 200 and replaced.json()["number"] not in (first, second)
    assert client.get(f"/verify/permit/{first}?format=json").json()["verdict"] == "replaced (void)"
    mine = client.get("/api/permits", headers=auth(tokens["trader"])).json()
    assert {p["status"] for p in mine} == {"issued", "replaced", "withdrawn"}
    assert client.get("/api/permits", headers=auth(tokens["plant"])).json() == []
