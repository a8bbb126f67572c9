"""The admin lists page by 50 (the review queue by a few projects) with one pager: a full page
links to the next, a later page back, and the links keep the filters."""

import re

from diaspora.extensions import db
from diaspora.models import AuditEntry, ExpertProfile, Match, Project, Role
from diaspora.models.base import utcnow
from diaspora.services import reviews


def test_the_audit_log_pages_keep_their_filters(client, auth, make_user):
    admin = make_user("admin@diaspora.example", role=Role.ADMIN)
    db.session.add_all(
        AuditEntry(action="institution.verified", subject_type="institution", subject_id=n,
                   actor_id=admin.id, details={})
        for n in range(51)
    )  # fmt: skip
    db.session.commit()
    auth.login(admin.email)
    first = client.get("/admin/audit?action=institution.").get_data(as_text=True)
    links = dict((label, href) for href, label in re.findall(r'href="([^"]+)">(\w+ page)<', first))
    assert set(links) == {"Next page"}
    assert "action=institution." in links["Next page"] and "page=2" in links["Next page"]
    second = client.get(links["Next page"].replace("&amp;", "&")).get_data(as_text=True)
    labels = re.findall(r'href="[^"]+">(\w+ page)<', second)
    assert labels == ["Previous page"]


def test_the_review_queue_pages_keep_their_filters_and_a_single_page_has_no_pager(
    client, auth, make_user, make_institution
):
    admin = make_user("admin@diaspora.example", role=Role.ADMIN)
    institution = make_institution()
    expert = ExpertProfile(user=make_user("e@example.org"), ref="E-1", confirmed_at=utcnow())
    db.session.add(expert)
    for n in range(reviews.PROJECTS_PER_PAGE + 1):
        project = Project(
            ref=f"P-{n}", institution=institution, title=f"Projet {n}", sector="health",
            mode="remote", status="published", published_at=utcnow(),
        )  # fmt: skip
        db.session.add(project)
        db.session.flush()
        db.session.add(Match(project_id=project.id, expert_id=expert.id, score=0.5))
    db.session.commit()
    auth.login(admin.email)
    first = client.get("/matches/review?sector=health").get_data(as_text=True)
    links = dict((label, href) for href, label in re.findall(r'href="([^"]+)">(\w+ page)<', first))
    assert set(links) == {"Next page"} and "Page 1 of 2" in first
    assert "sector=health" in links["Next page"] and "page=2" in links["Next page"]
    other = client.get("/matches/review?sector=water").get_data(as_text=True)
    assert 'aria-label="Pages"' not in other
