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
    from diaspora.notifications.delivery import destination, work

    click.echo(f"Outbox worker: emails {destination()}")

    def report(sent: int, failed: int) -> None:
        if sent or failed:
            click.echo(f"sent {sent}, failed {failed}")

    try:
        work(interval, on_pass=report)
    except KeyboardInterrupt:
        click.echo("stopped")

KIND = click.Choice(["experts", "projects"])


@click.command("import")
@click.argument("kind", type=KIND)
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def import_file(kind: str, path: str) -> None:
    """Import KIND from PATH (.jsonl or .csv, shared/interchange.md), then rescore the open
    projects. Exit status 1 when a line was rejected (the other lines are imported all the
    same) or rescoring failed."""
    import sys

    from diaspora.matching_cli import RESCORING_STAGES, rescored_line, stage_bars
    from diaspora.services.imports import import_and_rescore

    with stage_bars({"import": f"Importing {kind}", **RESCORING_STAGES}) as progress:
        try:
            report = import_and_rescore(path, kind, progress=progress)
        except ValueError as e:  # a file name that says neither .jsonl nor .csv
            raise click.ClickException(str(e)) from e
    said = [(line, "; ".join(reasons)) for line, reasons in report.rejected] + report.notes
    for line, text in sorted(said):
        click.echo(f"line {line}: {text}")
    click.echo(f"{kind}: {report.created} created, {report.updated} updated, "
               f"{report.unchanged} unchanged, {len(report.rejected)} rejected")
    if report.rescored is not None:
        click.echo(rescored_line(report.rescored))
    if report.rescore_failed:
        click.echo("Rescoring failed (see the log above): run `flask suggestions recompute`.")
    if report.rejected or report.rescore_failed:
        sys.exit(1)


@click.command("export")
@click.argument("kind", type=KIND)
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
def export_file(kind: str, path: str) -> None:
    """Export KIND to PATH, as JSON Lines or CSV after its extension."""
    from diaspora.services.imports import export_records

    try:
        count = export_records(kind, path)
    except ValueError as e:
        raise click.ClickException(str(e)) from e
    click.echo(f"{count} {kind} written to {path}")


def register(app: Flask) -> None:
    app.cli.add_command(create_admin)
    app.cli.add_command(outbox_cli)
    app.cli.add_command(import_file)
    app.cli.add_command(export_file)
    from diaspora import demo_cli

    demo_cli.register(app)
    from diaspora import matching_cli

    matching_cli.register(app)
    from diaspora.matches import commands as matches_commands

    matches_commands.register(app)
