"""A PostgreSQL cluster of a script's own, on its own port and folder, that it may kill and restart.

The machine's shared PostgreSQL (127.0.0.1:5432) is never stopped or killed: a script that kills the
database (benchmarks/chaos_capture.py) or needs a primary and a replica (benchmarks/replica_demo.py)
makes its clusters here with `initdb`, as the `postgres` account when it runs as root (initdb refuses
root), and removes them afterwards.
"""

from __future__ import annotations

import glob
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path


def _bin(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not candidates:
        raise SystemExit(
            f"{name} is not installed: install PostgreSQL's server programs (Debian: postgresql)"
        )
    return candidates[-1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _as_owner() -> list[str]:
    return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


class Cluster:
    """One PostgreSQL server in `folder/data`, listening on 127.0.0.1:`port` with trust auth."""

    def __init__(self, folder: Path, port: int | None = None) -> None:
        self.folder = folder
        self.data = folder / "data"
        self.port = port or free_port()
        self.log = folder / "postgres.log"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, *command: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*_as_owner(), *command], capture_output=True, text=True, check=check)

    def _own(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
            os.chmod(self.folder, 0o700)

    def init(self, **settings: str | int) -> Cluster:
        if not Path("/dev/null").is_char_device():
            raise SystemExit(
                "/dev/null is not the null device on this machine (something replaced it with a file), and "
                "initdb writes to it: as root, `rm /dev/null && mknod -m 666 /dev/null c 1 3`"
            )
        self.folder.mkdir(parents=True, exist_ok=True)
        self._own()
        self._run(
            _bin("initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-instructions",
        )
        self.configure(**settings)
        return self

    def configure(self, **settings: str | int) -> None:
        lines = {
            "listen_addresses": "'127.0.0.1'",
            "port": self.port,
            "unix_socket_directories": f"'{self.folder}'",
            "fsync": "on",  # crash safety is what is being tested: keep every durability setting on
            "synchronous_commit": "on",
            "full_page_writes": "on",
            **{key: value for key, value in settings.items()},
        }
        with (self.data / "postgresql.auto.conf").open("a") as conf:
            for key, value in lines.items():
                conf.write(f"{key} = {value}\n")

    def start(self, timeout: float = 60) -> None:
        """Start (again); after a kill, PostgreSQL recovers from its WAL before it accepts connections."""
        deadline = time.monotonic() + timeout
        while True:
            done = self._run(
                _bin("pg_ctl"),
                "-D",
                str(self.data),
                "-l",
                str(self.log),
                "-w",
                "-t",
                "60",
                "start",
                check=False,
            )
            if done.returncode == 0:
                return
            if time.monotonic() > deadline:  # e.g. a killed server's backends still hold its memory
                raise RuntimeError(f"PostgreSQL did not start: {done.stdout}{done.stderr}")
            time.sleep(0.5)

    def postmaster_pid(self) -> int | None:
        try:
            return int((self.data / "postmaster.pid").read_text().split()[0])
        except (FileNotFoundError, ValueError, IndexError):
            return None

    def kill(self) -> None:
        """SIGKILL the postmaster, as a crash would; its backends notice and end."""
        pid = self.postmaster_pid()
        if pid is None:
            return
        os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and _alive(pid):
            time.sleep(0.05)

    def stop(self) -> None:
        self._run(_bin("pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop", check=False)

    def replica(self, folder: Path, **settings: str | int) -> Cluster:
        """A streaming replica of this (running) cluster: a base backup that follows its WAL."""
        standby = Cluster(folder)
        folder.mkdir(parents=True, exist_ok=True)
        standby._own()
        self._run(
            _bin("pg_basebackup"),
            "-h",
            "127.0.0.1",
            "-p",
            str(self.port),
            "-U",
            "postgres",
            "-D",
            str(standby.data),
            "-R",
            "-X",
            "stream",
            "--checkpoint=fast",
        )
        standby.configure(hot_standby="on", **settings)
        return standby

    def create_database(self, name: str) -> str:
        self._run(_bin("createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name)
        return self.url(name)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (killed, not yet reaped by its parent) is gone for our purpose.
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except FileNotFoundError:
        return False


def scratch(prefix: str) -> Path:
    """A folder under /tmp that the postgres account may enter."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    os.chmod(folder, 0o755)
    return folder
