"""`flask invitations tick`: the job cron runs."""

import click
from flask import Flask
from flask.cli import AppGroup

invitations_cli = AppGroup("invitations", help="Reminders and expiry of invitations.")


@invitations_cli.command("tick")
def invitations_tick() -> None:
    """Remind once after INVITATION_REMIND_DAYS, expire after INVITATION_EXPIRE_DAYS.
    Idempotent: safe to run every few minutes, even twice at once."""
    from diaspora.services import invitations

    report = invitations.tick()
    click.echo(f"reminded {report.reminded}, expired {report.expired}")


def register(app: Flask) -> None:
    app.cli.add_command(invitations_cli)
