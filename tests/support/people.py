"""People in tests: an account made through the service, and logging in through the pages."""

from __future__ import annotations

import re
from typing import Any

from kiik.bootstrap.registry import Registry
from kiik.directory.services.people import AddPerson, add_person

PASSWORD = "steppe saiga spring"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def person(registry: Registry, org: str, username: str, role: str = "operator") -> str:
    return add_person(registry.uow(), AddPerson(org, username, role, PASSWORD, username.title()))


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


def log_in(client: Any, username: str, password: str = PASSWORD, code: str = "") -> Any:
    """Log in through the first page as a browser does; returns the answer to the form."""
    token = csrf_of(client.get("/").text)
    form = {"username": username, "password": password, "csrf": token, "code": code}
    return client.post("/login", data=form, follow_redirects=False)
