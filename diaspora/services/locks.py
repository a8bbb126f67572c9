"""Row locks that serialise the changes of one project (its status, its invitations, answers),
of one institution's members (who is a manager) and of one expert's stays in Morocco."""

from sqlalchemy import select

from diaspora.extensions import db
from diaspora.models import ExpertProfile, Institution, Project


def _locking(model, row_id: int):
    """The SELECT of `model`'s row that locks it until the caller commits (PostgreSQL; SQLite
    lets one writer at a time anyway), and reads it again even if the session has it."""
    query = select(model).where(model.id == row_id).execution_options(populate_existing=True)
    if db.engine.dialect.name == "postgresql":
        # FOR NO KEY UPDATE, not FOR UPDATE: writes to rows that refer to this one check their
        # foreign key with FOR KEY SHARE, which must not wait here (a rejection holding a match
        # while a bulk approval holding the project wants it would deadlock).
        query = query.with_for_update(key_share=True)
    return query


def lock_project(project_id: int) -> Project:
    """The project read again under a row lock: closing it, approving for it and answering
    its invitations wait for each other, and each then sees what the other did (so two
    experts accepting the last seat at the same moment cannot both get it)."""
    return db.session.scalars(_locking(Project, project_id)).one()


def lock_institution(institution_id: int) -> Institution | None:
    """The institution read again under a row lock: two managers stepping down, or removing
    each other, at the same moment wait for each other, and the second then counts the
    managers the first left, so an institution with members never ends up without one."""
    return db.session.scalars(_locking(Institution, institution_id)).one_or_none()


def lock_expert(expert_id: int) -> ExpertProfile:
    """The expert's profile read again under a row lock: two requests adding or changing the
    expert's stays wait for each other, and the second then checks its dates against the
    first's stay, so that two stays at once cannot overlap."""
    return db.session.scalars(_locking(ExpertProfile, expert_id)).one()
