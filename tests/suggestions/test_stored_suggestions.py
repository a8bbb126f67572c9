"""The engine fed from the database: suggestions stored per project, kept current, explained."""

import json
from datetime import date

import pytest

from diaspora.extensions import db
from diaspora.models import (
    ExpertSkill,
    Match,
    MatchStatus,
    ProjectSkill,
)
from diaspora.models.base import utcnow
from diaspora.services import allocation, engine_inputs, suggestions
from tests.suggestions.conftest import concept, published

pytestmark = pytest.mark.config(MATCH_USE_TEXT=False)


def test_publishing_stores_ranked_explained_suggestions(app, project, make_expert):
    strong = make_expert("E-1", [("vision par ordinateur", 4), ("ML", 4), ("Python", 3)])
    weak = make_expert("E-2", [("Python", 3), ("cuisine", 5)])
    assert suggestions.refresh_project(project.id) == 2
    matches = Match.query.order_by(Match.rank).all()
    assert [m.expert_id for m in matches] == [strong.id, weak.id]
    assert matches[0].score > matches[1].score
    assert all(m.status == MatchStatus.SUGGESTED for m in matches)
    assert matches[0].engine_version and matches[0].weights
    assert matches[0].explanation["required"]


def test_hard_constraints_keep_experts_out(app, project, make_expert):
    make_expert("E-1", [("ML", 4)], consent=False)
    make_expert("E-2", [("ML", 4)], languages=(("en", "C2"),))
    make_expert("E-3", [("ML", 4)], modes=("long_term",))
    make_expert("E-4", [("ML", 4)], confirmed_days_ago=400)
    assert suggestions.refresh_project(project.id) == 0


def test_reviewed_experts_are_not_suggested_again(app, project, make_expert):
    expert = make_expert("E-1", [("ML", 4)])
    suggestions.refresh_project(project.id)
    match = Match.query.one()
    match.status = MatchStatus.DECLINED
    db.session.commit()
    suggestions.refresh_project(project.id)
    assert Match.query.one().status == MatchStatus.DECLINED  # untouched, not duplicated
    assert suggestions.explain_pair(project, expert)[1]  # an admin can still read why


def test_profile_change_rescores_the_expert(app, project, make_expert):
    expert = make_expert("E-1", [("cuisine", 4)])
    suggestions.refresh_project(project.id)
    before = Match.query.filter_by(expert_id=expert.id).one().score
    expert.skills.append(ExpertSkill(name="ML", level=4, concept_id=concept("ML")))
    db.session.commit()
    suggestions.refresh_expert(expert.id)
    assert Match.query.filter_by(expert_id=expert.id).one().score > before


def test_closing_a_project_drops_its_pending_suggestions(app, project, make_expert):
    make_expert("E-1", [("ML", 4)])
    suggestions.refresh_project(project.id)
    project.status = "closed"
    db.session.commit()
    suggestions.refresh_project(project.id)
    assert Match.query.count() == 0


def test_flask_match_prints_the_interchange_format(app, runner, project, make_expert):
    make_expert("E-1", [("vision par ordinateur", 4), ("ML", 4)])
    make_expert("E-2", [("ML", 2)])
    result = runner.invoke(args=["match", "P-1", "--top", "1", "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["project"] == "P-1" and len(out["matches"]) == 1
    top = out["matches"][0]
    assert top["expert"] == "E-1" and 0 <= top["score"] <= 1 and "explanation" in top

    lines = runner.invoke(args=["match", "--all", "--json"]).output.strip().splitlines()
    assert [json.loads(line)["project"] for line in lines] == ["P-1"]
    assert runner.invoke(args=["match", "P-404"]).exit_code != 0


def test_recompute_command_stores_suggestions(app, runner, project, make_expert):
    make_expert("E-1", [("ML", 4)])
    result = runner.invoke(args=["suggestions", "recompute"])
    assert result.exit_code == 0, result.output
    assert "1 projects, 1 suggestions stored" in result.output
    assert Match.query.count() == 1


def test_allocation_respects_seats(app, project, make_expert):
    for i in range(3):
        make_expert(f"E-{i}", [("ML", 4), ("vision par ordinateur", 3)])
    suggestions.recompute_all()
    proposal = allocation.propose_allocation()
    assert len(proposal["assignments"][project.id]) == 1  # one seat


def test_allocation_proposes_only_suggestions_waiting_for_review(app, project, make_expert):
    best = make_expert("E-1", [("ML", 5), ("vision par ordinateur", 5)])
    other = make_expert("E-2", [("ML", 3), ("vision par ordinateur", 3)])
    suggestions.recompute_all()
    assert allocation.propose_allocation()["assignments"][project.id][0][0] == best.id
    match = Match.query.filter_by(project_id=project.id, expert_id=best.id).one()
    match.status = MatchStatus.REJECTED  # an admin said no: never proposed again
    db.session.commit()
    assert [c for c, _score in allocation.propose_allocation()["assignments"][project.id]] == [
        other.id
    ]


def test_admin_reads_allocation_and_exposure(client, auth, make_user, project, make_expert):
    make_expert("E-1", [("ML", 4), ("vision par ordinateur", 3)], country="AE")
    suggestions.recompute_all()
    admin = make_user("admin@example.org", role="admin")
    auth.login(admin.email)
    page = client.get("/admin/allocation").get_data(as_text=True)
    assert "Rétinopathie diabétique" in page and "Test User" in page
    exposure = client.get("/admin/exposure").get_data(as_text=True)
    assert "United Arab Emirates" in exposure  # countries by name, in the reader's language
    auth.logout()
    expert = make_user("x@example.org")
    auth.login(expert.email)
    assert client.get("/admin/allocation").status_code == 403


def test_admin_adds_an_expert_by_hand_with_the_engines_explanation(
    app, make_user, project, make_expert
):
    from diaspora.services import reviews

    outsider = make_expert("E-9", [("Python", 2)], languages=(("en", "C2"),))  # fails French
    admin = make_user("admin@example.org", role="admin")
    match = reviews.add_by_hand(admin, project.id, outsider.id)
    assert match.source == "manual" and match.status == MatchStatus.SUGGESTED
    assert match.engine_version and match.weights
    assert match.explanation["constraints"]["language"] is False  # shown, not applied


def test_closing_a_project_closes_its_invitations_and_tells_invitees(
    app, make_user, project, make_expert, outbox
):
    from diaspora.models import Membership
    from diaspora.services import projects

    expert = make_expert("E-1", [("ML", 4)])
    suggestions.refresh_project(project.id)
    match = Match.query.one()
    match.status = MatchStatus.INVITED
    match.invited_at = utcnow()
    member = make_user("m@sante.gov.ma", role="institution")
    db.session.add(Membership(user=member, institution=project.institution))
    db.session.commit()
    projects.close(member, project.id)
    db.session.refresh(match)
    assert match.status == MatchStatus.CLOSED
    assert [m.to_address for m in outbox(kind="invitation_closed")] == [expert.user.email]


def test_stored_explanations_read_in_the_readers_language(app, project, make_expert):
    from diaspora.wording import describe

    make_expert("E-1", [("vision par ordinateur", 4), ("ML", 4), ("cuisine", 3)])
    suggestions.refresh_project(project.id)
    explanation = Match.query.one().explanation
    # A context of its own per reader: the locale is remembered per context.
    with app.app_context(), app.test_request_context(headers={"Accept-Language": "fr"}):
        french = " ".join(describe(explanation).skills)
    with app.app_context(), app.test_request_context(headers={"Accept-Language": "en"}):
        english = " ".join(describe(explanation).skills)
    assert "vision par ordinateur" in french and "computer vision" in english
    assert "diaspora:" not in french + english  # concept ids never reach a reader


def test_admin_sees_scarce_skills_the_funnel_and_countries(
    client, auth, make_user, project, make_expert
):
    make_expert("E-1", [("ML", 4)], country="AE")
    suggestions.refresh_project(project.id)
    admin = make_user("admin@example.org", role="admin")
    auth.login(admin.email)
    page = client.get("/admin/insights").get_data(as_text=True)
    # computer vision is required by the open project and no consenting expert has it
    assert "computer vision" in page and "machine learning" in page
    assert "United Arab Emirates" in page
    from diaspora.services import insights

    assert insights.funnel()[0] == ("suggested", 1)
    scarcest = insights.skill_balance()[0]
    assert scarcest.experts == 0 and scarcest.projects == 1


@pytest.mark.config(MATCH_USE_TEXT=True)
def test_bio_and_description_are_compared_through_stored_sentence_vectors(
    app, project, make_expert
):
    expert = make_expert("E-1", [("ML", 4), ("vision par ordinateur", 4)])
    expert.bio = "Je développe des modèles de dépistage de la rétinopathie diabétique."
    db.session.commit()
    suggestions.recompute_all()
    db.session.refresh(expert)
    assert expert.text_vector is not None and engine_inputs.stored_vector(expert) is not None
    factors = Match.query.one().explanation["factors"]
    assert "text" in factors and 0 < factors["text"]["value"] <= 1

    expert.bio = "Autre chose entièrement."
    db.session.commit()
    assert engine_inputs.stored_vector(expert) is None  # stale: recomputed on next rescoring
    suggestions.refresh_expert(expert.id)
    db.session.refresh(expert)
    assert engine_inputs.stored_vector(expert) is not None


@pytest.mark.parametrize(
    "starts_on, months",
    [(date(9999, 11, 1), 60), (date(2030, 1, 1), 10**6)],
    ids=["start-in-a-far-year", "very-long-duration"],
)
def test_a_project_ending_past_the_calendar_is_matched_and_stops_no_one(
    app, project, make_expert, starts_on, months
):
    # Its end date runs past 31 December 9999: it ends there, and matching goes on.
    far = published(
        project.institution,
        "P-2",
        starts_on=starts_on,
        duration_months=months,
        flexible_start=True,
    )
    far.skills = [ProjectSkill(name="ML", level=3, required=True, concept_id=concept("ML"))]
    db.session.add(far)
    db.session.commit()
    expert = make_expert("E-1", [("vision par ordinateur", 4), ("ML", 4)])
    assert suggestions.recompute_all()["projects"] == 2
    assert {m.project_id for m in Match.query.filter_by(expert_id=expert.id)} == {
        project.id,
        far.id,
    }
    Match.query.delete()
    db.session.commit()
    suggestions.refresh_expert(expert.id)  # a profile save reads every open project
    assert Match.query.filter_by(project_id=far.id).count() == 1
