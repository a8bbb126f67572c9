"""`flask notifications digest|daily|consent`: messages gathered for people, safe to run from
cron (each says a thing once: running one twice sends nothing twice)."""

import sys

import click
from flask import Flask
from flask.cli import AppGroup

notifications_cli = AppGroup("notifications", help="Optional emails gathered for people.")


@notifications_cli.command("digest")
def digest() -> None:
    """Write each person's weekly digest to the outbox (nothing for those with nothing new).
    Running it again sends nothing twice: what a digest told is recorded with it."""
    from diaspora.services.digest import send_digests

    with click.progressbar(length=1, label="Digests", file=sys.stderr) as bar:

        def progress(done: int, total: int) -> None:
            bar.length = max(total, 1)
            bar.update(done - bar.pos)

        run = send_digests(progress)
    click.echo(f"{run.sent} digests written to the outbox for {run.recipients} people looked at")


@notifications_cli.command("daily")
def daily() -> None:
    """Each admin's summary of the work waiting (nothing when nothing waits), and the
    reminders of experts whose profile drops out of matching within 30 days."""
    from diaspora.services import daily_summary, reconfirmation

    admins = daily_summary.send_summaries()
    experts = reconfirmation.send_reminders()
    click.echo(f"{admins} admins told of waiting work; {experts} experts reminded to confirm")


@notifications_cli.command("consent")
def consent() -> None:
    """Tell each expert who agreed to an older consent text, once, what changed (their
    suggestions wait until they accept it). Run it after deploying a new CONSENT_VERSION."""
    from diaspora.services import consent_notices

    told = consent_notices.send_notices()
    click.echo(f"{told} experts told that the consent text changed")


def register(app: Flask) -> None:
    app.cli.add_command(notifications_cli)
