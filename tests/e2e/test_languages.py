"""The pages in Kazakh, Russian and English (Chinese on the public check): the browser's
Accept-Language first, then the language chosen from the menu, remembered by a cookie and on a
person's account."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from urllib.parse import quote

from fastapi.testclient import TestClient

from kiik.app import create_app
from kiik.bootstrap.registry import Registry
from kiik.epcis.domain import event_builders as build
from tests.support.people import csrf_of, log_in, person
from tests.support.world import make_world


def test_accept_language_sets_the_first_page_and_a_choice_overrides_it(registry: Registry) -> None:
    with TestClient(create_app(registry)) as client:
        page = client.get("/", headers={"Accept-Language": "kk-KZ,ru;q=0.8"})
        assert '<html lang="kk">' in page.text and "Кіру" in page.text and "Құпиясөз" in page.text
        page = client.get("/", headers={"Accept-Language": "ru-RU"})
        assert '<html lang="ru">' in page.text and "Войти" in page.text and "Пароль" in page.text
        page = client.get("/", headers={"Accept-Language": "zh-CN"})
        assert '<html lang="en">' in page.text  # the staff pages are not in Chinese
        chosen = client.post(
            "/language", data={"lang": "en", "next": "/", "csrf": csrf_of(page.text)}, follow_redirects=False
        )
        assert chosen.status_code == 303 and "kiik_lang=en" in chosen.headers["set-cookie"]
        page = client.get("/", headers={"Accept-Language": "kk"})
        assert '<html lang="en">' in page.text and "Log in" in page.text
        forged = client.post("/language", data={"lang": "ru", "csrf": "forged"}, follow_redirects=False)
        assert forged.status_code == 403


def test_a_persons_language_follows_them_to_another_browser(registry: Registry) -> None:
    make_world(registry)
    person(registry, "warehouse", "dana.k")
    with TestClient(create_app(registry)) as first:
        assert log_in(first, "dana.k").status_code == 303
        home = first.get("/")
        first.post("/language", data={"lang": "ru", "next": "/", "csrf": csrf_of(home.text)})
        assert "Главная" in first.get("/").text
    with TestClient(create_app(registry)) as second:
        logged_in = log_in(second, "dana.k")
        assert "kiik_lang=ru" in logged_in.headers["set-cookie"]
        home = second.get("/")
        assert '<html lang="ru">' in home.text and "предметы по статусу" in home.text


def test_the_public_check_speaks_chinese(registry: Registry) -> None:
    world = make_world(registry)
    horn = "urn:epc:id:sgtin:4870002.000001.71"
    event = build.commissioning([horn], datetime(2025, 9, 12, tzinfo=UTC), world["harvester"].sgln)
    with TestClient(create_app(registry)) as client:
        captured = client.post(
            "/epcis/capture",
            content=json.dumps(build.document([event])),
            headers={"Authorization": f"Bearer {world['harvester'].token}"},
        )
        assert captured.status_code == 202
        page = client.get("/items/" + quote(horn, safe=""), headers={"Accept-Language": "zh-CN,zh;q=0.9"})
        assert '<html lang="zh">' in page.text and "合法来源" in page.text and "登录" in page.text
        kazakh = client.get("/items/" + quote(horn, safe=""), headers={"Accept-Language": "kk"})
        assert "Заңды шығу тегі" in kazakh.text
