"""A member of two institutions acts for each of them, not only for the first one joined."""

from diaspora.extensions import db
from diaspora.models import ExpertProfile, Membership, Project, ProjectStatus, Role, Visibility
from diaspora.services import api_tokens


def test_member_of_two_institutions_acts_for_each(client, auth, make_user, make_institution):
    first = make_institution()
    second = make_institution(name="Agence Autre", domain="autre.ma")
    member = make_user("member@sante.gov.ma", role=Role.INSTITUTION, institution=first)
    db.session.add(Membership(user=member, institution=second))
    drafts = [
        Project(
            ref=f"P-{i}",
            institution=institution,
            created_by=member,
            title=f"Draft {i}",
            sector="health",
            mode="remote",
            status=ProjectStatus.DRAFT,
        )
        for i, institution in enumerate((first, second))
    ]
    db.session.add_all(drafts)
    db.session.commit()
    auth.login("member@sante.gov.ma")

    for draft in drafts:
        assert client.get(f"/projects/{draft.id}/edit").status_code == 200
    for institution in (first, second):
        page = client.get(f"/projects/institutions/{institution.id}").get_data(as_text=True)
        assert "Draft" in page
        assert client.get(f"/projects/new?institution={institution.id}").status_code == 200
    dashboard = client.get("/dashboard").get_data(as_text=True)
    assert "Draft 0" in dashboard and "Draft 1" in dashboard
    listing = client.get("/projects/").get_data(as_text=True)
    assert "Draft 0" in listing and "Draft 1" in listing


def test_member_of_two_institutions_writes_a_new_project_for_the_one_they_act_for(
    client, auth, make_user, make_institution
):
    first = make_institution()
    second = make_institution(name="Agence Autre", domain="autre.ma")
    member = make_user("member@sante.gov.ma", role=Role.INSTITUTION, institution=first)
    db.session.add(Membership(user=member, institution=second))
    db.session.commit()
    auth.login("member@sante.gov.ma")

    response = client.get("/projects/new")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for institution in (first, second):  # the header's switcher offers both
        assert f'<option value="{institution.id}"' in page
    assert f"For {second.name}." in page  # the first by name until they choose
    assert 'name="title"' in page


def test_member_sees_profiles_when_any_of_their_institutions_is_verified(
    client, auth, make_user, make_institution
):
    waiting = make_institution(name="Agence Nouvelle", domain="nouvelle.ma", verified=False)
    verified = make_institution()
    member = make_user("member@nouvelle.ma", role=Role.INSTITUTION, institution=waiting)
    db.session.add(Membership(user=member, institution=verified))
    expert = make_user("expert@example.org")
    db.session.add(
        ExpertProfile(
            user=expert,
            ref="E-1",
            country="AE",
            city="Dubai",
            sectors=[],
            modes=[],
            visibility=Visibility.INSTITUTIONS,
        )
    )
    db.session.commit()
    auth.login("member@nouvelle.ma")

    assert client.get("/expert/profiles/E-1").status_code == 200


def test_through_the_api_a_member_of_two_institutions_is_asked_which_one(
    client, make_user, make_institution
):
    first = make_institution()
    second = make_institution(name="Agence Autre", domain="autre.ma")
    member = make_user("member@sante.gov.ma", role=Role.INSTITUTION, institution=first)
    db.session.add(Membership(user=member, institution=second))
    db.session.commit()
    headers = {"Authorization": f"Bearer {api_tokens.create(member, 'HR', 'write', 30).secret}"}
    project = {
        "title": "Triage",
        "sector": "health",
        "mode": "remote",
        "hours_per_month": 10,
        "seats": 1,
    }

    answer = client.post("/api/v1/projects", json=project, headers=headers)
    assert answer.status_code == 422
    assert answer.get_json()["errors"]["institution_id"] == [
        "You belong to several institutions: say which one the project is for."
    ]
    assert db.session.scalars(db.select(Project)).all() == []
    named = client.post(
        "/api/v1/projects", json={**project, "institution_id": second.id}, headers=headers
    )
    assert named.status_code == 201 and named.get_json()["institution"]["id"] == second.id
