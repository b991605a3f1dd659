"""Who may do what: every permission, role and scope, declared once and tested as a matrix."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from kiik.errors import N_


class OrgKind(StrEnum):
    MINISTRY = "ministry"
    HARVESTER = "harvester"
    WAREHOUSE = "warehouse"
    PROCESSOR = "processor"
    TRADER = "trader"
    CUSTOMS = "customs"
    INSPECTORATE = "inspectorate"
    PARTNER_AUTHORITY = "partner_authority"
    RESEARCH = "research"  # scientists and NGOs: census, camera traps at fence passages


class Role(StrEnum):
    ADMIN = "admin"
    OPERATOR = "operator"
    VIEWER = "viewer"


class Permission(StrEnum):
    EVENTS_CAPTURE = "events:capture"
    EVENTS_READ = "events:read"
    ITEMS_READ = "items:read"
    CAPTURE_JOBS_READ = "capture_jobs:read"
    ORGANISATIONS_READ = "organisations:read"
    ORGANISATIONS_MANAGE = "organisations:manage"
    TOKENS_MANAGE = "tokens:manage"
    PEOPLE_MANAGE = "people:manage"
    HARVEST_AUTHORISATIONS_READ = "harvest_authorisations:read"
    HARVEST_AUTHORISATIONS_ISSUE = "harvest_authorisations:issue"
    SPECIES_READ = "species:read"
    SPECIES_MANAGE = "species:manage"
    QUOTAS_MANAGE = "quotas:manage"
    PERMITS_READ = "permits:read"
    PERMITS_APPLY = "permits:apply"
    PERMITS_DECIDE = "permits:decide"
    PERMITS_ENDORSE = "permits:endorse"
    PERMITS_VERIFY_DETAILS = "permits:verify_details"
    REPORTS_READ = "reports:read"
    KEYS_MANAGE = "keys:manage"
    STOCK_READ = "stock:read"
    STOCK_SETTINGS_MANAGE = "stock_settings:manage"
    PARTNERS_MANAGE = "partners:manage"
    RECONCILIATION_READ = "reconciliation:read"
    AUDIT_READ = "audit:read"
    CENSUS_READ = "census:read"
    CENSUS_RECORD = "census:record"
    OFFTAKE_PLANS_MANAGE = "offtake_plans:manage"
    CAMERA_TRAPS_READ = "camera_traps:read"
    CAMERA_TRAPS_IMPORT = "camera_traps:import"
    MONITORING_ALERTS_READ = "monitoring_alerts:read"
    SEIZURES_READ = "seizures:read"
    SEIZURES_RECORD = "seizures:record"
    LEAK_ALERTS_READ = "leak_alerts:read"
    LEAK_ALERTS_REVIEW = "leak_alerts:review"
    LEAK_ALERTS_OWN = "leak_alerts:own"
    CASES_MANAGE = "cases:manage"
    REHABILITATION_RECORD = "rehabilitation:record"
    MARKET_INSPECT = "market:inspect"
    ENFORCEMENT_ANALYTICS_READ = "enforcement_analytics:read"
    TRADE_READ = "trade:read"
    CULLS_MANAGE = "culls:manage"
    PROCEEDS_READ = "proceeds:read"
    PROCEEDS_MANAGE = "proceeds:manage"


_READ = frozenset(
    {
        Permission.EVENTS_READ,
        Permission.ITEMS_READ,
        Permission.CAPTURE_JOBS_READ,
        Permission.ORGANISATIONS_READ,
        Permission.HARVEST_AUTHORISATIONS_READ,
        Permission.STOCK_READ,
    }
)
_CAPTURE = _READ | {Permission.EVENTS_CAPTURE}

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.VIEWER: _READ,
    Role.OPERATOR: _CAPTURE,
    # An organisation's administrator makes its tokens and its people's accounts (the ministry's, any).
    Role.ADMIN: _CAPTURE | {Permission.TOKENS_MANAGE, Permission.PEOPLE_MANAGE},
}

# Kinds whose staff record nothing in this registry, whatever their role: a partner authority
# reports through the partner exchange, not by capturing here.
READ_ONLY_KINDS = frozenset({OrgKind.PARTNER_AUTHORITY})

# Kinds that see every item and event in detail; every other organisation sees its own.
SEES_EVERYTHING = frozenset({OrgKind.MINISTRY, OrgKind.CUSTOMS, OrgKind.INSPECTORATE})

# Kinds that see what was exported to their country, back to harvest, instead of what they hold.
SEES_EXPORTS_TO_ITS_COUNTRY = frozenset({OrgKind.PARTNER_AUTHORITY})


@dataclass(frozen=True)
class ExportedTo:
    """The view of an importing country's authority: the items exported to `country` under
    endorsed permits (used or closed) and, back through transformations, the items they were made
    from down to their commissioning at harvest; every event naming one of those items."""

    country: str


# Whose view a read is limited to: None (everything), an organisation's id (what it recorded and
# holds), or an importing country's (ExportedTo). Storage turns it into SQL
# (kiik.custody.adapters.visibility).
Viewer = int | ExportedTo | None


@dataclass(frozen=True)
class Principal:
    """The actor behind a request: a person or system of an organisation, acting in a role."""

    org_id: int
    org_code: str
    org_name: str
    org_kind: OrgKind
    role: Role
    org_country: str | None = None
    # Who logged in, when a person did (a session); None for an API token or the command line.
    username: str | None = None

    @property
    def permissions(self) -> frozenset[Permission]:
        return permissions_of(self.org_kind, self.role)

    def may(self, permission: Permission) -> bool:
        return permission in self.permissions

    @property
    def sees_everything(self) -> bool:
        return self.org_kind in SEES_EVERYTHING

    @property
    def sees_exports_to(self) -> str | None:
        """The country whose imports this principal may trace (a partner authority's), or None."""
        if self.org_kind in SEES_EXPORTS_TO_ITS_COUNTRY and self.org_country:
            return self.org_country
        return None


def permissions_of(kind: OrgKind, role: Role) -> frozenset[Permission]:
    granted = ROLE_PERMISSIONS[role]
    if kind in READ_ONLY_KINDS:
        granted = granted - {Permission.EVENTS_CAPTURE}
    if kind is OrgKind.MINISTRY and role is Role.ADMIN:
        granted = granted | {Permission.ORGANISATIONS_MANAGE, Permission.STOCK_SETTINGS_MANAGE}
    if kind is OrgKind.MINISTRY and role is not Role.VIEWER:
        granted = granted | {Permission.HARVEST_AUTHORISATIONS_ISSUE}
    return granted | _feature_grants(kind, role)


# Species register, quotas and permits: who reads, who edits, who decides, applies and endorses.
_ACTING = frozenset({Role.OPERATOR, Role.ADMIN})
_ENFORCEMENT = frozenset({OrgKind.MINISTRY, OrgKind.CUSTOMS, OrgKind.INSPECTORATE})
_HOLDERS = frozenset({OrgKind.HARVESTER, OrgKind.WAREHOUSE, OrgKind.PROCESSOR, OrgKind.TRADER})
_PERMIT_GRANTS: tuple[tuple[frozenset[OrgKind], frozenset[Role], frozenset[Permission]], ...] = (
    (frozenset(OrgKind), frozenset(Role), frozenset({Permission.SPECIES_READ, Permission.PERMITS_READ})),
    (
        frozenset({OrgKind.MINISTRY}),
        _ACTING,
        frozenset({Permission.SPECIES_MANAGE, Permission.QUOTAS_MANAGE, Permission.PERMITS_DECIDE}),
    ),
    (frozenset({OrgKind.MINISTRY}), frozenset({Role.ADMIN}), frozenset({Permission.KEYS_MANAGE})),
    (frozenset({OrgKind.MINISTRY}), frozenset({Role.ADMIN}), frozenset({Permission.PARTNERS_MANAGE})),
    (frozenset({OrgKind.MINISTRY}), frozenset(Role), frozenset({Permission.REPORTS_READ})),
    # The trail of administrative actions: the ministry's staff, its auditors (viewers) included.
    (frozenset({OrgKind.MINISTRY}), frozenset(Role), frozenset({Permission.AUDIT_READ})),
    (frozenset({OrgKind.TRADER}), _ACTING, frozenset({Permission.PERMITS_APPLY})),
    (frozenset({OrgKind.CUSTOMS}), _ACTING, frozenset({Permission.PERMITS_ENDORSE})),
    (
        frozenset({OrgKind.MINISTRY, OrgKind.CUSTOMS, OrgKind.INSPECTORATE, OrgKind.PARTNER_AUTHORITY}),
        frozenset(Role),
        frozenset({Permission.PERMITS_VERIFY_DETAILS}),
    ),
    # Reconciliation with partner registries: this country's authorities, not the partner's.
    (
        frozenset({OrgKind.MINISTRY, OrgKind.CUSTOMS, OrgKind.INSPECTORATE}),
        frozenset(Role),
        frozenset({Permission.RECONCILIATION_READ}),
    ),
    # Monitoring: census and plans are read by everyone; the ministry plans the offtake; scientists
    # and the ministry record census and camera-trap data; the border service (customs), scientists
    # and the ministry see the camera traps and their alerts (people, vehicles, leopards).
    (frozenset(OrgKind), frozenset(Role), frozenset({Permission.CENSUS_READ})),
    (frozenset({OrgKind.MINISTRY}), _ACTING, frozenset({Permission.OFFTAKE_PLANS_MANAGE})),
    (
        frozenset({OrgKind.MINISTRY, OrgKind.RESEARCH}),
        _ACTING,
        frozenset({Permission.CENSUS_RECORD, Permission.CAMERA_TRAPS_IMPORT}),
    ),
    (
        frozenset({OrgKind.MINISTRY, OrgKind.RESEARCH, OrgKind.CUSTOMS}),
        frozenset(Role),
        frozenset({Permission.CAMERA_TRAPS_READ, Permission.MONITORING_ALERTS_READ}),
    ),
    # Enforcement (docs/enforcement.md): only this country's enforcement authorities see seizures
    # and cases; customs, the inspectorate and the ministry record them; the inspectorate and the
    # ministry review leak alerts; the inspectorate inspects markets; rehabilitation centres (NGOs,
    # research kind) record the animals in their care; scientists see the aggregate analytics. A
    # holder sees only that an alert concerns it (leak_alerts:own), never the seizure or case.
    (
        _ENFORCEMENT,
        frozenset(Role),
        frozenset({Permission.SEIZURES_READ, Permission.ENFORCEMENT_ANALYTICS_READ}),
    ),
    (_ENFORCEMENT, _ACTING, frozenset({Permission.SEIZURES_RECORD, Permission.CASES_MANAGE})),
    (
        frozenset({OrgKind.MINISTRY, OrgKind.INSPECTORATE}),
        frozenset(Role),
        frozenset({Permission.LEAK_ALERTS_READ}),
    ),
    (
        frozenset({OrgKind.MINISTRY, OrgKind.INSPECTORATE}),
        _ACTING,
        frozenset({Permission.LEAK_ALERTS_REVIEW, Permission.MARKET_INSPECT}),
    ),
    (
        frozenset({OrgKind.MINISTRY, OrgKind.INSPECTORATE, OrgKind.RESEARCH}),
        _ACTING,
        frozenset({Permission.REHABILITATION_RECORD}),
    ),
    (frozenset({OrgKind.RESEARCH}), frozenset(Role), frozenset({Permission.ENFORCEMENT_ANALYTICS_READ})),
    (_HOLDERS, frozenset(Role), frozenset({Permission.LEAK_ALERTS_OWN})),
    # Legal trade: culls, meat lots and sales are read by every organisation, and so are the proceeds
    # and where they went (public money); the ministry registers culls and sets fee and allocation rules.
    (frozenset(OrgKind), frozenset(Role), frozenset({Permission.TRADE_READ, Permission.PROCEEDS_READ})),
    (
        frozenset({OrgKind.MINISTRY}),
        _ACTING,
        frozenset({Permission.CULLS_MANAGE, Permission.PROCEEDS_MANAGE}),
    ),
)


def _feature_grants(kind: OrgKind, role: Role) -> frozenset[Permission]:
    granted: frozenset[Permission] = frozenset()
    for kinds, roles, permissions in _PERMIT_GRANTS:
        if kind in kinds and role in roles:
            granted = granted | permissions
    return granted


class NotAllowed(Exception):
    """The actor's role does not allow the action (mapped to 403)."""

    def __init__(self, principal: Principal, permission: Permission) -> None:
        super().__init__(
            N_(
                "%(role)s of %(organisation)s (%(kind)s) may not %(permission)s; "
                "ask your organisation's administrator for a token with a role that may",
                role=str(principal.role),
                organisation=principal.org_code,
                kind=str(principal.org_kind),
                permission=permission.value,
            )
        )
        self.permission = permission


def require(principal: Principal, permission: Permission) -> None:
    if not principal.may(permission):
        raise NotAllowed(principal, permission)
