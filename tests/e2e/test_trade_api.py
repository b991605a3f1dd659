"""Legal trade over HTTP: a cull to a shop's shelf through the API, the pack label's QR code, the
public check as JSON and as a page in Kazakh, Russian, English and Chinese."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient

from kiik.app import create_app
from kiik.bootstrap.registry import Registry
from tests.support.trade import CARCASS_GTIN, CUTS_GTIN, add_shop
from tests.support.world import make_world


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_from_the_cull_to_the_shop_and_the_public_check(registry: Registry) -> None:
    from kiik.directory.services.auth import create_token
    from kiik.species.services.register import seed_register

    world = make_world(registry)
    seed_register(registry.uow())
    add_shop(registry, "shop-oral", "Magnum shop, Oral", "4870012")
    shop = bearer(create_token(registry.uow(), "shop-oral", "operator").token)
    ministry, team = bearer(world["ministry"].token), bearer(world["harvester"].token)
    plant = bearer(world["plant"].token)
    # The page checks against today's date: the cull ran until yesterday, the meat keeps for weeks.
    now = datetime.now(UTC).replace(microsecond=0)
    yesterday = (now - timedelta(days=1)).replace(hour=10, minute=0, second=0)
    day = yesterday.date().isoformat()
    cull = {
        "number": "CULL-2025-URL-07",
        "population": "Ural",
        "area": "hunting grounds 7",
        "starts": (now - timedelta(days=60)).date().isoformat(),
        "ends": day,
        "authorisation": "KZ-2025-URL-CULL",
        "animals_allowed": 100,
        "team": "harvester",
    }
    with TestClient(create_app(registry)) as client:
        assert client.post("/api/trade/culls", json=cull, headers=team).status_code == 403
        assert client.post("/api/trade/culls", json=cull, headers=ministry).status_code == 201
        assert client.post("/api/trade/culls", json=cull, headers=ministry).status_code == 400  # taken
        delivery = {
            "cull": cull["number"],
            "gtin": CARCASS_GTIN,
            "batch": "D0901",
            "carcasses": 20,
            "mass_kg": 300.0,
            "plant": "plant",
            "at": (yesterday - timedelta(hours=2)).isoformat(),
        }
        made = client.post("/api/trade/deliveries", json=delivery, headers=team)
        assert made.status_code == 201, made.text
        batch = made.json()["code"]
        again = client.post(
            "/api/trade/deliveries", json={**delivery, "batch": "D0902", "carcasses": 90}, headers=team
        )
        assert again.status_code == 422 and again.json()["problems"][0]["rule"] == "trade.cull_exceeded"
        received = client.post(
            f"/api/trade/lots/{batch}/receipts",
            json={"at": (yesterday - timedelta(hours=1)).isoformat()},
            headers=plant,
        )
        assert received.status_code == 200, received.text
        run = {
            "product_type": "minced_meat",
            "gtin": CUTS_GTIN,
            "vet_certificate": "VET-KZ-2025-0901",
            "inputs": [{"code": batch, "mass_kg": 300.0}],
            "lots": [
                {
                    "batch": "M0902",
                    "packs": 400,
                    "pack_mass_kg": 0.5,
                    "use_by": (now + timedelta(days=20)).date().isoformat(),
                }
            ],
            "at": yesterday.isoformat(),
        }
        made = client.post("/api/trade/processing-runs", json=run, headers=plant)
        assert made.status_code == 201, made.text
        [lot] = made.json()["lots"]
        sent = client.post(f"/api/trade/lots/{lot}/shipments", json={"to": "shop-oral"}, headers=plant)
        assert sent.status_code == 200, sent.text
        assert client.post(f"/api/trade/lots/{lot}/sales", json={"packs": 5}, headers=shop).status_code == 422
        assert client.post(f"/api/trade/lots/{lot}/receipts", json={}, headers=shop).status_code == 200
        assert client.post(f"/api/trade/lots/{lot}/sales", json={"packs": 5}, headers=shop).status_code == 200
        label = client.get(f"/api/trade/lots/{lot}/label", headers=plant)
        assert label.status_code == 200 and label.headers["content-type"].startswith("image/svg+xml")
        link = label.headers["link"].split(">")[0][1:]
        assert link.endswith("/01/04870004000308/10/M0902") and "<svg" in label.text
        check = client.get("/api/trade/packs/(01)04870004000308(10)M0902")
        assert check.status_code == 200, check.text
        assert check.json()["population"] == "Ural" and check.json()["product"] == "minced_meat"
        assert client.get("/api/trade/packs/(01)04870004000308(10)NOPE").status_code == 404
        page = client.get("/01/04870004000308/10/M0902", params={"lang": "kk"})
        assert page.status_code == 200 and page.headers["content-language"] == "kk"
        assert (
            'lang="kk"' in page.text and "Тартылған ет".lower() in page.text.lower() and "Орал" in page.text
        )
        russian = client.get("/01/04870004000308/10/M0902", headers={"Accept-Language": "ru-KZ,ru;q=0.9"})
        assert russian.headers["content-language"] == "ru" and "Законно: да" in russian.text
        chinese = client.get("/01/04870004000308/10/M0902", headers={"Accept-Language": "zh-CN"})
        assert "合法：是" in chinese.text and "肉末" in chinese.text
        english = client.get("/01/04870004000308/10/M0902?lang=en")
        assert "Legal: yes" in english.text and f"{day} – {day}" in english.text
        recalled = client.post(f"/api/trade/lots/{lot}/recall", json={"reason": "Salmonella"}, headers=plant)
        assert recalled.status_code == 200, recalled.text
        page = client.get("/01/04870004000308/10/M0902?lang=en")
        assert "Not legal" in page.text and "This lot was recalled" in page.text and "Salmonella" in page.text
        unknown = client.get("/01/04870004000308/10/NOPE?lang=ru")
        assert unknown.status_code == 404 and "Неизвестный код" in unknown.text
        invalid = client.get("/01/04870004000300/10/X?lang=zh")
        assert invalid.status_code == 400 and "无效代码" in invalid.text
