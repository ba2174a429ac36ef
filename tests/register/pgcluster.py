"""A throwaway PostgreSQL cluster: initdb into a temporary folder, pg_ctl start, stop, delete.

Used by the register tests and ``benchmarks/register_numbers.py``. The server
listens on 127.0.0.1 on a free port and on a unix socket inside the folder;
clients connect through the socket. ``initdb`` refuses to run as root, so as
root every server command runs as the ``postgres`` user (``runuser -u postgres``),
which owns the folder.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

PROGRAMS = ("initdb", "pg_ctl", "postgres")


def find_bindir() -> Path | None:
    """The Debian server binaries (newest version), else ``initdb`` on PATH."""
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True,
                            key=lambda p: int(Path(p).parent.name)
                            if Path(p).parent.name.isdigit() else 0):
        if all((Path(candidate) / p).is_file() for p in PROGRAMS):
            return Path(candidate)
    initdb = shutil.which("initdb")
    if initdb and shutil.which("pg_ctl") and shutil.which("postgres"):
        return Path(initdb).parent
    return None


def missing_reason() -> str | None:
    """Why a cluster cannot be started here, or ``None`` when it can."""
    if find_bindir() is None:
        return ("system package missing: postgresql (no initdb/pg_ctl/postgres in "
                "/usr/lib/postgresql/*/bin or on PATH); run `make test` as root or "
                "apt-get install postgresql")
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no 'postgres' user to run initdb as"
        if shutil.which("runuser") is None:
            return "running as root and runuser is missing (needed to run initdb as postgres)"
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Cluster:
    bindir: Path
    root: Path
    port: int

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def socket_dir(self) -> Path:
        return self.root / "sock"

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        command = [str(self.bindir / args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, check=True, capture_output=True, text=True, timeout=120)

    def url(self, database: str = "postgres") -> str:
        """A SQLAlchemy URL (psycopg 3) through the unix socket."""
        return (f"postgresql+psycopg://postgres@/{database}"
                f"?host={self.socket_dir}&port={self.port}")

    def start(self) -> None:
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust",
                  "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
        options = (f"-p {self.port} -k {self.socket_dir} -c listen_addresses=127.0.0.1 "
                   "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
                   "-c max_connections=200")
        self._run("pg_ctl", "start", "-D", str(self.data), "-w", "-t", "60",
                  "-l", str(self.root / "server.log"), "-o", options)

    def create_database(self, name: str) -> str:
        import psycopg

        # closed explicitly, even when CREATE DATABASE fails: an open connection left to
        # the garbage collector is a ResourceWarning in whichever test happens to run then
        conn = psycopg.connect(host=str(self.socket_dir), port=self.port, user="postgres",
                               dbname="postgres", autocommit=True)
        try:
            conn.execute(f'CREATE DATABASE "{name}"')
        finally:
            conn.close()
        return self.url(name)

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "stop", "-D", str(self.data), "-m", "immediate", "-w")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


def start_cluster() -> Cluster:
    """Start a fresh cluster; the caller must :meth:`Cluster.stop` it."""
    bindir = find_bindir()
    assert bindir is not None, missing_reason()
    root = Path(tempfile.mkdtemp(prefix="docgen-pg-"))
    (root / "sock").mkdir()
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        for path in (root, root / "sock"):
            os.chown(path, user.pw_uid, user.pw_gid)
    cluster = Cluster(bindir=bindir, root=root, port=free_port())
    try:
        cluster.start()
    except BaseException:
        log = root / "server.log"
        detail = log.read_text(errors="replace") if log.exists() else ""
        shutil.rmtree(root, ignore_errors=True)
        if detail:
            raise RuntimeError(f"PostgreSQL did not start:\n{detail}") from None
        raise
    return cluster
