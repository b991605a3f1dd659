"""A reason to doubt an item: a flag with a plain sentence, what is wrong and what to do.

A flag is `bad` when the item should not be where an inspector finds it (seized, destroyed,
exported, consumed, declared lost, origin not traceable, harvested outside its authorisation) and
`warn` when it is lawful but deserves a look (in transit, an open stock discrepancy, a lot whose
mass is close to its yield limit).
"""

from __future__ import annotations

from dataclasses import dataclass

from kiik.errors import N_


@dataclass(frozen=True)
class Flag:
    code: str
    severity: str  # bad or warn
    title: str  # a short phrase for the verdict line (a kiik.errors.Wording)
    detail: str  # what it means and what to do (a Wording)
    public_reason: str = N_("its registered status does not allow it to be sold")

    def to_json(self) -> dict[str, str]:
        return {"code": self.code, "severity": self.severity, "title": self.title, "detail": self.detail}
