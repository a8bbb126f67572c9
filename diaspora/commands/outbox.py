"""`flask outbox send` and `flask outbox work`: deliver the emails waiting in the outbox."""

import click
from flask import Flask
from flask.cli import AppGroup

outbox_cli = AppGroup("outbox", help="Deliver the emails waiting in the outbox.")


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
    from diaspora.notifications.delivery import destination, work

    click.echo(f"Outbox worker: emails {destination()}")

    def report(sent: int, failed: int) -> None:
        if sent or failed:
            click.echo(f"sent {sent}, failed {failed}")

    try:
        work(interval, on_pass=report)
    except KeyboardInterrupt:
        click.echo("stopped")


def register(app: Flask) -> None:
    app.cli.add_command(outbox_cli)
