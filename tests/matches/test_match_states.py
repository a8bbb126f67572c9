"""The match state machine: only the moves in its table, each one audited."""

import pytest

from diaspora.extensions import db
from diaspora.models import AuditEntry, Match, MatchStatus
from diaspora.services.match_states import ALLOWED, IllegalTransition, transition
from tests.matches.conftest import ENGINE_VERSION, WEIGHTS, fresh

ILLEGAL = [(a, b) for a in MatchStatus.ALL for b in MatchStatus.ALL if b not in ALLOWED[a]]
LEGAL = [(a, b) for a in MatchStatus.ALL for b in sorted(ALLOWED[a])]


def test_the_table_names_every_status_and_only_known_ones():
    assert set(ALLOWED) == set(MatchStatus.ALL)
    assert all(targets <= set(MatchStatus.ALL) for targets in ALLOWED.values())


@pytest.mark.parametrize("current, wanted", ILLEGAL)
def test_every_illegal_transition_is_refused_and_changes_nothing(
    world, make_match, current, wanted
):
    match = make_match(world.project, world.expert, status=current)
    audits = AuditEntry.query.count()
    with pytest.raises(IllegalTransition):
        transition(match, wanted, world.admin, "trying")
    db.session.commit()
    assert fresh(match).status == current
    assert AuditEntry.query.count() == audits


@pytest.mark.parametrize("current, wanted", LEGAL)
def test_every_allowed_transition_is_audited_with_who_why_and_the_engine(
    world, make_match, current, wanted
):
    match = make_match(world.project, world.expert, status=current)
    transition(match, wanted, world.admin, "a reason")
    db.session.commit()
    assert fresh(match).status == wanted
    entry = AuditEntry.query.filter_by(action=f"match.{wanted}").one()
    assert entry.actor_id == world.admin.id and entry.subject_type == "match"
    assert entry.subject_id == match.id and entry.created_at is not None
    assert entry.details["from"] == current and entry.details["to"] == wanted
    assert entry.details["reason"] == "a reason"
    assert entry.details["engine_version"] == ENGINE_VERSION
    assert entry.details["weights"] == WEIGHTS


def test_a_move_made_elsewhere_first_wins_and_the_late_one_is_refused(world, make_match):
    match = make_match(world.project, world.expert, status="invited")
    # Another process (the cron job) expires it behind this session's back.
    with db.engine.begin() as other:
        other.execute(db.update(Match).where(Match.id == match.id).values(status="expired"))
    assert match.status == "invited"  # what this session still believes
    with pytest.raises(IllegalTransition):
        transition(match, "accepted", world.expert.user)
    db.session.rollback()
    assert fresh(match).status == "expired"
    assert AuditEntry.query.filter_by(action="match.accepted").count() == 0
