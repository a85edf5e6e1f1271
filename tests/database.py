"""Pytest plugin: ``db``, a freshly migrated handoff database, once on SQLite and once on PostgreSQL.

PostgreSQL is the server named by ``KIM_TEST_DATABASE_URL`` (a role that may create databases), or
else a private throwaway cluster started from the Debian binaries for the test session: its own
folder, 127.0.0.1 on a free port, trust authentication (nothing but this machine can reach it).
Every test gets its own database, dropped afterwards, so tests never see each other's rows.
"""

from __future__ import annotations

import glob
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from bot.handoff import db as db_module
from bot.handoff.db import Database
from bot.handoff.roster import Roster, load_roster

BACKENDS = ["sqlite", "postgresql"]
INSTALL_HINT = "PostgreSQL binaries not found (/usr/lib/postgresql/*/bin/initdb): apt-get install postgresql"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _postgres_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if not found or not Path(found[-1]).with_name("pg_ctl").exists():
        pytest.fail(INSTALL_HINT, pytrace=False)
    return Path(found[-1]).parent


def _as_postgres(args: list[str]) -> list[str]:
    """initdb refuses to run as root: as root, run the binaries as the ``postgres`` user."""
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


def _run(args: list[str]) -> None:
    result = subprocess.run(_as_postgres(args), capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"{Path(args[0]).name} failed ({result.returncode}): {result.stderr[-2000:]}")


class _Cluster:
    """A private PostgreSQL cluster in a temporary folder."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin_dir = bin_dir
        # Not under pytest's tmp_path: that is private to root, and the server runs as ``postgres``.
        self.root = Path(tempfile.mkdtemp(prefix="kim-pg-"))
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
        self.data = self.root / "data"
        self.port = 0

    def start(self) -> str:
        _run(
            [
                str(self.bin_dir / "initdb"),
                *("-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C"),
                "--no-sync",
            ]
        )
        last_error: RuntimeError | None = None
        for _ in range(3):  # the free port can be taken between choosing and binding it
            self.port = _free_port()
            options = (
                f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
                "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
            )
            try:
                pg_ctl = [str(self.bin_dir / "pg_ctl"), "-D", str(self.data)]
                _run([*pg_ctl, "-l", str(self.root / "log"), "-w", "-t", "30", "-o", options, "start"])
                return f"postgresql+psycopg2://postgres@127.0.0.1:{self.port}/postgres"
            except RuntimeError as exc:
                last_error = exc
        log = (self.root / "log").read_text(errors="replace")[-2000:] if (self.root / "log").exists() else ""
        raise RuntimeError(f"PostgreSQL did not start: {last_error}\n{log}")

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            subprocess.run(
                _as_postgres(
                    [str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"]
                ),
                capture_output=True,
                check=False,
            )
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_admin_url() -> Iterator[str]:
    """A URL on which the tests may ``CREATE DATABASE``: KIM_TEST_DATABASE_URL or a private cluster."""
    configured = os.environ.get("KIM_TEST_DATABASE_URL")
    if configured:
        yield configured
        return
    cluster = _Cluster(_postgres_bin())
    try:
        try:
            url = cluster.start()
        except RuntimeError as exc:
            pytest.fail(str(exc), pytrace=False)
        yield url
    finally:
        cluster.stop()


def forget_engine(url: str) -> None:
    """Drop the cached engine and Database for ``url`` (bot.handoff.db keeps them per process)."""
    with db_module._lock:
        db_module._databases.pop(url, None)
        engine = db_module._engines.pop(url, None)
    if engine is not None:
        engine.dispose()


def _postgres_database(admin_url: str) -> Iterator[str]:
    name = "t_" + secrets.token_hex(6)
    admin = create_engine(admin_url, future=True, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
            force = connection.dialect.server_version_info >= (13,)
        url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
        try:
            yield url
        finally:
            forget_engine(url)
            with admin.connect() as connection:
                # FORCE: a connection a test left open must not keep its database alive.
                suffix = " WITH (FORCE)" if force else ""
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"{suffix}'))
    finally:
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty database of its own for this test (not migrated)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'kim.db'}"
        yield url
        forget_engine(url)
    else:
        yield from _postgres_database(request.getfixturevalue("postgres_admin_url"))


@pytest.fixture
def db(db_url: str) -> Database:
    """A migrated handoff database of its own for this test, on SQLite and on PostgreSQL."""
    database = Database(db_url)
    database.migrate()
    return database


@pytest.fixture
def roster() -> Roster:
    """The example roster shipped in the repository (fictional people)."""
    return load_roster()
