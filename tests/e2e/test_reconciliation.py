"""Reconciliation between two registries on loopback ports, read as the ministry reads it: over
HTTP (JSON and CSV), on the page, and with `kiik partner reconcile`; both sides agree on what is
wrong with a consignment that arrived short, light and with a stray."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from kiik.directory.services.auth import create_token
from kiik.epcis.domain.identifiers import canonical_key
from kiik.partners.services.delivery import deliver_outbox
from kiik.partners.services.imports import RecordArrival, record_arrival
from tests.e2e.test_cli import kiik
from tests.e2e.test_partner_exchange import export_season
from tests.support.partner import linked_registries

STRAY = canonical_key("urn:epc:id:sgtin:4870002.000001.99")


@pytest.fixture(scope="module")
def consignment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """Kazakhstan exports two lots to China; China's customs weighs the first 0.2 kg light, does not
    find the second and scans a stray code; the confirmation goes back."""
    tmp = tmp_path_factory.mktemp("reconcile")
    with linked_registries(tmp) as link:
        kz, cn, china, client = link.kz, link.cn, link.china, link.client
        number = export_season(kz)
        assert deliver_outbox(kz.uow, client, force=True).delivered
        with cn.uow() as uow:
            [notice] = uow.consignments.notified(number, None, None)
        first, second = sorted(notice.items)
        command = RecordArrival(number, [first, STRAY], {first: 1.6})
        record_arrival(cn.uow(), china["cn-customs"].principal, command)
        assert deliver_outbox(cn.uow, client, force=True).delivered
        tokens = {
            code: create_token(kz.uow(), code, "viewer").token for code in ("ministry", "customs", "trader")
        }
        tokens["cn-customs"] = china["cn-customs"].token
        tokens["cn-authority"] = china["cn-authority"].token
        yield {
            "kz": kz,
            "cn": cn,
            "kz_url": link.kz_url,
            "cn_url": link.cn_url,
            "number": number,
            "lots": (first, second),
            "tokens": tokens,
            "db": f"sqlite:///{tmp / 'kz.db'}",
            "cn_db": f"sqlite:///{tmp / 'cn.db'}",
        }


def get(url: str, token: str | None, **params: str) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.get(f"{url}/api/partner/reconciliation", params=params, headers=headers)


EXPECTED_KINDS = ["mass_difference", "not_arrived", "not_exported"]


def test_both_registries_name_the_same_discrepancies_over_http(consignment) -> None:  # type: ignore[no-untyped-def]
    c = consignment
    first, second = c["lots"]
    exporter = get(c["kz_url"], c["tokens"]["ministry"], permit=c["number"])
    assert exporter.status_code == 200, exporter.text
    report = exporter.json()
    assert report["summary"]["by_status"]["discrepancies"] == 1
    assert report["summary"]["discrepancies"]["mass_difference"] == 1
    [line] = report["permits"]
    assert (line["side"], line["partner"], line["status"]) == ("export", "CN", "discrepancies")
    assert line["notice"].startswith("delivered")
    found = {(d["kind"], d["item"]) for d in line["discrepancies"]}
    assert found == {("mass_difference", first), ("not_arrived", second), ("not_exported", STRAY)}
    mass = next(d for d in line["discrepancies"] if d["kind"] == "mass_difference")
    assert (mass["exported_kg"], mass["received_kg"], mass["difference_kg"]) == (
        1.8,
        1.6,
        pytest.approx(-0.2),
    )

    importer = get(c["cn_url"], c["tokens"]["cn-customs"]).json()
    [mirror] = importer["permits"]
    assert (mirror["side"], mirror["partner"], mirror["permit"]) == ("import", "KZ", c["number"])
    assert {(d["kind"], d["item"]) for d in mirror["discrepancies"]} == found


def test_the_csv_has_a_row_per_discrepancy(consignment) -> None:  # type: ignore[no-untyped-def]
    c = consignment
    by_accept = httpx.get(
        f"{c['kz_url']}/api/partner/reconciliation",
        headers={"Authorization": f"Bearer {c['tokens']['customs']}", "Accept": "text/csv"},
    )
    by_format = get(c["kz_url"], c["tokens"]["customs"], format="csv")
    assert by_accept.headers["content-type"].startswith("text/csv") and by_accept.text == by_format.text
    rows = list(csv.DictReader(io.StringIO(by_accept.text)))
    assert sorted(r["kind"] for r in rows) == EXPECTED_KINDS
    assert {r["permit"] for r in rows} == {c["number"]} and {r["side"] for r in rows} == {"export"}


def test_only_this_countrys_authorities_may_reconcile(consignment) -> None:  # type: ignore[no-untyped-def]
    c = consignment
    assert get(c["kz_url"], None).status_code == 401
    assert get(c["kz_url"], c["tokens"]["trader"]).status_code == 403
    refused = get(c["cn_url"], c["tokens"]["cn-authority"])
    assert refused.status_code == 403 and "may not reconciliation:read" in refused.json()["detail"]


def test_bad_parameters_are_named(consignment) -> None:  # type: ignore[no-untyped-def]
    c = consignment
    token = c["tokens"]["ministry"]
    bad_day = get(c["kz_url"], token, **{"from": "yesterday"})
    assert bad_day.status_code == 400 and "from='yesterday' is not a date" in bad_day.json()["detail"]
    backwards = get(c["kz_url"], token, **{"from": "2026-12-01", "to": "2026-11-01"})
    assert backwards.status_code == 400 and "after it ends" in backwards.json()["detail"]
    bad_number = get(c["kz_url"], token, permit="twelve")
    assert bad_number.status_code == 400 and "is not a permit number" in bad_number.json()["detail"]
    unknown = get(c["kz_url"], token, permit="KZ/2026/999999")
    assert unknown.status_code == 404 and "no endorsed export" in unknown.json()["detail"]
    assert get(c["kz_url"], token, side="sideways").status_code == 400


def test_the_page_puts_the_counts_first_then_what_is_wrong_per_permit(consignment) -> None:  # type: ignore[no-untyped-def]
    c = consignment
    assert httpx.get(f"{c['kz_url']}/partner/reconciliation").status_code == 303  # to the log-in page
    bearer = {"Authorization": f"Bearer {c['tokens']['ministry']}"}
    page = httpx.get(f"{c['kz_url']}/partner/reconciliation", headers=bearer)
    assert page.status_code == 200
    text = page.text
    counts = text.index("1 consignments: 1 with discrepancies, 0 agree, 0 awaiting arrival")
    assert counts < text.index(c["number"] + "</a>: discrepancies")
    for words in (
        "mass differs",
        "exported, not arrived",
        "arrived, not exported",
        "1.600 kg arrived of 1.800",
    ):
        assert words in text
    assert "Download as CSV" in text
    refused = httpx.get(
        f"{c['kz_url']}/partner/reconciliation", headers={"Authorization": f"Bearer {c['tokens']['trader']}"}
    )
    assert refused.status_code == 403 and "may not reconciliation:read" in refused.text
    wrong = httpx.get(f"{c['kz_url']}/partner/reconciliation", params={"to": "soon"}, headers=bearer)
    assert wrong.status_code == 400 and "to=&#39;soon&#39; is not a date" in wrong.text


def test_the_cli_prints_a_table_json_and_csv(consignment) -> None:  # type: ignore[no-untyped-def]
    c = consignment
    first, _ = c["lots"]
    table = kiik("partner", "reconcile", db=c["db"]).stdout
    assert "1 consignments" in table and "1 with discrepancies" in table
    assert "What does not agree" in table and "mass differs" in table and "arrived, not exported" in table
    as_json = json.loads(kiik("partner", "reconcile", "--permit", c["number"], "--json", db=c["db"]).stdout)
    assert sorted(d["kind"] for d in as_json["permits"][0]["discrepancies"]) == EXPECTED_KINDS
    rows = list(csv.DictReader(io.StringIO(kiik("partner", "reconcile", "--csv", db=c["cn_db"]).stdout)))
    assert sorted(r["kind"] for r in rows) == EXPECTED_KINDS and {r["side"] for r in rows} == {"import"}
    assert first in {r["item"] for r in rows}
    none = kiik("partner", "reconcile", "--from", "2001-01-01", "--to", "2001-12-31", db=c["db"]).stdout
    assert "0 consignments" in none
    refused = kiik("partner", "reconcile", "--from", "01/11/2026", db=c["db"], check=False)
    assert refused.returncode == 1 and "from='01/11/2026' is not a date" in refused.stderr
    both = kiik("partner", "reconcile", "--json", "--csv", db=c["db"], check=False)
    assert both.returncode == 1 and "exclusive" in both.stderr
    setting = kiik("partner", "reconcile", db=c["db"], check=False, env={"KIIK_RECONCILE_TOLERANCE_KG": "5g"})
    assert setting.returncode == 1 and "KIIK_RECONCILE_TOLERANCE_KG='5g' is not a number" in setting.stderr
    # A wider tolerance (from the environment) no longer counts the 0.2 kg difference.
    wide = kiik("partner", "reconcile", "--json", db=c["db"], env={"KIIK_RECONCILE_TOLERANCE_PERCENT": "15"})
    kinds = sorted(d["kind"] for d in json.loads(wide.stdout)["permits"][0]["discrepancies"])
    assert kinds == ["not_arrived", "not_exported"]
