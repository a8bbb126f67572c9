"""`flask` commands: accounts, the outbox worker, demo data."""

import click
from flask import Flask
from flask.cli import AppGroup

from diaspora.services.errors import ValidationFailed

outbox_cli = AppGroup("outbox", help="Deliver the emails waiting in the outbox.")


@click.command("create-admin")
@click.argument("email")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True,
              help="At least 10 characters.")
@click.option("--name", default="", help="Full name shown to other users.")
def create_admin(email: str, password: str, name: str) -> None:
    """Create an admin account, or make an existing account an admin."""
    from diaspora.services import accounts

    try:
        user = accounts.create_admin(email, password, name)
    except ValidationFailed as e:
        raise click.ClickException(str(e)) from e
    click.echo(f"Admin ready: {user.email}")


@outbox_cli.command("send")
@click.option("--batch", default=500, show_default=True, help="At most this many messages.")
def outbox_send(batch: int) -> None:
    """One pass: deliver every message that is due, then stop."""
    from diaspora.notifications.delivery import send_pending

    sent, failed = send_pending(batch)
    click.echo(f"sent {sent}, failed {failed}")


@outbox_cli.command("work")
@click.option("--interval", default=5.0, show_default=True, help="Seconds between idle polls.")
def outbox_work(interval: float) -> None:
    """Deliver messages as they come, until stopped (several workers may run at once)."""
    from diaspora.notifications.delivery import work

    def report(sent: int, failed: int) -> None:
        if sent or failed:
            click.echo(f"sent {sent}, failed {failed}")

    try:
        work(interval, on_pass=report)
    except KeyboardInterrupt:
        click.echo("stopped")


def register(app: Flask) -> None:
    app.cli.add_command(create_admin)
    app.cli.add_command(outbox_cli)
    from diaspora import demo_cli

    demo_cli.register(app)
    from diaspora import matching_cli

    matching_cli.register(app)
    from diaspora.matches import commands as matches_commands

    matches_commands.register(app)
