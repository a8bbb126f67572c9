"""Row locks that serialise the changes of one project: its status, its invitations, answers."""

from sqlalchemy import select

from diaspora.extensions import db
from diaspora.models import Project


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
