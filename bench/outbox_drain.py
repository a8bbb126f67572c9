"""How fast the outbox worker drains rendered emails into a real SMTP server.

    .venv/bin/python bench/outbox_drain.py [--count 2000] [--workers 1] [--database-url URL]

Fills a fresh outbox with `--count` verification emails (French, Arabic and English in turn)
through `outbox.enqueue`, starts an aiosmtpd server on 127.0.0.1, then drains the outbox with
`delivery.send_pending` — the same function `flask outbox work` loops over — from `--workers`
threads, each with its own application context and database session. Prints messages per
second, the total time, and checks that the server received every message exactly once
(distinct Message-IDs). Several workers need PostgreSQL (FOR UPDATE SKIP LOCKED); SQLite has
one writer at a time, so it runs with one.
"""

import argparse
import email
import multiprocessing
import socket
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

LOCALES = ("fr", "ar", "en")


class Recorder:
    """aiosmtpd handler that writes the Message-ID of every email it accepts, one a line."""

    def __init__(self, path: Path) -> None:
        self.out = open(path, "a", encoding="utf-8")  # noqa: SIM115 (open while serving)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.out.write(email.message_from_bytes(envelope.content)["Message-ID"] + "\n")
        self.out.flush()
        return "250 Message accepted for delivery"


def serve_smtp(port: int, received: Path, ready, stop) -> None:
    """An SMTP server in its own process, as a relay would be: it does not take the workers'
    interpreter lock, so what is timed is the outbox's side."""
    from aiosmtpd.controller import Controller

    server = Controller(Recorder(received), hostname="127.0.0.1", port=port)
    server.start()
    ready.set()
    stop.wait()
    server.stop()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fill_outbox(app, count: int) -> float:
    """Enqueue `count` rendered emails; return the seconds it took."""
    from diaspora.extensions import db
    from diaspora.notifications.outbox import enqueue

    # enqueue only reads the recipient's name and id: no account rows are needed.
    recipient = SimpleNamespace(id=None, full_name="Salma Benali")
    started = time.perf_counter()
    with app.app_context():
        for n in range(count):
            enqueue(
                "verify_email",
                f"expert{n}@example.org",
                LOCALES[n % len(LOCALES)],
                user=recipient,
                verify_url=f"http://127.0.0.1:5000/auth/verify/token-{n}",
                hours=72,
            )
            if n % 500 == 499:
                db.session.commit()
        db.session.commit()
    return time.perf_counter() - started


def drain(app, workers: int) -> tuple[float, list[int], int]:
    """Run `workers` threads over send_pending until none finds work.

    Returns the seconds taken, how many emails each worker sent, and the failed attempts."""
    from diaspora.notifications.delivery import send_pending

    sent = [0] * workers
    failed = [0] * workers

    def worker(n: int) -> None:
        with app.app_context():
            while True:
                batch_sent, batch_failed = send_pending(batch=50)
                sent[n] += batch_sent
                failed[n] += batch_failed
                if batch_sent == 0 and batch_failed == 0:
                    break

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(workers)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, sent, sum(failed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2_000)
    parser.add_argument("--workers", type=int, default=1, help="threads draining at once")
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    args = parser.parse_args()
    if args.count < 1 or not 1 <= args.workers <= 10:
        parser.error("--count must be positive and --workers between 1 and 10")
    if args.workers > 1 and not (args.database_url or "").startswith("postgresql"):
        parser.error("several workers need PostgreSQL (--database-url postgresql+psycopg://...)")

    from diaspora import create_app
    from diaspora.extensions import db
    from diaspora.models import OutboxMessage, OutboxStatus

    workdir = Path(tempfile.mkdtemp(prefix="diaspora-bench-"))
    url = args.database_url or f"sqlite:///{workdir / 'bench.sqlite'}"
    port = free_port()
    app = create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=url,
        MAIL_BACKEND="smtp",
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=port,
    )
    with app.app_context():
        db.drop_all()
        db.create_all()

    seconds = fill_outbox(app, args.count)
    print(
        f"enqueued {args.count} rendered emails in {seconds:.1f} s ({args.count / seconds:.0f}/s)"
    )

    received_file = workdir / "received.txt"
    ready, stop = multiprocessing.Event(), multiprocessing.Event()
    server = multiprocessing.Process(target=serve_smtp, args=(port, received_file, ready, stop))
    server.start()
    if not ready.wait(30):
        server.kill()
        sys.exit("the SMTP server did not start")
    try:
        seconds, per_worker, failed = drain(app, args.workers)
        sent = sum(per_worker)
    finally:
        stop.set()
        server.join(30)

    with app.app_context():
        delivered = db.session.query(OutboxMessage).filter_by(status=OutboxStatus.SENT).count()
        expected = set(db.session.scalars(db.select(OutboxMessage.message_id)))
        db.session.remove()  # PostgreSQL would wait on this session's open transaction
        db.drop_all()
    message_ids = received_file.read_text(encoding="utf-8").splitlines()
    received = Counter(message_ids)
    dialect = url.split(":", 1)[0].split("+", 1)[0]
    print(
        f"drained {sent} emails with {args.workers} worker(s) on {dialect} in {seconds:.1f} s: "
        f"{sent / seconds:.0f} messages/s ({failed} failed attempts)"
    )
    if args.workers > 1:
        print("sent by each worker: " + ", ".join(str(n) for n in per_worker))
    print(
        f"SMTP server received {len(message_ids)} emails, "
        f"{len(received)} distinct Message-IDs, {sum(n > 1 for n in received.values())} "
        f"duplicated; outbox rows marked sent: {delivered}"
    )
    ok = len(message_ids) == len(received) == delivered == args.count and set(received) == expected
    print("every message delivered exactly once" if ok else "MISMATCH: see the counts above")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
