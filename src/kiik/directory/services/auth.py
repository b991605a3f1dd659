"""Organisations, sites and API tokens; turning a presented token into a principal."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from typing import Any

from kiik.db.unit_of_work import UnitOfWork
from kiik.directory.domain.contact import Contact
from kiik.directory.domain.errors import DirectoryError as DirectoryError  # raised here, imported from here
from kiik.directory.domain.permissions import OrgKind, Permission, Principal, Role, require
from kiik.directory.domain.places import read_place
from kiik.directory.services.audit import record
from kiik.epcis.domain.identifiers import InvalidIdentifier, parse_identifier
from kiik.errors import N_

TOKEN_PREFIX = "kiik_"
ORG_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


def hash_token(token: str) -> str:
    # Tokens are 256-bit random strings, so a plain SHA-256 is enough; only the hash is stored.
    return hashlib.sha256(token.encode()).hexdigest()


def authenticate(uow: UnitOfWork, token: str) -> Principal | None:
    with uow:
        grant = uow.directory.grant_for(hash_token(token.strip()))
    if grant is None:
        return None
    org = grant.org
    return Principal(org.id, org.code, org.name, OrgKind(org.kind), Role(grant.role), org.country)


def token_id(uow: UnitOfWork, token: str) -> int | None:
    """The id of a valid API token (what a subscription made with it is bound to), None otherwise."""
    with uow:
        grant = uow.directory.grant_for(hash_token(token.strip()))
    return None if grant is None else int(grant.token_id)


@dataclass(frozen=True)
class IssuedToken:
    token: str
    org_code: str
    role: str


def canonical_key(text: str | None, kind: str) -> str | None:
    """A GS1 key as kiik stores it (None for none), refused when it is not a valid key of `kind`."""
    if not text:
        return None
    try:
        identifier = parse_identifier(text)
    except InvalidIdentifier as exc:
        raise DirectoryError(
            N_("%(kind)s %(text)s is not valid: %(reason)s", kind=kind, text=repr(text), reason=exc)
        ) from exc
    if identifier.kind != kind:
        raise DirectoryError(
            N_(
                "%(text)s is a %(found)s, not a %(wanted)s",
                text=repr(text),
                found=identifier.kind.upper(),
                wanted=kind.upper(),
            )
        )
    return identifier.canonical


def add_organisation(
    uow: UnitOfWork,
    code: str,
    name: str,
    kind: str,
    pgln: str | None = None,
    country: str | None = None,
    actor: Principal | None = None,
    home: str = "KZ",
    contact: Contact | None = None,
) -> int:
    """Register an organisation, of this registry's country (`home`) unless another is given, with
    whom to contact there (`read_contact` checks what a person wrote).

    A partner authority stands for an importing country: it must name it, and not this registry's
    own, since what it may read is what was exported to its country. `actor` is None only for the
    operator's own CLI."""
    if actor is not None:
        require(actor, Permission.ORGANISATIONS_MANAGE)
    org_kind = organisation_kind(kind)
    code, name = code.strip(), organisation_name(name)
    if not ORG_CODE.match(code):
        raise DirectoryError(
            N_(
                "%(code)s is not a usable organisation code: 1 to 64 letters, digits, dots, dashes or "
                "underscores, starting with a letter or digit (e.g. oral-plant)",
                code=repr(code),
            )
        )
    canonical_pgln = canonical_key(pgln, "pgln")
    country = country_of(country, org_kind, home)
    with uow:
        if uow.directory.organisation(code) is not None:
            raise DirectoryError(N_("an organisation with code %(code)s exists already", code=repr(code)))
        if canonical_pgln and uow.directory.organisation_by_pgln(canonical_pgln) is not None:
            raise DirectoryError(N_("the PGLN %(pgln)s belongs to another organisation already", pgln=pgln))
        contact = contact or Contact()
        org = uow.directory.add_organisation(code, name, org_kind.value, canonical_pgln, country, contact)
        given = {field: value for field, value in contact.to_json().items() if value}
        details = {"name": name, "kind": org_kind.value, "pgln": canonical_pgln, "country": country, **given}
        record(uow, actor, "organisation.added", code, **details)
        uow.commit()
    return int(org.id)


def organisation_kind(kind: str) -> OrgKind:
    try:
        return OrgKind(kind)
    except ValueError:
        raise DirectoryError(
            N_(
                "unknown organisation kind %(kind)s: use one of %(kinds)s",
                kind=repr(kind),
                kinds=", ".join(OrgKind),
            )
        ) from None


def organisation_name(name: str) -> str:
    if not name.strip() or len(name.strip()) > 200:
        raise DirectoryError(N_("name the organisation (at most 200 characters)"))
    return name.strip()


def country_of(country: str | None, kind: OrgKind, home: str) -> str:
    """The country an organisation of `kind` belongs to (this registry's by default)."""
    if kind is OrgKind.PARTNER_AUTHORITY and (country is None or country.strip().upper() == home.upper()):
        raise DirectoryError(
            N_(
                "a partner authority stands for an importing country: give it with --country (ISO 3166 "
                "alpha-2, such as CN), not this registry's own (%(home)s)",
                home=home.upper(),
            )
        )
    chosen = (country or home).strip().upper()
    if len(chosen) != 2 or not chosen.isalpha():
        raise DirectoryError(
            N_(
                "%(country)s is not a country code: give ISO 3166 alpha-2, such as KZ or CN",
                country=repr(country),
            )
        )
    return chosen


def registered_site(uow: UnitOfWork, sgln: str, what: str) -> Any:
    canonical = canonical_key(sgln, "sgln")
    found = uow.directory.site(canonical) if canonical else None
    if found is None:
        raise DirectoryError(
            N_(
                "%(what)s: no site %(sgln)s is registered; add it first (`kiik site add`)",
                what=what,
                sgln=sgln,
            )
        )
    return found


def add_site(
    uow: UnitOfWork,
    org_code: str,
    sgln: str,
    name: str,
    actor: Principal | None = None,
    *,
    parent: str | None = None,
    region: str | None = None,
    latitude: str | float | None = None,
    longitude: str | float | None = None,
) -> str:
    """Register a site of an organisation, optionally within a registered site (its parent), in a
    region (any spelling `region_of` reads) and at coordinates (decimal degrees)."""
    if actor is not None:
        require(actor, Permission.ORGANISATIONS_MANAGE)
    place = read_place(region, latitude, longitude)
    canonical_sgln = canonical_key(sgln, "sgln")
    if canonical_sgln is None:
        raise DirectoryError("give the site's GLN (an SGLN such as urn:epc:id:sgln:4870001.00001.0)")
    name = name.strip()
    if not name or len(name) > 200:
        raise DirectoryError("name the site (at most 200 characters)")
    with uow:
        org = uow.directory.organisation(org_code)
        if org is None:
            raise DirectoryError(
                N_("no organisation with code %(code)s: see `kiik org list`", code=repr(org_code))
            )
        if uow.directory.site(canonical_sgln) is not None:
            raise DirectoryError(N_("the site %(sgln)s is registered already", sgln=sgln))
        parent_site = registered_site(uow, parent, "parent") if parent else None
        uow.directory.add_site(org.id, canonical_sgln, name, parent_site.id if parent_site else None, place)
        details: dict[str, Any] = {"parent": parent_site.sgln} if parent_site else {}
        details.update({field: value for field, value in place.to_json().items() if value is not None})
        record(uow, actor, "site.added", canonical_sgln, organisation=org_code, name=name, **details)
        uow.commit()
    return canonical_sgln


def set_site_parent(uow: UnitOfWork, sgln: str, parent: str | None, actor: Principal | None = None) -> None:
    """Place a registered site within another (None: within none); a site cannot lie within itself
    or within one of the sites that lie within it."""
    if actor is not None:
        require(actor, Permission.ORGANISATIONS_MANAGE)
    with uow:
        site = registered_site(uow, sgln, "site")
        parent_site = registered_site(uow, parent, "parent") if parent else None
        if parent_site is not None:
            parents = {s.id: s.parent_id for s in uow.directory.sites()}
            above: int | None = parent_site.id
            while above is not None:
                if above == site.id:
                    raise DirectoryError(
                        N_(
                            "parent: %(parent)s lies within %(sgln)s (or is it): a site cannot lie within "
                            "itself",
                            parent=parent,
                            sgln=sgln,
                        )
                    )
                above = parents.get(above)
        uow.directory.set_site_parent(site.id, parent_site.id if parent_site else None)
        record(uow, actor, "site.moved", site.sgln, parent=parent_site.sgln if parent_site else "")
        uow.commit()


def create_token(
    uow: UnitOfWork, org_code: str, role: str, label: str = "", actor: Principal | None = None
) -> IssuedToken:
    """Make a new API token for an organisation; the token is shown once and only its hash is kept."""
    try:
        token_role = Role(role)
    except ValueError:
        raise DirectoryError(f"unknown role {role!r}: use one of {', '.join(Role)}") from None
    with uow:
        org = uow.directory.organisation(org_code)
        if org is None:
            raise DirectoryError(f"no organisation with code {org_code!r}: see `kiik org list`")
        if actor is not None:
            require(actor, Permission.TOKENS_MANAGE)
            if actor.org_id != org.id and not actor.may(Permission.ORGANISATIONS_MANAGE):
                raise DirectoryError("you may only make tokens for your own organisation")
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        uow.directory.add_token(hash_token(token), org.id, token_role.value, label)
        # The token itself is never written anywhere but to whoever asked for it.
        record(uow, actor, "token.created", org_code, role=token_role.value, label=label)
        uow.commit()
    return IssuedToken(token, org.code, token_role.value)
