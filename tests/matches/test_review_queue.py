"""Admins review every suggestion before anyone is contacted."""

import pytest

from diaspora.models import AuditEntry, Match, OutboxMessage
from diaspora.models.base import utcnow
from diaspora.services import reviews
from diaspora.services.errors import ValidationFailed
from tests.conftest import link_in
from tests.explanations import engine_explanation
from tests.matches.conftest import ENGINE_VERSION, WEIGHTS, fresh


@pytest.fixture
def admin_client(client, auth, world):
    auth.login(world.admin.email)
    return client


def test_queue_groups_suggestions_by_project_with_reasons_in_words(
    admin_client, world, make_project, make_match
):
    second = make_project(
        world.institution, title="Chatbot for the civil registry", sector="public_administration"
    )
    make_match(world.project, world.expert, score=0.82)
    make_match(second, world.other_expert, score=0.61)
    page = admin_client.get("/matches/review").get_data(as_text=True)
    assert "Détection précoce" in page and "Chatbot for the civil registry" in page
    assert "Salma Bennani" in page and "Karim Alaoui" in page
    assert "Meets «computer vision» (required, level 3) at level 4." in page
    assert "2 suggestions wait for review." in page


def test_queue_filters_by_sector_institution_score_and_age(
    admin_client, world, make_project, make_match, make_institution
):
    other_institution = make_institution(name="Université Mohammed V", domain="um5.ac.ma")
    education = make_project(other_institution, title="Adaptive tutoring", sector="education")
    make_match(world.project, world.expert, score=0.9, age_days=10)
    make_match(education, world.other_expert, score=0.4, age_days=1)

    def titles(query):
        page = admin_client.get("/matches/review" + query).get_data(as_text=True)
        return {t for t in ("Détection précoce", "Adaptive tutoring") if t in page}

    assert titles("?sector=education") == {"Adaptive tutoring"}
    assert titles(f"?institution={world.institution.id}") == {"Détection précoce"}
    assert titles("?min_score=50") == {"Détection précoce"}
    assert titles("?min_age=5") == {"Détection précoce"}
    assert titles("") == {"Détection précoce", "Adaptive tutoring"}


@pytest.mark.parametrize(
    "query",
    [
        "?sector=nonsense",
        "?institution=abc",
        "?institution=99999999999999999999",
        "?min_score=-3",
        "?min_score=1e309",
        "?min_score=nan",
        "?min_age=-1",
        "?min_age=999999999999",
        "?min_score=%00",
        "?institution=0",
    ],
)
def test_odd_filters_are_ignored_not_an_error(admin_client, world, make_match, query):
    make_match(world.project, world.expert)
    response = admin_client.get("/matches/review" + query)
    # NUL characters are refused before any view runs (400); the rest is ignored.
    assert response.status_code == (400 if "%00" in query else 200)


@pytest.mark.parametrize("role_email", ["salma@example.org", "nadia@sante.gov.ma"])
def test_only_admins_reach_the_queue_and_its_actions(client, auth, world, make_match, role_email):
    match = make_match(world.project, world.expert)
    auth.login(role_email)
    assert client.get("/matches/review").status_code == 403
    assert client.post(f"/matches/{match.id}/approve").status_code == 403
    assert client.post(f"/matches/{match.id}/reject", data={"reason": "x"}).status_code == 403
    assert (
        client.post(
            f"/matches/review/projects/{world.project.id}/approve", data={"match_id": str(match.id)}
        ).status_code
        == 403
    )
    assert fresh(match).status == "suggested"
    assert OutboxMessage.query.count() == 0


def test_guests_are_sent_to_log_in(client, world):
    response = client.get("/matches/review")
    assert response.status_code == 302 and "/auth/login" in response.location


def test_approving_invites_the_expert_by_email_in_their_language(
    admin_client, world, make_match, outbox
):
    match = make_match(world.project, world.other_expert)  # Karim reads French
    response = admin_client.post(f"/matches/{match.id}/approve", data={"back": "queue"})
    assert response.status_code == 302
    match = fresh(match)
    assert match.status == "invited" and match.reviewed_by_id == world.admin.id
    assert match.invited_at is not None and match.expires_at is not None
    [message] = outbox(kind="invitation")
    assert message.to_address == "karim@example.org" and message.locale == "fr"
    # In French, with the reasons: which of Karim's skills met which required one.
    assert message.body_text.startswith("Bonjour Karim Alaoui")
    assert "Maîtrise «\xa0vision par ordinateur\xa0» (obligatoire, niveau 3) au niveau 4." in (
        message.body_text
    )
    link_in(message.body_text, "/matches/invitation/")
    entry = AuditEntry.query.filter_by(action="match.invited").one()
    assert entry.actor_id == world.admin.id
    assert entry.details["engine_version"] == ENGINE_VERSION
    assert entry.details["weights"] == WEIGHTS


def test_approving_twice_sends_one_invitation(admin_client, world, make_match, outbox):
    match = make_match(world.project, world.expert)
    admin_client.post(f"/matches/{match.id}/approve")
    page = admin_client.post(f"/matches/{match.id}/approve", follow_redirects=True)
    assert "cannot become" in page.get_data(as_text=True)
    assert len(outbox(kind="invitation")) == 1


def test_a_suggestion_for_an_unpublished_project_cannot_be_approved(
    admin_client, world, make_project, make_match, outbox
):
    draft = make_project(world.institution, title="Draft", status="draft")
    match = make_match(draft, world.expert)
    page = admin_client.post(f"/matches/{match.id}/approve", follow_redirects=True)
    assert "not published" in page.get_data(as_text=True)
    assert fresh(match).status == "suggested" and outbox() == []


def test_rejecting_needs_a_reason_and_keeps_it(admin_client, world, make_match, outbox):
    match = make_match(world.project, world.expert)
    response = admin_client.post(f"/matches/{match.id}/reject", data={"reason": "   "})
    assert response.status_code == 400
    assert "Say why this suggestion is rejected." in response.get_data(as_text=True)
    assert fresh(match).status == "suggested"

    response = admin_client.post(
        f"/matches/{match.id}/reject", data={"reason": "Already works for this ministry"}
    )
    assert response.status_code == 302
    match = fresh(match)
    assert match.status == "rejected" and match.reject_reason == "Already works for this ministry"
    entry = AuditEntry.query.filter_by(action="match.rejected").one()
    assert entry.details["reason"] == "Already works for this ministry"
    assert outbox() == []  # the expert never hears of a rejected suggestion


def test_guessed_match_ids_get_a_not_found_page(admin_client, world):
    assert admin_client.get("/matches/424242").status_code == 404
    assert admin_client.post("/matches/424242/approve").status_code == 404
    assert admin_client.post("/matches/424242/reject", data={"reason": "x"}).status_code == 404


def test_bulk_approve_invites_the_ticked_shortlist(
    admin_client, world, make_match, make_expert, outbox
):
    third = make_expert("leila@example.org", name="Leila Amrani")
    first = make_match(world.project, world.expert)
    second = make_match(world.project, world.other_expert)
    left = make_match(world.project, third)
    response = admin_client.post(
        f"/matches/review/projects/{world.project.id}/approve",
        data={"match_id": [str(first.id), str(second.id)]},
        follow_redirects=True,
    )
    assert "2 experts are invited." in response.get_data(as_text=True)
    assert [fresh(m).status for m in (first, second, left)] == ["invited", "invited", "suggested"]
    assert len(outbox(kind="invitation")) == 2


@pytest.mark.parametrize(
    "picks, message",
    [
        (lambda good, foreign: [good, foreign], "Nothing was approved"),
        (lambda good, foreign: [good, "424242"], "Nothing was approved"),
        (lambda good, foreign: [good, "9" * 12], "Nothing was approved"),
        (lambda good, foreign: ["abc"], "Nothing was approved"),
        (lambda good, foreign: [], "Tick at least one"),
    ],
)
def test_bulk_approve_with_a_bad_pick_approves_nothing(
    admin_client, world, make_match, make_project, outbox, picks, message
):
    other_project = make_project(world.institution, title="Other")
    good = make_match(world.project, world.expert)
    foreign = make_match(other_project, world.other_expert)
    chosen = [str(p) for p in picks(good.id, foreign.id)]
    response = admin_client.post(
        f"/matches/review/projects/{world.project.id}/approve",
        data={"match_id": chosen},
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert fresh(good).status == "suggested" and fresh(foreign).status == "suggested"
    assert outbox() == []


def fake_explainer(project, expert):
    """The engine's answer for the pair of tests/explanations.py (the world's records hold no
    skills for the engine to score)."""
    explanation = engine_explanation()
    return explanation["score"], explanation, ENGINE_VERSION, WEIGHTS


def test_admin_adds_an_expert_by_hand_with_the_engines_explanation(
    admin_client, world, monkeypatch
):
    monkeypatch.setattr(reviews, "_default_explainer", lambda: fake_explainer)
    page = admin_client.get(f"/matches/review/projects/{world.project.id}/add?q=karim")
    assert "Karim Alaoui" in page.get_data(as_text=True)
    for query in ("KARIM@example", world.other_expert.ref.lower(), "alaou"):
        found = admin_client.get(f"/matches/review/projects/{world.project.id}/add?q={query}")
        assert "Karim Alaoui" in found.get_data(as_text=True)

    response = admin_client.post(
        f"/matches/review/projects/{world.project.id}/add",
        data={"expert_id": world.other_expert.id},
    )
    assert response.status_code == 302
    match = Match.query.filter_by(expert_id=world.other_expert.id).one()
    assert match.source == "manual" and match.status == "suggested"
    assert match.score == engine_explanation()["score"]
    assert match.engine_version == ENGINE_VERSION
    page = admin_client.get(f"/matches/{match.id}").get_data(as_text=True)
    assert "Added by hand" in page and "Meets «computer vision»" in page
    assert AuditEntry.query.filter_by(action="match.added_by_hand").count() == 1

    again = admin_client.post(
        f"/matches/review/projects/{world.project.id}/add",
        data={"expert_id": world.other_expert.id},
    )
    assert again.status_code == 400
    assert "already on this project" in again.get_data(as_text=True)
    assert Match.query.count() == 1


@pytest.mark.parametrize("value", ["abc", "", "99999999", "-1", "1" * 40])
def test_adding_an_unknown_expert_says_so_and_adds_nothing(admin_client, world, value, monkeypatch):
    monkeypatch.setattr(reviews, "_default_explainer", lambda: fake_explainer)
    response = admin_client.post(
        f"/matches/review/projects/{world.project.id}/add", data={"expert_id": value}
    )
    assert response.status_code == 400
    assert Match.query.count() == 0


def test_add_by_hand_refuses_a_project_that_is_not_published(app, world, make_project):
    draft = make_project(world.institution, title="Draft", status="draft")
    with app.test_request_context(), pytest.raises(ValidationFailed):
        reviews.add_by_hand(world.admin, draft.id, world.expert.id, explain=fake_explainer)
    assert Match.query.count() == 0


def test_admin_home_shows_queue_size_and_oldest_wait(admin_client, world, make_match):
    make_match(world.project, world.expert, age_days=4)
    make_match(world.project, world.other_expert, age_days=1)
    page = admin_client.get("/admin/").get_data(as_text=True)
    assert "Suggestions to review" in page
    assert "The oldest waits for 4 days." in page


def test_queue_shows_allocated_projects_first_then_the_longest_waiting(
    admin_client, world, make_project, make_match
):
    # Published first but its suggestion is fresh; the next project waits for ten days; the
    # last one published holds a pair an admin applied from the allocation.
    fresh_wait = world.project
    long_wait = make_project(world.institution, title="Long wait")
    allocated = make_project(world.institution, title="Allocated")
    make_match(fresh_wait, world.expert, age_days=0)
    make_match(long_wait, world.expert, age_days=10)
    make_match(allocated, world.other_expert, age_days=1, prioritised_at=utcnow())
    order = [g.project.id for g in reviews.queue(world.admin).groups]
    assert order == [allocated.id, long_wait.id]
    page = admin_client.get("/matches/review").get_data(as_text=True)
    assert page.index(f'id="project-{allocated.id}"') < page.index(f'id="project-{long_wait.id}"')
    second = admin_client.get("/matches/review?page=2").get_data(as_text=True)
    assert f'id="project-{fresh_wait.id}"' in second
