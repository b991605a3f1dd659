"""Which capture jobs a live process is running: a job marked running whose runner is gone is settled.

On PostgreSQL each running job holds a session-level advisory lock on a connection of its own, taken
before the job is recorded and given back after its end is recorded. A process that dies (kill -9,
an out-of-memory kill, a lost machine) loses its connections, and PostgreSQL frees their locks: any
other worker then finds the lock free and knows at once that nobody runs the job. SQLite allows one
server process, so there a job is alive exactly when this process holds it.
"""

from __future__ import annotations

import threading

from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.pool import NullPool

_KEY = "hashtextextended('kiik-capture-job:' || :job, 0)"


class JobLeases:
    def __init__(self, engine: Engine) -> None:
        self._postgres = engine.dialect.name == "postgresql"
        # Leases live outside the pool: one connection per running job, for as long as it runs.
        self._engine = create_engine(engine.url, poolclass=NullPool) if self._postgres else None
        self._held: dict[str, Connection | None] = {}
        self._lock = threading.Lock()

    def take(self, job_id: str) -> None:
        connection = None
        if self._engine is not None:
            connection = self._engine.connect()
            connection.execute(text(f"SELECT pg_advisory_lock({_KEY})"), {"job": job_id})
            connection.commit()
        with self._lock:
            self._held[job_id] = connection

    def release(self, job_id: str) -> None:
        with self._lock:
            connection = self._held.pop(job_id, None)
        if connection is not None:
            connection.close()  # the session ends, and with it the lock

    def alive(self, job_id: str) -> bool:
        """True when some live process runs the job."""
        with self._lock:
            if job_id in self._held:
                return True
        if self._engine is None:
            return False
        with self._engine.connect() as connection:
            free = connection.execute(text(f"SELECT pg_try_advisory_lock({_KEY})"), {"job": job_id}).scalar()
            if free:
                connection.execute(text(f"SELECT pg_advisory_unlock({_KEY})"), {"job": job_id})
            connection.commit()
        return not free
