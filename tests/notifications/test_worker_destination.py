"""`flask outbox work`, which `make run` starts beside the server, says where emails go."""

from pathlib import Path

import pytest


@pytest.fixture
def worker(runner, monkeypatch):
    """Run `flask outbox work` as if stopped with Ctrl-C at once; returns its output."""

    def stopped(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("diaspora.notifications.delivery.work", stopped)
    return lambda: runner.invoke(args=["outbox", "work"]).output


def test_delivering_to_files_the_worker_names_their_folder(app, worker):
    folder = Path(app.config["MAIL_DIR"]).resolve()
    assert worker().splitlines() == [f"Outbox worker: emails are written to {folder}/", "stopped"]


@pytest.mark.config(MAIL_BACKEND="smtp", MAIL_SERVER="smtp.example.org", MAIL_PORT=587)
def test_with_a_mail_server_the_worker_names_it(worker):
    assert "Outbox worker: emails are sent through smtp.example.org:587" in worker()
