"""`flask notifications digest`: the weekly digest, safe to run from cron."""

import click
from flask import Flask
from flask.cli import AppGroup

notifications_cli = AppGroup("notifications", help="Optional emails gathered for people.")


@notifications_cli.command("digest")
def digest() -> None:
    """Write each person's weekly digest to the outbox (nothing for those with nothing new).
    Running it again sends nothing twice: what a digest told is recorded with it."""
    from diaspora.services.digest import send_digests

    with click.progressbar(length=1, label="Digests", file=click.get_text_stream("stderr")) as bar:

        def progress(done: int, total: int) -> None:
            bar.length = max(total, 1)
            bar.update(done - bar.pos)

        run = send_digests(progress)
    click.echo(f"{run.sent} digests written to the outbox for {run.recipients} people looked at")


def register(app: Flask) -> None:
    app.cli.add_command(notifications_cli)
