"""The system under attack: a fresh PostgreSQL database with the demo data, served by gunicorn
with the production settings on 127.0.0.1, its rate limits in Redis and its emails in files.

The demo data is loaded with the development settings (production refuses `flask seed-demo`)
against the same database, then the server starts with `DIASPORA_CONFIG=production`.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import redis

ROOT = Path(__file__).resolve().parents[2]

DEMO_PASSWORD = "demo-password-2026"
ROLES = {  # role -> demo account (README); anonymous has none
    "anonymous": None,
    "expert": "expert@diaspora.demo",
    "member": "membre@sante.gov.ma",
    "admin": "admin@diaspora.demo",
}

# The scanners send thousands of requests from one address: production's throttling would
# answer most of them 429 and hide the code behind. The takeover checks run against the
# production defaults instead (`Stack.production_env(port, scan_limits=False)`).
SCAN_LIMIT = "1000000 per minute"
SCAN_LIMITS = {
    "LOGIN_LIMIT": SCAN_LIMIT,
    "RESET_LIMIT": SCAN_LIMIT,
    "SIGNUP_LIMIT": SCAN_LIMIT,
    "ADDRESS_EMAIL_LIMIT": "1000000",  # emails per address and window
    "LOGIN_FREE_FAILURES": "1000000",  # wrong passwords before log-in delays start
}

# One reverse proxy in front of gunicorn, as in production: the app must take the client's
# address from the last X-Forwarded-For hop (ProxyFix), which lets the checks speak from
# several client addresses. A server that ignores it treats every visitor as one address.
TRUSTED_PROXY_HOPS = {"TRUSTED_PROXY_HOPS": "1"}
# The most emails of one kind (password reset, "an account already uses this address") one
# address may receive in a window (an hour), however many clients ask: what the takeover
# check expects.
ADDRESS_EMAIL_LIMIT = {"ADDRESS_EMAIL_LIMIT": "3"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Stack:
    """A database, a Redis database and a working folder, shared by every server started."""

    admin_url: str  # a PostgreSQL URL whose database may create and drop others
    name: str  # the database created for this run
    redis_url: str
    workdir: Path
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(48))

    @property
    def database_url(self) -> str:
        return self.admin_url.rsplit("/", 1)[0] + "/" + self.name

    @property
    def mail_dir(self) -> Path:
        return self.workdir / "mail"

    def create(self) -> None:
        with _admin_connection(self.admin_url) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{self.name}"')
        self.flush_limits()

    def drop(self) -> None:
        with _admin_connection(self.admin_url) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        self.flush_limits()

    def flush_limits(self) -> None:
        """Forget every rate-limit counter (the Redis database is this run's alone)."""
        redis.Redis.from_url(self.redis_url).flushdb()

    def emails_to(self, address: str) -> int:
        """How many emails the outbox holds for `address` (sent or not)."""
        with psycopg.connect(_libpq(self.database_url)) as conn:
            return conn.execute(
                "SELECT count(*) FROM outbox_messages WHERE to_address = %s", (address,)
            ).fetchone()[0]

    def base_env(self, config: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DIASPORA_", "FLASK_"))}
        env.update(
            DIASPORA_CONFIG=config,
            DIASPORA_INSTANCE_DIR=str(self.workdir / "instance"),
            FLASK_APP="wsgi.py",
            DATABASE_URL=self.database_url,
            MAIL_BACKEND="file",
            MAIL_DIR=str(self.mail_dir),
            PYTHONUNBUFFERED="1",
        )
        return env

    def production_env(self, port: int, scan_limits: bool) -> dict[str, str]:
        """The production settings, on plain HTTP on loopback."""
        env = self.base_env("production")
        env.update(
            SECRET_KEY=self.secret_key,
            SESSION_COOKIE_SECURE="false",  # plain HTTP on loopback, no TLS proxy
            RATELIMIT_STORAGE_URI=self.redis_url,
            PUBLIC_BASE_URL=f"http://127.0.0.1:{port}",
            **TRUSTED_PROXY_HOPS,
            **ADDRESS_EMAIL_LIMIT,
        )
        if scan_limits:
            env.update(SCAN_LIMITS)
        return env

    def flask(
        self, *args: str, config: str = "development", env: dict | None = None, timeout: float = 900
    ) -> subprocess.CompletedProcess:
        """Run a `flask` command against this run's database."""
        return subprocess.run(
            [sys.executable, "-m", "flask", *args],
            cwd=ROOT,
            env=env or self.base_env(config),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def load_demo(self) -> None:
        """Migrate and load the demo data, with the development settings."""
        for command in (("db", "upgrade"), ("seed-demo",)):
            done = self.flask(*command)
            if done.returncode != 0:
                raise RuntimeError(f"flask {' '.join(command)} failed:\n{done.stderr[-2000:]}")


def _libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def _admin_connection(admin_url: str):
    return psycopg.connect(_libpq(admin_url), autocommit=True)


class Gunicorn:
    """gunicorn serving wsgi:app with production's config (`with` stops it)."""

    def __init__(self, env: dict[str, str], port: int, log: Path):
        self.env = env
        self.port = port
        self.log = log
        self.process: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            "python:diaspora.gunicorn_config",  # production's settings: preload, 2 workers
            "--bind",
            f"127.0.0.1:{self.port}",
            "--timeout",
            "120",
            "--graceful-timeout",
            "5",
            "--no-control-socket",
            "wsgi:app",
        ]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def wait_until_serving(self, timeout: float = 120) -> bool:
        """True once the home page answers; False if the server exited or never answered."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            try:
                with urllib.request.urlopen(self.base + "/", timeout=5) as response:
                    return response.status == 200
            except urllib.error.HTTPError:
                return True  # it answered, though not with the home page
            except OSError:
                time.sleep(0.3)
        return False

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def __enter__(self) -> Gunicorn:
        self.start()
        if not self.wait_until_serving():
            self.stop()
            tail = self.log.read_text(errors="replace")[-3000:]
            raise RuntimeError(f"gunicorn did not start; its log ends with:\n{tail}")
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def serve(stack: Stack, scan_limits: bool) -> Gunicorn:
    port = free_port()
    return Gunicorn(
        stack.production_env(port, scan_limits),
        port,
        stack.workdir / f"gunicorn-{'scan' if scan_limits else 'defaults'}.log",
    )
