"""Closing a project closes what is still open; a match another request moved or deleted in
the meantime is skipped, not a server error that undoes the whole close."""

from diaspora.extensions import db
from diaspora.models import Match
from diaspora.services import invitations, match_states


def test_a_match_moved_meanwhile_is_skipped_and_the_rest_closes(
    world, make_match, make_expert, monkeypatch
):
    moved = make_match(world.project, world.expert)
    other = make_match(world.project, make_expert("omar@example.org", name="Omar Alaoui"))
    real = match_states.transition

    def raced(match, status, *args, **kwargs):
        if match.id == moved.id:
            raise match_states.IllegalTransition("rejected", status)
        return real(match, status, *args, **kwargs)

    monkeypatch.setattr(invitations, "transition", raced)
    closed = invitations.close_open_matches(world.project, world.admin)
    db.session.commit()
    assert closed == 1
    assert db.session.get(Match, other.id).status == "closed"
    assert db.session.get(Match, moved.id).status == "suggested"
