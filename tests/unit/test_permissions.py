"""Who may do what, as a matrix: every organisation kind by every role by every permission."""

from __future__ import annotations

import pytest

from kiik.directory.domain.permissions import (
    SEES_EVERYTHING,
    ExportedTo,
    NotAllowed,
    OrgKind,
    Permission,
    Principal,
    Role,
    permissions_of,
    require,
)

P = Permission
READ = {
    P.EVENTS_READ,
    P.ITEMS_READ,
    P.CAPTURE_JOBS_READ,
    P.ORGANISATIONS_READ,
    P.HARVEST_AUTHORISATIONS_READ,
    P.STOCK_READ,
}
CAPTURE = READ | {P.EVENTS_CAPTURE}

EXPECTED: dict[tuple[OrgKind, Role], set[Permission]] = {}
for kind in OrgKind:
    EXPECTED[(kind, Role.VIEWER)] = set(READ)
    EXPECTED[(kind, Role.OPERATOR)] = set(CAPTURE)
    EXPECTED[(kind, Role.ADMIN)] = CAPTURE | {P.TOKENS_MANAGE, P.PEOPLE_MANAGE}
EXPECTED[(OrgKind.MINISTRY, Role.ADMIN)] |= {P.ORGANISATIONS_MANAGE, P.STOCK_SETTINGS_MANAGE}
EXPECTED[(OrgKind.MINISTRY, Role.OPERATOR)] |= {P.HARVEST_AUTHORISATIONS_ISSUE}
EXPECTED[(OrgKind.MINISTRY, Role.ADMIN)] |= {P.HARVEST_AUTHORISATIONS_ISSUE}
for role in Role:
    EXPECTED[(OrgKind.PARTNER_AUTHORITY, role)] -= {P.EVENTS_CAPTURE}
# Species register, quotas and permits.
for kind in OrgKind:
    for role in Role:
        EXPECTED[(kind, role)] |= {P.SPECIES_READ, P.PERMITS_READ}
        if kind in {OrgKind.MINISTRY, OrgKind.CUSTOMS, OrgKind.INSPECTORATE, OrgKind.PARTNER_AUTHORITY}:
            EXPECTED[(kind, role)] |= {P.PERMITS_VERIFY_DETAILS}
for role in (Role.OPERATOR, Role.ADMIN):
    EXPECTED[(OrgKind.MINISTRY, role)] |= {P.SPECIES_MANAGE, P.QUOTAS_MANAGE, P.PERMITS_DECIDE}
    EXPECTED[(OrgKind.TRADER, role)] |= {P.PERMITS_APPLY}
    EXPECTED[(OrgKind.CUSTOMS, role)] |= {P.PERMITS_ENDORSE}
for role in Role:
    EXPECTED[(OrgKind.MINISTRY, role)] |= {P.REPORTS_READ, P.AUDIT_READ}
EXPECTED[(OrgKind.MINISTRY, Role.ADMIN)] |= {P.KEYS_MANAGE, P.PARTNERS_MANAGE}
# Reconciliation with partner registries: this country's ministry, customs and inspectorate.
for kind in (OrgKind.MINISTRY, OrgKind.CUSTOMS, OrgKind.INSPECTORATE):
    for role in Role:
        EXPECTED[(kind, role)] |= {P.RECONCILIATION_READ}
# Monitoring: census and plans read by all; the ministry plans; the ministry and scientists record
# census and camera-trap data; the ministry, scientists and the border service see traps and alerts.
for kind in OrgKind:
    for role in Role:
        EXPECTED[(kind, role)] |= {P.CENSUS_READ}
        if kind in {OrgKind.MINISTRY, OrgKind.RESEARCH, OrgKind.CUSTOMS}:
            EXPECTED[(kind, role)] |= {P.CAMERA_TRAPS_READ, P.MONITORING_ALERTS_READ}
for role in (Role.OPERATOR, Role.ADMIN):
    EXPECTED[(OrgKind.MINISTRY, role)] |= {P.OFFTAKE_PLANS_MANAGE, P.CENSUS_RECORD, P.CAMERA_TRAPS_IMPORT}
    EXPECTED[(OrgKind.RESEARCH, role)] |= {P.CENSUS_RECORD, P.CAMERA_TRAPS_IMPORT}
# Enforcement: seizures and cases for this country's enforcement authorities only; holders see the
# alerts that concern them; rehabilitation centres (research) record animals; scientists read analytics.
for role in Role:
    for kind in (OrgKind.MINISTRY, OrgKind.CUSTOMS, OrgKind.INSPECTORATE):
        EXPECTED[(kind, role)] |= {P.SEIZURES_READ, P.ENFORCEMENT_ANALYTICS_READ}
    EXPECTED[(OrgKind.RESEARCH, role)] |= {P.ENFORCEMENT_ANALYTICS_READ}
    for kind in (OrgKind.MINISTRY, OrgKind.INSPECTORATE):
        EXPECTED[(kind, role)] |= {P.LEAK_ALERTS_READ}
    for kind in (OrgKind.HARVESTER, OrgKind.WAREHOUSE, OrgKind.PROCESSOR, OrgKind.TRADER):
        EXPECTED[(kind, role)] |= {P.LEAK_ALERTS_OWN}
for role in (Role.OPERATOR, Role.ADMIN):
    for kind in (OrgKind.MINISTRY, OrgKind.CUSTOMS, OrgKind.INSPECTORATE):
        EXPECTED[(kind, role)] |= {P.SEIZURES_RECORD, P.CASES_MANAGE}
    for kind in (OrgKind.MINISTRY, OrgKind.INSPECTORATE):
        EXPECTED[(kind, role)] |= {P.LEAK_ALERTS_REVIEW, P.MARKET_INSPECT, P.REHABILITATION_RECORD}
    EXPECTED[(OrgKind.RESEARCH, role)] |= {P.REHABILITATION_RECORD}
# Legal trade: everyone reads trade and proceeds; the ministry registers culls and sets fee rules.
for kind in OrgKind:
    for role in Role:
        EXPECTED[(kind, role)] |= {P.TRADE_READ, P.PROCEEDS_READ}
for role in (Role.OPERATOR, Role.ADMIN):
    EXPECTED[(OrgKind.MINISTRY, role)] |= {P.CULLS_MANAGE, P.PROCEEDS_MANAGE}


@pytest.mark.parametrize(("kind", "role"), sorted(EXPECTED, key=str))
def test_permission_matrix(kind: OrgKind, role: Role) -> None:
    assert permissions_of(kind, role) == EXPECTED[(kind, role)]


@pytest.mark.parametrize("kind", list(OrgKind))
def test_who_sees_everything(kind: OrgKind) -> None:
    principal = Principal(1, "x", "X", kind, Role.VIEWER)
    assert principal.sees_everything == (kind in {OrgKind.MINISTRY, OrgKind.CUSTOMS, OrgKind.INSPECTORATE})
    assert SEES_EVERYTHING == {OrgKind.MINISTRY, OrgKind.CUSTOMS, OrgKind.INSPECTORATE}


@pytest.mark.parametrize("kind", list(OrgKind))
def test_who_sees_what_was_exported_to_its_country(kind: OrgKind) -> None:
    from kiik.directory.services.scope import restrict

    principal = Principal(7, "x", "X", kind, Role.VIEWER, "CN")
    scope = restrict(principal, P.ITEMS_READ)
    if kind is OrgKind.PARTNER_AUTHORITY:
        assert principal.sees_exports_to == "CN" and scope.visible_to == ExportedTo("CN")
    elif kind in SEES_EVERYTHING:
        assert scope.everything and scope.visible_to is None
    else:
        assert principal.sees_exports_to is None and scope.visible_to == 7
    # Stock and harvest authorisations stay the organisation's own for every kind but the authorities.
    assert scope.org_id == (None if kind in SEES_EVERYTHING else 7)


def test_a_partner_authority_without_a_country_sees_only_its_own() -> None:
    from kiik.directory.services.scope import restrict

    principal = Principal(7, "x", "X", OrgKind.PARTNER_AUTHORITY, Role.VIEWER)
    assert restrict(principal, P.EVENTS_READ).visible_to == 7


def test_a_refusal_names_the_role_and_the_permission() -> None:
    viewer = Principal(1, "almaty-warehouse", "Warehouse", OrgKind.WAREHOUSE, Role.VIEWER)
    with pytest.raises(NotAllowed, match="viewer of almaty-warehouse .* may not events:capture"):
        require(viewer, P.EVENTS_CAPTURE)
