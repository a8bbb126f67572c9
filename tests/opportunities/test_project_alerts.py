"""Alerts: when a project is published, the experts it fits at least as well as the bar each
chose get one email about it; those who switched alerts off, who cannot fit it, or who cannot
read their account's email get none; a failing alert never stops a publication."""

import pytest

from diaspora.extensions import db
from diaspora.models import ExpertProfile, ProjectStatus, Role
from diaspora.services import project_alerts, suggestions
from tests.conftest import PASSWORD, link_in

pytestmark = pytest.mark.config(MATCH_USE_TEXT=False)

WEAKER = (("machine learning", 3), ("Python", 2))  # half the vision project's skills


def publish(client, member, project):
    client.post("/auth/logout")
    client.post("/auth/login", data={"email": member.email, "password": PASSWORD})
    response = client.post(f"/projects/{project.id}/status", data={"to": "published"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(type(project), project.id).status == ProjectStatus.PUBLISHED


def score_of(project, expert) -> int:
    return round(suggestions.explain_pair(project, expert)[0] * 100)


@pytest.fixture
def draft(world, make_project):
    return make_project(world.institution, "Segmentation d'IRM", status="draft")


def test_publishing_emails_the_experts_over_their_own_bar(
    client, world, draft, make_expert, outbox
):
    world.expert.alert_min_score = 50
    fussy = make_expert("fussy@example.org", WEAKER, name="Hind Fassi", alert_min_score=90)
    keen = make_expert("keen@example.org", WEAKER, name="Reda Keen", alert_min_score=50)
    make_expert("off@example.org", name="Off Alerts", alert_min_score=None)
    make_expert("noconsent@example.org", name="No Consent", consent=False)
    make_expert("german@example.org", name="Other Language", languages=(("de", "C2"),))
    unverified = make_expert("unverified@example.org", name="Not Verified")
    unverified.user.email_verified_at = None
    db.session.commit()
    assert 50 <= score_of(draft, keen) < 90  # the weaker profile sits between the two bars

    publish(client, world.member, draft)
    alerts = outbox(kind="project_alert")
    karim = "karim@example.org"  # the world's other expert, as strong, at the default bar
    assert sorted(m.to_address for m in alerts) == sorted(
        [world.expert.user.email, keen.user.email, karim]
    )
    assert fussy.user.email not in {m.to_address for m in outbox()}
    mail = next(m for m in alerts if m.to_address == world.expert.user.email)
    assert draft.title in mail.subject
    assert f"fits your profile at {score_of(draft, world.expert)} out of 100" in mail.body_text
    assert "Meets «computer vision»" in mail.body_text
    assert link_in(mail.body_text, "/interest") == f"/opportunities/{draft.id}/interest"
    assert "/opportunities/#alerts" in mail.body_text


def test_the_expert_at_the_default_bar_hears_of_a_project_that_fits_well(
    client, world, draft, outbox
):
    assert world.expert.alert_min_score == project_alerts.DEFAULT == 70
    assert score_of(draft, world.expert) >= 70
    publish(client, world.member, draft)
    assert [m.to_address for m in outbox(kind="project_alert")].count(world.expert.user.email) == 1


def test_a_new_profile_starts_at_the_default_bar(app, make_user):
    profile = ExpertProfile(user=make_user("new@example.org"), ref="E-NEW")
    db.session.add(profile)
    db.session.commit()
    assert profile.alert_min_score == project_alerts.DEFAULT


def test_an_email_is_in_the_experts_language(client, world, draft, outbox):
    world.expert.user.locale = "ar"
    db.session.commit()
    publish(client, world.member, draft)
    [mail] = outbox(kind="project_alert", to=world.expert.user.email)
    assert mail.locale == "ar" and "مشروع" in mail.subject
    # Why it fits, with the skills' Arabic labels (computer vision, machine learning).
    assert "«الرؤية الحاسوبية»" in mail.body_text and "«computer vision»" not in mail.body_text
    assert "«الرؤية الحاسوبية»" in mail.body_html


def test_closing_or_editing_a_published_project_sends_no_more_alerts(client, world, draft, outbox):
    publish(client, world.member, draft)
    before = len(outbox(kind="project_alert"))
    client.post(f"/projects/{draft.id}/status", data={"to": "closed"})
    assert len(outbox(kind="project_alert")) == before


def test_alerts_never_stop_a_publication(client, world, draft, outbox, monkeypatch):
    def broken(project_id):
        raise RuntimeError("the outbox is on fire")

    monkeypatch.setattr(project_alerts, "alert_experts", broken)
    publish(client, world.member, draft)
    assert outbox(kind="project_alert") == []


@pytest.mark.parametrize(
    "value, stored",
    [("off", None), ("90", 90), ("50", 50), ("55", 70), ("٩٠", 70), ("", 70), ("x" * 50, 70)],
)
def test_the_expert_chooses_the_bar_or_switches_alerts_off(client, auth, world, value, stored):
    auth.login(world.expert.user.email, PASSWORD)
    page = client.get("/opportunities/").get_data(as_text=True)
    assert 'id="alerts"' in page and '<option selected value="70">' in page
    response = client.post("/opportunities/alerts", data={"min_score": value})
    assert response.status_code == 302 and response.location.endswith("/opportunities/#alerts")
    db.session.expire_all()
    assert db.session.get(ExpertProfile, world.expert.id).alert_min_score == stored


def test_an_expert_who_switched_alerts_off_hears_nothing(client, auth, world, draft, outbox):
    auth.login(world.expert.user.email, PASSWORD)
    client.post("/opportunities/alerts", data={"min_score": "off"})
    publish(client, world.member, draft)
    assert world.expert.user.email not in {m.to_address for m in outbox()}


@pytest.mark.parametrize("role", [Role.INSTITUTION, Role.ADMIN])
def test_only_experts_choose_alerts(client, auth, world, role):
    user = world.member if role == Role.INSTITUTION else world.admin
    auth.login(user.email, PASSWORD)
    assert client.post("/opportunities/alerts", data={"min_score": "off"}).status_code == 403


@pytest.mark.config(MATCH_USE_TEXT=False, PROJECT_ALERTS_MAX=1)
def test_a_project_alerts_at_most_so_many_experts_the_best_fits_first(
    client, world, draft, make_expert, outbox
):
    make_expert("keen@example.org", WEAKER, name="Reda Keen", alert_min_score=50)
    publish(client, world.member, draft)
    [mail] = outbox(kind="project_alert")
    assert mail.to_address in (world.expert.user.email, "karim@example.org")  # the strongest
