"""`flask invitations tick` and `flask notifications digest`: the jobs cron runs."""

import click
from flask import Flask
from flask.cli import AppGroup

invitations_cli = AppGroup("invitations", help="Reminders and expiry of invitations.")
notifications_cli = AppGroup("notifications", help="Optional messages and weekly digests.")


@invitations_cli.command("tick")
def invitations_tick() -> None:
    """Remind once after INVITATION_REMIND_DAYS, expire after INVITATION_EXPIRE_DAYS.
    Idempotent: safe to run every few minutes, even twice at once."""
    from diaspora.services import invitations

    report = invitations.tick()
    click.echo(f"reminded {report.reminded}, expired {report.expired}")


@notifications_cli.command("digest")
def notifications_digest() -> None:
    """Gather the held optional messages of weekly-digest readers into one email each."""
    from diaspora.notifications.digest import send_digests

    click.echo(f"digests {send_digests()}")


def register(app: Flask) -> None:
    app.cli.add_command(invitations_cli)
    app.cli.add_command(notifications_cli)
