"""Admins verify or refuse a new institution with a note; its members are emailed in their own
language either way. Withdrawing the verification unpublishes its projects and tells them."""

from diaspora.extensions import db
from diaspora.models import AuditEntry, Institution, OutboxMessage, Project, ProjectStatus, Role


def _pending(make_user, make_institution, locale="fr"):
    institution = make_institution(name="Agence Nouvelle", domain="nouvelle.ma", verified=False)
    make_user(
        "nadia@nouvelle.ma",
        role=Role.INSTITUTION,
        institution=institution,
        manager=True,
        locale=locale,
        name="Nadia",
    )
    make_user("admin@example.org", role=Role.ADMIN)
    return institution


def test_verifying_emails_the_member_in_their_language(client, auth, make_user, make_institution):
    institution = _pending(make_user, make_institution, locale="ar")
    auth.login("admin@example.org")
    response = client.post(
        f"/admin/institutions/{institution.id}/verify", data={"note": "Bienvenue"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Institution, institution.id).is_verified
    (mail,) = OutboxMessage.query.filter_by(kind="institution_verified").all()
    assert mail.to_address == "nadia@nouvelle.ma" and mail.locale == "ar"
    assert "Agence Nouvelle" in mail.subject and "Bienvenue" in mail.body_text
    assert mail.body_html.strip() and "<p>" in mail.body_html
    assert AuditEntry.query.filter_by(action="institution.verified").count() == 1
    # A second click changes nothing and sends nothing.
    client.post(f"/admin/institutions/{institution.id}/verify", data={"note": ""})
    assert OutboxMessage.query.filter_by(kind="institution_verified").count() == 1


def test_refusing_needs_a_note(client, auth, make_user, make_institution):
    institution = _pending(make_user, make_institution)
    auth.login("admin@example.org")
    page = client.post(
        f"/admin/institutions/{institution.id}/refuse", data={"note": "  "}, follow_redirects=True
    ).get_data(as_text=True)
    assert "Say why in the note" in page
    db.session.expire_all()
    assert not db.session.get(Institution, institution.id).is_refused
    assert OutboxMessage.query.filter_by(kind="institution_refused").count() == 0


def test_refusing_emails_the_note_in_the_members_language(
    client, auth, make_user, make_institution
):
    institution = _pending(make_user, make_institution, locale="fr")
    auth.login("admin@example.org")
    client.post(
        f"/admin/institutions/{institution.id}/refuse",
        data={"note": "La lettre n'est pas signée."},
    )
    db.session.expire_all()
    refused = db.session.get(Institution, institution.id)
    assert refused.is_refused and refused.review_note == "La lettre n'est pas signée."
    (mail,) = OutboxMessage.query.filter_by(kind="institution_refused").all()
    assert mail.locale == "fr" and "La lettre n&#39;est pas signée." in mail.body_html
    assert "Bonjour" in mail.body_text  # French, as the member reads
    entry = AuditEntry.query.filter_by(action="institution.refused").one()
    assert entry.details["note"] == "La lettre n'est pas signée."


def test_withdrawing_verification_unpublishes_projects_and_tells_every_member(
    client, auth, make_user, make_institution
):
    institution = make_institution()
    nadia = make_user(
        "nadia@sante.gov.ma", role=Role.INSTITUTION, institution=institution, manager=True
    )
    make_user("omar@sante.gov.ma", role=Role.INSTITUTION, institution=institution, locale="ar")
    make_user("admin@example.org", role=Role.ADMIN)
    published, draft = (
        Project(
            ref=f"P-{n}",
            institution=institution,
            created_by=nadia,
            title=title,
            sector="health",
            mode="remote",
            status=status,
        )
        for n, title, status in (
            (1, "Triage", ProjectStatus.PUBLISHED),
            (2, "Idea", ProjectStatus.DRAFT),
        )
    )
    db.session.add_all([published, draft])
    db.session.commit()
    auth.login("admin@example.org")

    client.post(f"/admin/institutions/{institution.id}/revoke", data={"note": "Contrôle"})

    db.session.expire_all()
    assert not db.session.get(Institution, institution.id).is_verified
    assert db.session.get(Project, published.id).status == ProjectStatus.DRAFT
    assert db.session.get(Project, draft.id).status == ProjectStatus.DRAFT
    unpublished = AuditEntry.query.filter_by(action="project.unpublished").all()
    assert [e.subject_id for e in unpublished] == [published.id]
    mails = OutboxMessage.query.filter_by(kind="institution_revoked").all()
    assert sorted((m.to_address, m.locale) for m in mails) == [
        ("nadia@sante.gov.ma", "en"),
        ("omar@sante.gov.ma", "ar"),
    ]
    assert all("Triage" in m.body_text for m in mails)
    # Its members cannot publish it again until the institution is verified again.
    auth.logout()
    auth.login("nadia@sante.gov.ma")
    client.post(f"/projects/{published.id}/status", data={"to": "published"})
    db.session.expire_all()
    assert db.session.get(Project, published.id).status == ProjectStatus.DRAFT


def test_members_cannot_take_a_project_back_to_draft_themselves(
    client, auth, make_user, make_institution
):
    institution = make_institution()
    nadia = make_user(
        "nadia@sante.gov.ma", role=Role.INSTITUTION, institution=institution, manager=True
    )
    project = Project(
        ref="P-1",
        institution=institution,
        created_by=nadia,
        title="Triage",
        sector="health",
        mode="remote",
        status=ProjectStatus.PUBLISHED,
    )
    db.session.add(project)
    db.session.commit()
    auth.login("nadia@sante.gov.ma")
    client.post(f"/projects/{project.id}/status", data={"to": "draft"})
    db.session.expire_all()
    assert db.session.get(Project, project.id).status == ProjectStatus.PUBLISHED
