"""Every `flask` command, one module per area; routes and commands call the same services."""

from flask import Flask

from diaspora.commands import (
    accounts,
    demo,
    interchange,
    invitations,
    matching,
    notifications,
    outbox,
)

MODULES = (accounts, outbox, interchange, demo, matching, invitations, notifications)


def register(app: Flask) -> None:
    """Add every command of the package to the app's `flask` CLI."""
    for module in MODULES:
        module.register(app)
