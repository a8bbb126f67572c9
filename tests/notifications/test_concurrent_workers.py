"""Several outbox workers at once (PostgreSQL, FOR UPDATE SKIP LOCKED) never send an email
twice and leave none behind."""

import threading
import uuid
from collections import Counter

import pytest

from diaspora.extensions import db
from diaspora.models import OutboxMessage, OutboxStatus
from diaspora.notifications.delivery import send_pending

MESSAGES = 200
WORKERS = 4


def test_four_workers_deliver_every_message_exactly_once(smtp_app, smtp_server):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("concurrent workers need PostgreSQL (SKIP LOCKED); set TEST_DATABASE_URL")
    db.session.add_all(
        OutboxMessage(
            message_id=f"<w{i}.{uuid.uuid4().hex}@test>",
            kind="test",
            to_address=f"person{i}@example.org",
            subject=f"Message {i}",
            body_text="text",
            body_html="<p>html</p>",
        )
        for i in range(MESSAGES)
    )
    db.session.commit()
    start = threading.Barrier(WORKERS)
    sent_by_worker = [0] * WORKERS
    errors = []

    def worker(n):
        try:
            with smtp_app.app_context():
                start.wait()
                while True:
                    sent, failed = send_pending(batch=5)
                    sent_by_worker[n] += sent
                    if sent == 0 and failed == 0:
                        return
        except Exception as error:  # surfaced below: a thread's exception would vanish
            errors.append(error)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    received = Counter(smtp_server.message_ids())
    assert len(received) == MESSAGES
    assert [mid for mid, count in received.items() if count > 1] == []
    assert sum(sent_by_worker) == MESSAGES
    statuses = Counter(db.session.scalars(db.select(OutboxMessage.status)))
    assert statuses == {OutboxStatus.SENT: MESSAGES}
