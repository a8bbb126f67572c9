"""Row locks that serialise the changes of one project (its status, its invitations, answers),
of one institution's members (who is a manager) and of one expert's stays in Morocco."""

from sqlalchemy import select

from diaspora.extensions import db
from diaspora.models import ExpertProfile, Institution, Project


def lock_project(project_id: int) -> Project:
    """The project read again under a row lock until the caller commits (PostgreSQL; SQLite
    lets one writer at a time anyway): closing it, approving for it and answering its
    invitations wait for each other, and each then sees what the other did (so two experts
    accepting the last seat at the same moment cannot both get it)."""
    query = (
        select(Project).where(Project.id == project_id).execution_options(populate_existing=True)
    )
    if db.engine.dialect.name == "postgresql":
        # FOR NO KEY UPDATE, not FOR UPDATE: writes to the project's matches check their
        # foreign key with FOR KEY SHARE, which must not wait here (a rejection holding a match
        # while a bulk approval holding the project wants it would deadlock).
        query = query.with_for_update(key_share=True)
    return db.session.scalars(query).one()


def lock_institution(institution_id: int) -> Institution | None:
    """The institution read again under a row lock until the caller commits (PostgreSQL;
    SQLite lets one writer at a time anyway): two managers stepping down, or removing each
    other, at the same moment wait for each other, and the second then counts the managers
    the first left, so an institution with members never ends up without one."""
    query = (
        select(Institution)
        .where(Institution.id == institution_id)
        .execution_options(populate_existing=True)
    )
    if db.engine.dialect.name == "postgresql":
        # As for projects: inserting a membership checks its foreign key with FOR KEY SHARE,
        # which must not wait here.
        query = query.with_for_update(key_share=True)
    return db.session.scalars(query).one_or_none()


def lock_expert(expert_id: int) -> ExpertProfile:
    """The expert's profile read again under a row lock until the caller commits (PostgreSQL;
    SQLite lets one writer at a time anyway): two requests adding or changing the expert's
    stays wait for each other, and the second then checks its dates against the first's stay,
    so that two stays at once cannot overlap."""
    query = (
        select(ExpertProfile)
        .where(ExpertProfile.id == expert_id)
        .execution_options(populate_existing=True)
    )
    if db.engine.dialect.name == "postgresql":
        # As for projects: inserting a stay checks its foreign key with FOR KEY SHARE, which
        # must not wait here.
        query = query.with_for_update(key_share=True)
    return db.session.scalars(query).one()
