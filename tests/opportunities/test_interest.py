"""An expert expresses interest in a project: it waits in the review queue with their note, the
institution learns nothing before an admin approves, and the expert hears the outcome either
way. Every project state and every history of the pair either allows it or says why not,
changing nothing."""

from datetime import timedelta

import pytest

from diaspora.extensions import db
from diaspora.models import AuditEntry, Match, MatchSource, MatchStatus, Role
from diaspora.models.base import utcnow
from tests.conftest import PASSWORD

pytestmark = pytest.mark.config(MATCH_USE_TEXT=False)

NOTE = "J'ai construit un système de dépistage semblable à Dubaï."


def express(client, project, note=NOTE):
    return client.post(f"/opportunities/{project.id}/interest", data={"note": note})


def as_user(client, user):
    client.post("/auth/logout")
    client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    return client


@pytest.fixture
def expert_client(client, world):
    return as_user(client, world.expert.user)


def fresh_match(world, project):
    db.session.expire_all()
    return Match.query.filter_by(project_id=project.id, expert_id=world.expert.id).one_or_none()


def test_interest_waits_in_the_review_queue_with_the_note(expert_client, world, outbox):
    page = expert_client.get(f"/opportunities/{world.vision.id}/interest")
    assert page.status_code == 200 and "Send my interest" in page.get_data(as_text=True)
    response = express(expert_client, world.vision)
    assert response.status_code == 302 and response.location.endswith("/opportunities/")
    match = fresh_match(world, world.vision)
    assert match.status == MatchStatus.SUGGESTED and match.source == MatchSource.EXPERT
    assert match.proposed_by_id == world.expert.user_id and match.proposal_note == NOTE
    assert match.score > 0.5 and match.explanation["required"] and match.engine_version
    assert AuditEntry.query.filter_by(action="match.interest_expressed").count() == 1
    assert outbox() == []  # nobody is written to: not the institution, not the expert

    queue = as_user(expert_client, world.admin).get("/matches/review").get_data(as_text=True)
    assert "Asked by the expert" in queue and "J&#39;ai construit un système" in queue
    detail = expert_client.get(f"/matches/{match.id}").get_data(as_text=True)
    assert "Asked by the expert" in detail and 'name="share_reason"' in detail

    member = as_user(expert_client, world.member)
    assert member.get(f"/matches/{match.id}").status_code == 404
    pipeline = member.get(f"/matches/projects/{world.vision.id}/pipeline").get_data(as_text=True)
    assert world.expert.user.full_name not in pipeline


def test_an_approved_interest_is_an_invitation_worded_for_the_expert(expert_client, world, outbox):
    express(expert_client, world.vision)
    match = fresh_match(world, world.vision)
    admin = as_user(expert_client, world.admin)
    assert admin.post(f"/matches/{match.id}/approve").status_code == 302
    [invitation] = outbox(kind="invitation")
    assert invitation.kind == "invitation" and invitation.to_address == world.expert.user.email
    assert "You told us you would like to contribute" in invitation.body_text
    member = as_user(expert_client, world.member)
    pipeline = member.get(f"/matches/projects/{world.vision.id}/pipeline").get_data(as_text=True)
    assert world.expert.user.full_name in pipeline  # approved: the institution sees it now


@pytest.mark.parametrize("share", [True, False])
def test_a_rejected_interest_is_told_to_the_expert(expert_client, world, outbox, share):
    express(expert_client, world.vision)
    match = fresh_match(world, world.vision)
    admin = as_user(expert_client, world.admin)
    form = {"reason": "Le projet cherche un profil clinique."}
    if share:
        form["share_reason"] = "y"
    assert admin.post(f"/matches/{match.id}/reject", data=form).status_code == 302
    [email] = outbox()
    assert email.kind == "interest_not_taken" and email.to_address == world.expert.user.email
    assert "it was not taken forward: the institution did not see it" in email.body_text
    assert ("Le projet cherche un profil clinique." in email.body_text) is share
    assert ("Le projet cherche un profil clinique." in email.body_html) is share
    page = as_user(expert_client, world.expert.user).get("/opportunities/?unfit=1")
    assert "Your interest in this project was not taken forward." in page.get_data(as_text=True)


def test_rejecting_the_engines_suggestion_tells_nobody(expert_client, world, outbox):
    match = Match(project=world.vision, expert=world.expert, score=0.8)
    db.session.add(match)
    db.session.commit()
    admin = as_user(expert_client, world.admin)
    form = {"reason": "Pas cette fois.", "share_reason": "y"}
    assert admin.post(f"/matches/{match.id}/reject", data=form).status_code == 302
    assert outbox() == []


def test_an_interest_ends_kindly_when_the_project_closes(expert_client, world, outbox):
    express(expert_client, world.vision)
    member = as_user(expert_client, world.member)
    member.post(f"/projects/{world.vision.id}/status", data={"to": "closed"})
    [email] = outbox(kind="interest_not_taken")
    assert "closed the project before your request could be reviewed" in email.body_text
    assert fresh_match(world, world.vision).status == MatchStatus.CLOSED


def test_an_interest_ends_kindly_when_the_places_are_taken(
    expert_client, world, outbox, make_expert
):
    world.vision.seats = 1
    other = make_expert("karima@example.org", name="Karima Idrissi")
    invited = Match(
        project=world.vision,
        expert=other,
        status=MatchStatus.INVITED,
        invited_at=utcnow(),
        expires_at=utcnow() + timedelta(days=7),
    )
    db.session.add(invited)
    db.session.commit()
    express(as_user(expert_client, world.expert.user), world.vision)
    as_user(expert_client, other.user).post(f"/matches/{invited.id}/accept")
    [email] = outbox(kind="interest_not_taken")
    assert email.to_address == world.expert.user.email
    assert "places were all taken before your request could be reviewed" in email.body_text


# -- who may ask for what ------------------------------------------------------------------


@pytest.mark.parametrize(
    "project, status, message",
    [
        ("vision", 302, None),
        ("farm", 302, None),
        ("onsite", 400, "Your profile does not offer it."),
        ("german", 400, "none of them at level B2 or better"),
        ("closed", 400, "This project is closed"),
        ("full", 400, "All the places of this project are taken."),
        ("orphan", 400, "This project is not open to experts at the moment."),
        ("draft", 404, None),
    ],
)
def test_every_project_state(expert_client, world, outbox, project, status, message):
    target = getattr(world, project)
    before = Match.query.count()
    response = express(expert_client, target)
    assert response.status_code == status
    if message:
        assert message in response.get_data(as_text=True)
    assert Match.query.count() == before + (1 if status == 302 else 0)
    assert outbox() == []


def _history(world, status, source=MatchSource.ENGINE, approved=False):
    match = Match(
        project=world.vision,
        expert=world.expert,
        status=status,
        source=source,
        invited_at=utcnow() if approved else None,
        expires_at=utcnow() + timedelta(days=7) if approved else None,
        proposal_note="Avant." if source == MatchSource.EXPERT else None,
    )
    db.session.add(match)


def _no_profile(world):
    db.session.delete(world.expert)


def _no_consent(world):
    world.expert.consent_matching = False


def _stale(world):
    world.expert.confirmed_at = utcnow() - timedelta(days=800)


@pytest.mark.parametrize(
    "setup, message",
    [
        (_no_profile, "Build your profile first"),
        (_no_consent, "You have not agreed to matching"),
        (_stale, "Your profile was not confirmed in the last twelve months."),
        (lambda w: _history(w, MatchStatus.SUGGESTED, MatchSource.EXPERT), "already expressed"),
        (lambda w: _history(w, MatchStatus.SUGGESTED, MatchSource.MANUAL), "already proposed"),
        (lambda w: _history(w, MatchStatus.SUGGESTED, MatchSource.INSTITUTION), "already proposed"),
        (lambda w: _history(w, MatchStatus.INVITED, approved=True), "already invited"),
        (lambda w: _history(w, MatchStatus.ACCEPTED, approved=True), "already accepted"),
        (lambda w: _history(w, MatchStatus.DECLINED, approved=True), "You declined"),
        (lambda w: _history(w, MatchStatus.EXPIRED, approved=True), "expired"),
        (lambda w: _history(w, MatchStatus.CLOSED, approved=True), "was closed"),
        (
            lambda w: _history(w, MatchStatus.REJECTED, MatchSource.EXPERT),
            "was not taken forward",
        ),
        (lambda w: _history(w, MatchStatus.REJECTED), "already reviewed your profile"),
    ],
    ids=lambda v: getattr(v, "__name__", v) if callable(v) else "",
)
def test_every_expert_state_that_refuses(expert_client, world, outbox, setup, message):
    setup(world)
    db.session.commit()
    rows = [(m.id, m.status, m.source, m.proposal_note) for m in Match.query.order_by(Match.id)]
    page = expert_client.get(f"/opportunities/{world.vision.id}/interest").get_data(as_text=True)
    assert message in page and "Send my interest" not in page
    response = express(expert_client, world.vision)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    db.session.expire_all()
    after = [(m.id, m.status, m.source, m.proposal_note) for m in Match.query.order_by(Match.id)]
    assert after == rows and outbox() == []


def test_the_engines_waiting_suggestion_becomes_the_experts_interest(expert_client, world):
    suggestion = Match(project=world.vision, expert=world.expert, score=0.7, rank=1)
    db.session.add(suggestion)
    db.session.commit()
    assert express(expert_client, world.vision).status_code == 302
    match = fresh_match(world, world.vision)
    assert match.id == suggestion.id and match.source == MatchSource.EXPERT
    assert match.proposal_note == NOTE and match.status == MatchStatus.SUGGESTED


def test_asking_twice_keeps_one_request(expert_client, world):
    assert express(expert_client, world.vision).status_code == 302
    again = express(expert_client, world.vision, note="Encore moi.")
    assert again.status_code == 400 and "already expressed" in again.get_data(as_text=True)
    assert fresh_match(world, world.vision).proposal_note == NOTE


@pytest.mark.parametrize(
    "note, ok",
    [
        ("", False),
        ("   \n ", False),
        ("ب" * 500, True),  # the limit counts characters, in any script
        ("x" * 501, False),
        ("Bonjour\x00\u202e", True),  # hidden characters dropped, the rest kept
    ],
    ids=["empty", "blank", "500 Arabic letters", "501 letters", "hidden characters"],
)
def test_the_note_is_short_and_clean(expert_client, world, note, ok):
    response = express(expert_client, world.vision, note=note)
    assert response.status_code == (302 if ok else 400)
    match = fresh_match(world, world.vision)
    assert (match is not None) is ok
    if ok:
        assert "\x00" not in match.proposal_note and "\u202e" not in match.proposal_note


@pytest.mark.parametrize("role", [Role.INSTITUTION, Role.ADMIN])
def test_only_experts_express_interest(client, world, make_user, role):
    user = world.member if role == Role.INSTITUTION else world.admin
    as_user(client, user)
    assert express(client, world.vision).status_code == 403
    assert Match.query.filter_by(project_id=world.vision.id).count() == 0


def test_the_project_page_invites_an_expert_to_ask(expert_client, world):
    page = expert_client.get(f"/projects/{world.vision.id}").get_data(as_text=True)
    assert f"/opportunities/{world.vision.id}/interest" in page
    member = as_user(expert_client, world.member)
    page = member.get(f"/projects/{world.vision.id}").get_data(as_text=True)
    assert "/interest" not in page


def test_the_experts_data_export_holds_their_interest_and_note(expert_client, world):
    from diaspora.services.personal_data import export_personal_data

    express(expert_client, world.vision)
    [match] = export_personal_data(world.expert.user)["matches"]
    assert match["interest_note"] == NOTE and match["under_review"]
    assert match["note"].startswith("You expressed interest in this project")
