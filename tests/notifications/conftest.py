"""A real SMTP server in the test process (aiosmtpd), and an app that delivers to it."""

import email
import socket
from email import policy

import pytest
from aiosmtpd.controller import Controller

# Experts the engine finds for a health project asking for computer vision (the story's).
from tests.browser.conftest import make_fitting_experts  # noqa: F401  (fixture)

# The world of a project, its institution's members, experts and an admin, for the tests of
# notifications.
from tests.matches.conftest import (  # noqa: F401  (fixtures)
    clock,
    make_expert,
    make_match,
    make_project,
    world,
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Collector:
    """aiosmtpd handler keeping every message it accepts: (envelope recipients, parsed email)."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        parsed = email.message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((list(envelope.rcpt_tos), parsed))
        return "250 Message accepted"


class SmtpServer:
    """A mail server on a fixed port that a test can take down and bring back up."""

    def __init__(self):
        self.port = free_port()
        self.collector = Collector()
        self._controller = None

    @property
    def messages(self):
        return self.collector.messages

    def message_ids(self):
        return [message["Message-ID"] for _, message in self.messages]

    def start(self):
        if self._controller is None:
            # A stopped controller cannot restart (its event loop is closed): make a new one.
            self._controller = Controller(self.collector, hostname="127.0.0.1", port=self.port)
            self._controller.start()

    def stop(self):
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


@pytest.fixture
def smtp_server():
    """A running SMTP server; `.messages` lists what it received, `.stop()`/`.start()`."""
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def smtp_app(app, smtp_server):
    """The app delivering through `smtp_server` instead of writing files."""
    app.config.update(
        MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.port, MAIL_TIMEOUT=5
    )
    return app
