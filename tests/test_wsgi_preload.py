"""Production's server: gunicorn with diaspora.gunicorn_config loads and warms the app once, then
forks its workers from that process. No database connection may cross the fork: workers
sharing one socket interleave their queries ("connection in transaction status INTRANS",
"server closed the connection unexpectedly")."""

import http.cookiejar
import os
import runpy
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from diaspora.extensions import db
from diaspora.models import Role

ROOT = Path(__file__).resolve().parents[1]
WSGI = ROOT / "wsgi.py"
CONCURRENT_CLIENTS = 16
REQUESTS = 96


def test_the_warm_up_leaves_no_database_connection_for_the_forked_workers_to_share(
    app, monkeypatch
):
    # Another preloading server runs wsgi.py with DIASPORA_WARM=1.
    monkeypatch.setenv("DIASPORA_WARM", "1")
    monkeypatch.setattr("diaspora.create_app", lambda *args, **kwargs: app)
    runpy.run_path(str(WSGI))
    with app.app_context():
        assert db.engine.pool.checkedin() == 0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str, cookie: str = "", timeout: float = 30) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


class Server:
    """gunicorn as production starts it (the test settings aside), on a free port."""

    def __init__(self, database_url: str, workdir: Path):
        self.base = f"http://127.0.0.1:{_free_port()}"
        self.log = workdir / "gunicorn.log"
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DIASPORA_", "FLASK_"))}
        env.pop("PROMETHEUS_MULTIPROC_DIR", None)
        env.update(
            DIASPORA_CONFIG="testing",
            TEST_DATABASE_URL=database_url,
            DIASPORA_INSTANCE_DIR=str(workdir / "instance"),
            MAIL_DIR=str(workdir / "mail"),
            WEB_CONCURRENCY="2",
        )
        command = [sys.executable, "-m", "gunicorn", "-c", "python:diaspora.gunicorn_config"]
        command += ["--bind", self.base.removeprefix("http://"), "wsgi:app"]
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip

    def wait_until_serving(self) -> None:
        for _ in range(1200):  # the warm-up loads the taxonomy and the sentence encoder
            if self.process.poll() is not None:
                break
            try:
                if _get(self.base + "/healthz", timeout=5)[0] == 200:
                    return
            except OSError:
                pass  # not listening yet
            time.sleep(0.25)
        raise AssertionError("gunicorn did not start:\n" + self.log.read_text()[-3000:])

    def log_in(self, email: str, password: str) -> str:
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        form = urllib.parse.urlencode({"email": email, "password": password}).encode()
        with opener.open(self.base + "/auth/login", data=form, timeout=60) as response:
            assert response.status == 200
        return "; ".join(f"{c.name}={c.value}" for c in jar)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


@pytest.fixture
def server(database_url, tmp_path):
    if not database_url.startswith("postgresql"):
        pytest.skip("set TEST_DATABASE_URL to a PostgreSQL database to test the server on it")
    running = Server(database_url, tmp_path)
    try:
        running.wait_until_serving()
        yield running
    finally:
        running.stop()


def _served(scrape: str, route: str, status: str) -> float:
    return sum(
        sample.value
        for family in text_string_to_metric_families(scrape)
        for sample in family.samples
        if sample.name == "diaspora_http_request_duration_seconds_count"
        and sample.labels.get("route") == route
        and sample.labels.get("status") == status
    )


def test_a_preloaded_gunicorn_serves_concurrent_expert_dashboards_without_an_error(
    make_user, server
):
    from tests.conftest import PASSWORD

    make_user("salma@example.org", role=Role.EXPERT, name="Salma Bennani")
    cookie = server.log_in("salma@example.org", PASSWORD)

    with ThreadPoolExecutor(CONCURRENT_CLIENTS) as pool:
        answers = list(
            pool.map(lambda _: _get(server.base + "/dashboard", cookie), range(REQUESTS))
        )

    statuses = [status for status, _ in answers]
    assert statuses == [200] * REQUESTS, server.log.read_text()[-3000:]
    assert all(b"Salma Bennani" in body for _, body in answers)
    # Both workers counted into one set of metrics, whichever answers the scrape.
    status, scrape = _get(server.base + "/metrics")
    assert status == 200
    assert _served(scrape.decode(), "/dashboard", "200") == REQUESTS + 1  # + the log-in's
