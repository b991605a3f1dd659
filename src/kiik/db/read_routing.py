"""Reads from a streaming replica, writes to the primary, and each organisation reads its own writes.

With `KIIK_READ_DATABASE_URL` set, the event queries of the EPCIS binding read from that replica
(docs/operations.md). A replica replays the primary's write-ahead log a little behind it, so right
after an organisation captures, its next query could miss what it has just stored. The primary's log
position (LSN) after each of its captures is remembered, and its next reads go to the replica only
once the replica has replayed up to there; until then they go to the primary. The memory is per
process: with several workers, a read that reaches another worker than the capture did is not
held back (docs/operations.md says so).
"""

from __future__ import annotations

import threading

from sqlalchemy import Engine, text


class ReadRouting:
    def __init__(self, primary: Engine, replica: Engine | None = None) -> None:
        self.primary = primary
        self.replica = replica
        self._written: dict[int | None, str] = {}
        self._lock = threading.Lock()

    def wrote(self, org_id: int | None) -> None:
        """An organisation's write has committed on the primary: remember how far the log is."""
        if self.replica is None:
            return
        with self.primary.connect() as connection:
            position = connection.execute(text("SELECT pg_current_wal_lsn()::text")).scalar_one()
        with self._lock:
            self._written[org_id] = position

    def engine_for(self, org_id: int | None) -> tuple[str, Engine]:
        """Where this organisation's next read goes: ("replica" | "primary", engine)."""
        if self.replica is None:
            return "primary", self.primary
        with self._lock:
            position = self._written.get(org_id)
        if position is None:
            return "replica", self.replica
        with self.replica.connect() as connection:
            caught_up = connection.execute(
                text("SELECT coalesce(pg_last_wal_replay_lsn() >= CAST(:position AS pg_lsn), false)"),
                {"position": position},
            ).scalar_one()
        if not caught_up:
            return "primary", self.primary
        with self._lock:
            if self._written.get(org_id) == position:
                del self._written[org_id]  # from now on the replica holds it: no more checks
        return "replica", self.replica
