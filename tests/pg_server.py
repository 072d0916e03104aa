"""A throwaway PostgreSQL server for tests and benchmarks (the real server, no mocks).

:class:`PostgresServer` runs ``initdb`` into a temporary folder, starts ``postgres`` on a free
localhost port with a socket in that folder, creates a database and stops everything on exit.
It needs the system package (``apt-get install -y postgresql``; ``.ci/run`` installs it). Run
as root (as CI does), the server runs as the ``postgres`` system user, since PostgreSQL refuses
to run as root.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path


class ServerUnavailable(RuntimeError):
    """PostgreSQL is not installed or could not be started here (the reason is the message)."""


def find_bin(name: str) -> str | None:
    """The path of a PostgreSQL server program (``initdb``, ``pg_ctl``), newest version first."""
    found = shutil.which(name)
    if found:
        return found
    for folder in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        path = Path(folder) / name
        if path.is_file():
            return str(path)
    return None


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PostgresServer:
    """A PostgreSQL cluster in a temporary folder, started on a free localhost port.

    Use as a context manager; :attr:`url` is a libpq URL of the database ``tabletop``
    (user ``postgres``, trust authentication on localhost only).
    """

    def __init__(self) -> None:
        self.initdb = find_bin("initdb")
        self.pg_ctl = find_bin("pg_ctl")
        if self.initdb is None or self.pg_ctl is None:
            raise ServerUnavailable(
                "PostgreSQL server programs not found (apt-get install -y postgresql)"
            )
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="tabletop-pg-"))
        self.data = self.folder / "data"
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/tabletop"
        self._user: str | None = None
        if os.geteuid() == 0:
            try:
                pw = pwd.getpwnam("postgres")
            except KeyError as exc:
                raise ServerUnavailable("running as root and no 'postgres' user exists") from exc
            os.chown(self.folder, pw.pw_uid, pw.pw_gid)
            self._user = "postgres"

    def _run(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        cmd = list(args)
        if self._user is not None:
            cmd = ["runuser", "-u", self._user, "--", *cmd]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)

    def start(self) -> PostgresServer:
        """Create the cluster, start it and create the database."""
        res = self._run(
            str(self.initdb), "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8"
        )
        if res.returncode != 0:
            raise ServerUnavailable(f"initdb failed: {res.stderr.strip()[-500:]}")
        opts = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.folder} "
            "-c fsync=on -c max_connections=50"
        )
        res = self._run(
            str(self.pg_ctl),
            "-D",
            str(self.data),
            "-o",
            opts,
            "-l",
            str(self.folder / "server.log"),
            "-w",
            "-t",
            "60",
            "start",
        )
        if res.returncode != 0:
            log = (self.folder / "server.log").read_text(errors="replace")[-800:]
            raise ServerUnavailable(f"postgres did not start: {res.stderr.strip()} {log}")
        self._create_database()
        return self

    def _create_database(self) -> None:
        import psycopg

        deadline = time.monotonic() + 30
        while True:
            try:
                with psycopg.connect(
                    f"postgresql://postgres@127.0.0.1:{self.port}/postgres", autocommit=True
                ) as conn:
                    conn.execute("CREATE DATABASE tabletop")
                return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def add_password_user(self, name: str, password: str) -> str:
        """Create a login that must give ``password`` (scram) over TCP; returns its URL."""
        import psycopg

        hba = self.data / "pg_hba.conf"
        rule = f"host all {name} 127.0.0.1/32 scram-sha-256\n"
        if os.geteuid() == 0:
            self._run(
                "sh", "-c", f"printf '%s' '{rule}' | cat - {hba} > {hba}.new && mv {hba}.new {hba}"
            )
        else:
            hba.write_text(rule + hba.read_text())
        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(f"CREATE ROLE {name} LOGIN SUPERUSER PASSWORD '{password}'")
            conn.execute(f"GRANT ALL ON DATABASE tabletop TO {name}")
            conn.execute(f"GRANT ALL ON SCHEMA public TO {name}")
            conn.execute("SELECT pg_reload_conf()")
        return f"postgresql://{name}:{password}@127.0.0.1:{self.port}/tabletop"

    def stop(self) -> None:
        """Stop the server and remove its folder."""
        if self.data.exists():
            self._run(str(self.pg_ctl), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> PostgresServer:
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc: object) -> None:
        self.stop()
