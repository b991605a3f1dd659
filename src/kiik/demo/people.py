"""The demo's people: one login per role of the day's work, each with a fresh random password
(made through the same service as the People page; printed once by `kiik demo`)."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass

from kiik.db.unit_of_work import UnitOfWork
from kiik.demo.monitoring import SCIENTISTS
from kiik.demo.partner import AUTHORITY
from kiik.demo.plan import TEAMS
from kiik.directory.services.people import AddPerson, add_person, set_password
from kiik.directory.services.ports import people_store

# (username, organisation, role, what the person does)
PEOPLE = (
    ("ministry.admin", "kz-ministry", "admin", "ministry administrator: people, organisations, dashboard"),
    ("ministry.officer", "kz-ministry", "operator", "ministry officer: permits, quotas, species rules"),
    ("harvest.team", TEAMS[0][0], "operator", "harvest team: field sheets"),
    ("warehouse.clerk", "almaty-warehouse", "operator", "warehouse: receive and ship by scanning"),
    ("plant.operator", "oral-plant", "operator", "processing plant: processing and yields"),
    ("exporter", "saiga-export", "operator", "exporter: permit applications"),
    ("customs.officer", "kz-customs", "operator", "customs: endorse exports, record arrivals"),
    ("inspector", "kz-inspectorate", "operator", "inspector: scan a code, see the verdict, record a seizure"),
    ("scientist", SCIENTISTS[0], "operator", "scientists: census and camera traps"),
    (
        "partner.authority",
        AUTHORITY[0],
        "viewer",
        "partner authority: China's import permits and their items, traced back to harvest",
    ),
)


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    organisation: str
    role: str
    does: str


def _password() -> str:
    return "-".join(secrets.token_hex(3) for _ in range(3))  # 20 characters, easy to type


def demo_people(uow_factory: Callable[[], UnitOfWork]) -> list[DemoLogin]:
    """Each demo person with a new password (added the first time, their password reset after)."""
    logins = []
    for username, org, role, does in PEOPLE:
        password = _password()
        with uow_factory() as uow:
            exists = people_store(uow).person(username) is not None
        if exists:
            set_password(uow_factory(), username, password)
        else:
            add_person(
                uow_factory(), AddPerson(org, username, role, password, does.split(":")[0].capitalize())
            )
        logins.append(DemoLogin(username, password, org, role, does))
    return logins
