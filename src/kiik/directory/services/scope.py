"""What a principal may read: the one place where read access is decided.

Every read (EPCIS queries, single events, item state, history, lineage) asks `restrict` first
and passes the answer to storage, which turns it into a SQL condition in one place as well
(`kiik.custody.adapters.visibility`: `event_visible` and `item_visible`). Nothing else decides visibility.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiik.directory.domain.permissions import ExportedTo, Permission, Principal, Viewer, require


@dataclass(frozen=True)
class ReadScope:
    """The rows a principal sees: all of them, those of one organisation, or those exported to a
    country.

    An organisation sees the events it recorded, the events naming an item it holds now, and
    the current state of the items it holds. Ministry, customs and the inspectorate see all. A
    partner authority (the importing country's) sees the items exported to its country under
    endorsed permits, the items they were made from back to harvest, and every event naming one
    of them: what the export notices it received carried, and nothing else.
    """

    org_id: int | None
    exported_to: str | None = None

    @property
    def everything(self) -> bool:
        return self.org_id is None

    @property
    def visible_to(self) -> Viewer:
        """Whose view this is (an organisation's, or an importing country's), or None when
        nothing is hidden."""
        if self.exported_to is not None:
            return ExportedTo(self.exported_to)
        return self.org_id

    @property
    def provenance_visible_to(self) -> Viewer:
        """Whose view limits the provenance of an item the reader may see: nobody's.

        The transformations an item came out of and the commissioning of its source items (with
        their harvest ILMD) are what lets a holder, an importer or a buyer show a legal origin, so
        they are shown with any visible item. The current state of those source items, and what
        else was made from them, stay within the reader's own view.
        """
        return None


EVERYTHING = ReadScope(org_id=None)


def restrict(principal: Principal, permission: Permission) -> ReadScope:
    """Check that the principal may read at all, and return what it may read."""
    require(principal, permission)
    if principal.sees_everything:
        return EVERYTHING
    return ReadScope(org_id=principal.org_id, exported_to=principal.sees_exports_to)
