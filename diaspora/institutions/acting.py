"""Which institution a member of several acts for: their choice, kept in the session (a
reading preference of this browser, not a right), and checked against their memberships on
every use; the first of their institutions until they choose."""

from flask import session
from flask_login import current_user

from diaspora.institutions import bp
from diaspora.models import Institution
from diaspora.services.permissions import member_institutions

SESSION_KEY = "acting_institution"


@bp.app_template_global()
def acting_institution(user=None) -> Institution | None:
    """The institution the signed-in member acts for (None for anyone else)."""
    mine = member_institutions(user if user is not None else current_user)
    chosen = session.get(SESSION_KEY)
    for institution in mine:
        if institution.id == chosen:
            return institution
    return mine[0] if mine else None


def choose(user, institution_id: int | None) -> Institution | None:
    """Act for `institution_id` from now on, if `user` is one of its members."""
    for institution in member_institutions(user):
        if institution.id == institution_id:
            session[SESSION_KEY] = institution.id
            return institution
    return None
