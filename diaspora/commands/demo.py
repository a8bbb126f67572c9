"""`flask seed-demo`: demo accounts (and demo experts and projects) for trying the platform."""

import io
from datetime import date

import click
from flask import Flask, current_app
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from diaspora.extensions import db
from diaspora.models import Institution, InstitutionKind, Membership, Project, Role, User
from diaspora.models.base import utcnow

DEMO_PASSWORD = "demo-password-2026"
DEMO_ACCOUNTS = (
    ("admin@diaspora.demo", "Amina Admin", Role.ADMIN),
    ("expert@diaspora.demo", "Yassine El Idrissi", Role.EXPERT),
    ("membre@sante.gov.ma", "Nadia Berrada", Role.INSTITUTION),
)


DEMO_INSTITUTION = "Ministère de la Santé et de la Protection sociale"
DEMO_DOMAIN = "sante.gov.ma"


def _demo_institution() -> Institution:
    """The demo member's ministry: found by its domain, else by its name (an import of projects
    creates institutions by name alone, without a domain), else created."""
    query = select(Institution).where(Institution.email_domain == DEMO_DOMAIN)
    institution = db.session.scalar(query)
    if institution is None:
        # Names compared as the import and seed_institutions compare them.
        named = {i.name.casefold(): i for i in db.session.scalars(select(Institution))}
        institution = named.get(DEMO_INSTITUTION.casefold())
    if institution is None:
        institution = Institution(
            name=DEMO_INSTITUTION, kind=InstitutionKind.MINISTRY, verified_at=utcnow()
        )
        db.session.add(institution)
    # Its member's address is checked against the domain, which the import could not know.
    institution.email_domain = institution.email_domain or DEMO_DOMAIN
    return institution


def seed_accounts() -> list[tuple[str, str]]:
    """Create the demo accounts once (idempotent); return (email, role) pairs."""
    created = []
    for email, name, role in DEMO_ACCOUNTS:
        user = db.session.scalar(select(User).where(User.email == email))
        if user is None:
            user = User(
                email=email,
                full_name=name,
                role=role,
                password_hash=generate_password_hash(DEMO_PASSWORD),
                email_verified_at=utcnow(),
            )
            db.session.add(user)
            if role == Role.INSTITUTION:
                db.session.add(Membership(user=user, institution=_demo_institution()))
        created.append((email, role))
    db.session.commit()
    return created


def seed_institutions() -> int:
    """The demo institutions, verified; return how many were created."""
    from diaspora.demo.generate import demo_institutions

    known = {i.name.casefold() for i in db.session.scalars(select(Institution))}
    created = 0
    for item in demo_institutions():
        if item["name"].casefold() in known:
            continue
        db.session.add(
            Institution(
                name=item["name"],
                kind=item.get("kind", InstitutionKind.OTHER),
                email_domain=item.get("email_domain"),
                verified_at=utcnow(),
            )
        )
        created += 1
    db.session.commit()
    return created


def seed_records(kind: str):
    """Demo experts or projects through the same import as `flask import`, rescoring included
    (idempotent)."""
    from diaspora.demo import generate as demo_data
    from diaspora.interchange import write_experts, write_projects
    from diaspora.services.imports import import_and_rescore

    stream = io.StringIO()
    if kind == "experts":
        write_experts(demo_data.demo_experts(), stream)
    else:
        write_projects(demo_data.demo_projects(), stream)
    stream.seek(0)
    return import_and_rescore(stream, kind, fmt="jsonl")


DEMO_PROFILE = dict(
    country="FR",
    city="Paris",
    languages=(("ar", "native"), ("ary", "native"), ("fr", "C2"), ("en", "C1")),
    skills=(
        ("machine learning", 4),
        ("computer vision", 4),
        ("deep learning", 3),
        ("Python (computer programming)", 5),
        ("medical imaging", 3),
        ("MLOps", 2),
    ),
    sectors=("health", "research"),
    modes=("remote", "short_mission"),
    hours_per_month=12,
    headline="Machine learning engineer in medical imaging",
    bio="Ingénieur en apprentissage automatique à Paris, spécialisé en imagerie médicale. "
    "Je souhaite contribuer aux projets de santé publique au Maroc.",
    years_experience=11,
    consent_matching=True,
)


def seed_expert_profile() -> bool:
    """A complete profile for the demo expert account, made once through the profile service."""
    from diaspora.services import experts

    user = db.session.scalar(select(User).where(User.email == "expert@diaspora.demo"))
    profile = experts.own_profile(user)
    if profile is not None and profile.country:
        return False
    experts.update_profile(user, experts.ProfileInput(**DEMO_PROFILE), locale="fr")
    return True


DEMO_DRAFT_TITLE = "Tableau de bord de suivi des vaccinations"


def seed_member_draft() -> bool:
    """A draft beside the imported projects, so the demo member can try publishing."""
    from diaspora.services import projects

    member = db.session.scalar(select(User).where(User.email == "membre@sante.gov.ma"))
    institution = _demo_institution()
    exists = db.session.scalar(
        select(Project.id).where(
            Project.institution_id == institution.id, Project.title == DEMO_DRAFT_TITLE
        )
    )
    if exists is not None:
        return False
    projects.create(
        member,
        projects.ProjectInfo(
            title=DEMO_DRAFT_TITLE,
            description="Suivre la couverture vaccinale par province et repérer les retards.",
            sector="health",
            skills=(
                projects.SkillWanted("data visualisation", 3, True),
                projects.SkillWanted("statistiques", 3, True),
                projects.SkillWanted("SQL", 2, False),
            ),
            languages=("fr", "ar"),
            mode="remote",
            location="Rabat",
            hours_per_month=10,
            seats=1,
            starts_on=date(date.today().year + 1, 3, 1),
            duration_months=6,
        ),
        institution.id,
    )
    return True


@click.command("seed-demo")
def seed_demo() -> None:
    """Load deterministic demo data: accounts, institutions, experts and projects."""
    if current_app.config["PRODUCTION"]:
        # The demo accounts' password is printed here and in the README: anyone could sign in.
        raise click.ClickException(
            "seed-demo refuses to run in production: its demo accounts "
            "(an admin among them) share a published password."
        )
    for email, role in seed_accounts():
        click.echo(f"  {role:<12} {email:<28} password: {DEMO_PASSWORD}")
    click.echo(f"institutions: {seed_institutions()} created")
    for kind in ("experts", "projects"):
        report = seed_records(kind)
        click.echo(
            f"{kind}: {report.created} created, {report.updated} updated, "
            f"{report.unchanged} unchanged, {len(report.rejected)} rejected"
        )
        for line, reasons in report.rejected:
            click.echo(f"  line {line}: {'; '.join(reasons)}")
    # The services write their messages in the reader's language, picked from a request.
    with current_app.test_request_context():
        profile = seed_expert_profile()
        draft = seed_member_draft()
    click.echo("demo expert profile: " + ("created" if profile else "present"))
    click.echo("demo draft project: " + ("created" if draft else "present"))
    from diaspora.commands.matching import recompute_with_progress

    recompute_with_progress()


def register(app: Flask) -> None:
    app.cli.add_command(seed_demo)
