"""`flask seed-demo`: demo accounts (and demo experts and projects) for trying the platform."""

import click
from flask import Flask
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from diaspora.extensions import db
from diaspora.models import Institution, InstitutionKind, Membership, Role, User
from diaspora.models.base import utcnow

DEMO_PASSWORD = "demo-password-2026"
DEMO_ACCOUNTS = (
    ("admin@diaspora.demo", "Amina Admin", Role.ADMIN),
    ("expert@diaspora.demo", "Yassine El Idrissi", Role.EXPERT),
    ("membre@sante.gov.ma", "Nadia Berrada", Role.INSTITUTION),
)


def _demo_institution() -> Institution:
    institution = db.session.scalar(
        select(Institution).where(Institution.email_domain == "sante.gov.ma")
    )
    if institution is None:
        institution = Institution(
            name="Ministère de la Santé et de la Protection sociale",
            kind=InstitutionKind.MINISTRY,
            email_domain="sante.gov.ma",
            verified_at=utcnow(),
        )
        db.session.add(institution)
    return institution


def seed_accounts() -> list[tuple[str, str]]:
    """Create the demo accounts once (idempotent); return (email, role) pairs."""
    created = []
    for email, name, role in DEMO_ACCOUNTS:
        user = db.session.scalar(select(User).where(User.email == email))
        if user is None:
            user = User(email=email, full_name=name, role=role,
                        password_hash=generate_password_hash(DEMO_PASSWORD),
                        email_verified_at=utcnow())
            db.session.add(user)
            if role == Role.INSTITUTION:
                db.session.add(Membership(user=user, institution=_demo_institution()))
        created.append((email, role))
    db.session.commit()
    return created


@click.command("seed-demo")
def seed_demo() -> None:
    """Load deterministic demo data: accounts, institutions, experts and projects."""
    for email, role in seed_accounts():
        click.echo(f"  {role:<12} {email:<28} password: {DEMO_PASSWORD}")


def register(app: Flask) -> None:
    app.cli.add_command(seed_demo)
