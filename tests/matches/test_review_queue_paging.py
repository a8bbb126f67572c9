"""A long review queue comes in pages of a few projects, so it stays readable and quick."""

from diaspora.extensions import db
from diaspora.models import ExpertProfile, Match, Project
from diaspora.models.base import utcnow
from diaspora.services import reviews


def test_the_queue_is_paged_by_project(app, client, auth, make_user, make_institution):
    institution = make_institution()
    admin = make_user("admin@example.org", role="admin")
    expert_user = make_user("e@example.org")
    expert = ExpertProfile(user=expert_user, ref="E-1", confirmed_at=utcnow())
    db.session.add(expert)
    count = reviews.PROJECTS_PER_PAGE + 2
    for i in range(count):
        project = Project(
            ref=f"P-{i}",
            institution=institution,
            title=f"Projet numéro {i}",
            sector="health",
            mode="remote",
            status="published",
            published_at=utcnow(),
        )
        db.session.add(project)
        db.session.flush()
        db.session.add(Match(project_id=project.id, expert_id=expert.id, score=0.5))
    db.session.commit()

    first = reviews.queue(admin)
    assert (first.page, first.pages) == (1, 2) and len(first.groups) == reviews.PROJECTS_PER_PAGE
    second = reviews.queue(admin, page=2)
    assert len(second.groups) == 2
    shown = {g.project.ref for g in first.groups + second.groups}
    assert len(shown) == count  # every project on exactly one page

    auth.login(admin.email)
    page = client.get("/matches/review?page=2").get_data(as_text=True)
    assert "Page 2 of 2" in page and "Previous page" in page
    assert client.get("/matches/review?page=99999").status_code == 200  # clamped, not an error
