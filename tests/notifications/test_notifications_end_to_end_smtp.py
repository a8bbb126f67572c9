"""The notifications of issue 12's story through a real SMTP server on 127.0.0.1: an expert is
invited for a project, accepts, the collaboration starts and hours are logged, an admin's day
has work waiting. Every email arrives once, in its reader's language, and the optional ones
carry the List-Unsubscribe headers."""

from diaspora.extensions import db
from diaspora.models import Collaboration, Institution
from diaspora.services import collaborations, reviews
from tests.conftest import link_in


def deliver(runner):
    result = runner.invoke(args=["outbox", "send"])
    assert result.exit_code == 0 and "failed 0" in result.output, result.output


def inbox(smtp_server, to):
    return [m for rcpt, m in smtp_server.messages if to in rcpt]


def text_of(message):
    return message.get_body(preferencelist=("plain",)).get_content()


def test_the_story_tells_everyone_once_in_their_language(
    client, runner, smtp_app, smtp_server, world, make_match
):
    match = make_match(world.project, world.expert)
    reviews.approve(world.admin, match.id)
    deliver(runner)
    [invitation] = inbox(smtp_server, world.expert.user.email)
    accept = link_in(text_of(invitation), "/accept")
    assert client.post(accept).status_code == 200
    collab = Collaboration.query.filter_by(match_id=match.id).one()
    collaborations.start(world.member, collab.id, collaborations.today())
    collaborations.log_hours(world.expert.user, collab.id, collaborations.today(), 12)
    db.session.add(Institution(name="Université Nouvelle", kind="university"))
    db.session.commit()
    assert runner.invoke(args=["notifications", "daily"]).exit_code == 0
    deliver(runner)
    deliver(runner)  # a second pass finds nothing left to send

    nadia = inbox(smtp_server, world.member.email)  # French; she started the collaboration
    assert [m["Content-Language"] for m in nadia] == ["fr"] * 3
    subjects = [m["Subject"] for m in nadia]
    assert "Un expert a été invité" in subjects[0] and "Salma Bennani" in subjects[1]
    assert "heures" in subjects[2].lower() or "12" in text_of(nadia[2])
    assert all(m["List-Unsubscribe"] and m["List-Unsubscribe-Post"] for m in nadia)

    omar = inbox(smtp_server, world.colleague.email)  # Arabic; told of the start too
    assert len(omar) == 4 and {m["Content-Language"] for m in omar} == {"ar"}

    salma = inbox(smtp_server, world.expert.user.email)  # the invitation, then the start
    assert len(salma) == 2 and "/collaborations/" in text_of(salma[1])
    assert salma[0]["List-Unsubscribe"] is None  # an invitation is transactional

    [summary] = inbox(smtp_server, world.admin.email)
    assert "Institutions to verify: 1" in text_of(summary)
