"""`flask create-admin`: the first admin of a new installation, or one more."""

import click
from flask import Flask

from diaspora.services.errors import ValidationFailed


@click.command("create-admin")
@click.argument("email")
@click.option(
    "--password",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    help="At least 10 characters.",
)
@click.option("--name", default="", help="Full name shown to other users.")
def create_admin(email: str, password: str, name: str) -> None:
    """Create an admin account, or make an existing account an admin."""
    from diaspora.services import accounts

    try:
        user = accounts.create_admin(email, password, name)
    except ValidationFailed as e:
        raise click.ClickException(str(e)) from e
    click.echo(f"Admin ready: {user.email}")


def register(app: Flask) -> None:
    app.cli.add_command(create_admin)
