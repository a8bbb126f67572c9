"""`flask outbox send` and `flask outbox work`: deliver the emails waiting in the outbox, and do
the jobs the admin pages leave there (rescoring every open project)."""

import click
from flask import Flask
from flask.cli import AppGroup

outbox_cli = AppGroup("outbox", help="Deliver the emails waiting in the outbox, do its jobs.")


def _run_jobs() -> bool:
    """Do the due rescoring job, if any, and say how it went; True if there was one."""
    from diaspora.services import rescore_jobs

    run = rescore_jobs.run_due()
    if run is None:
        return False
    if run.error is None:
        click.echo(f"rescored {run.stored['projects']} open projects")
    else:
        click.echo(f"rescoring failed: {run.error}", err=True)
    return True


@outbox_cli.command("send")
@click.option("--batch", default=500, show_default=True, help="At most this many messages.")
def outbox_send(batch: int) -> None:
    """One pass: deliver every message that is due, do the due job, then stop."""
    from diaspora.notifications.delivery import send_pending

    sent, failed = send_pending(batch)
    click.echo(f"sent {sent}, failed {failed}")
    _run_jobs()


@outbox_cli.command("work")
@click.option("--interval", default=5.0, show_default=True, help="Seconds between idle polls.")
def outbox_work(interval: float) -> None:
    """Deliver messages and do jobs as they come, until stopped (several workers may run at
    once)."""
    from diaspora.notifications.delivery import destination, work

    click.echo(f"Outbox worker: emails {destination()}")

    def report(sent: int, failed: int) -> None:
        if sent or failed:
            click.echo(f"sent {sent}, failed {failed}")

    try:
        work(interval, on_pass=report, jobs=_run_jobs)
    except KeyboardInterrupt:
        click.echo("stopped")


def register(app: Flask) -> None:
    app.cli.add_command(outbox_cli)
