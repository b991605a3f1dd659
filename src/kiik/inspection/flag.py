"""A reason to doubt an item: a flag with a plain sentence, what is wrong and what to do.

A flag is `bad` when the item should not be where an inspector finds it (seized, destroyed,
exported, consumed, declared lost, origin not traceable, harvested outside its authorisation) and
`warn` when it is lawful but deserves a look (in transit, an open stock discrepancy, a lot whose
mass is close to its yield limit).

Who reads a flag changes what it advises: an inspector in Kazakhstan seizes what should not be
here, while a partner country's authority (an importing country's, reading the items exported to
it) checks the export permit and turns to Kazakhstan's authority. A flag carries the partner's
reading as `abroad`; `Flag.read_by` gives the one for the reader.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import Enum

from kiik.directory.domain.permissions import OrgKind, Principal
from kiik.errors import N_


class Reader(Enum):
    """Whose advice a flag gives: Kazakhstan's inspectors (and every domestic organisation), or a
    partner country's authority."""

    INSPECTOR = "inspector"
    PARTNER = "partner"


def reader_of(principal: Principal) -> Reader:
    return Reader.PARTNER if principal.org_kind is OrgKind.PARTNER_AUTHORITY else Reader.INSPECTOR


@dataclass(frozen=True)
class Flag:
    code: str
    severity: str  # bad or warn
    title: str  # a short phrase for the verdict line (a kiik.errors.Wording)
    detail: str  # what it means and what to do (a Wording)
    public_reason: str = N_("its registered status does not allow it to be sold")
    abroad: Flag | None = None  # what a partner country's authority reads instead (None: the same)

    def read_by(self, reader: Reader) -> Flag:
        return self.abroad if reader is Reader.PARTNER and self.abroad is not None else self

    def for_partner(self, detail: str, severity: str | None = None, title: str | None = None) -> Flag:
        """This flag, with what a partner country's authority reads instead (its own advice; a
        severity and a title where the fact means something else abroad)."""
        abroad = replace(self, detail=detail, severity=severity or self.severity, title=title or self.title)
        return replace(self, abroad=abroad)

    def to_json(self) -> dict[str, str]:
        return {"code": self.code, "severity": self.severity, "title": self.title, "detail": self.detail}
