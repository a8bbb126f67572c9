"""Who may see and change expert profiles, tried per role and by guessing references."""

import pytest

from diaspora.extensions import db
from diaspora.models import Role
from tests.experts.conftest import profile_of

OWN_PAGES = [
    ("get", "/expert/profile"),
    ("get", "/expert/profile/edit"),
    ("post", "/expert/profile/edit"),
    ("post", "/expert/profile/confirm"),
    ("get", "/expert/data"),
    ("post", "/expert/data"),
    ("post", "/expert/data/export"),
]


@pytest.fixture
def other_expert(make_user, app):
    """Another expert with a saved profile, private unless a test changes it."""
    from diaspora.services import experts

    user = make_user("karim@example.org", role=Role.EXPERT, name="Karim Alaoui")
    return experts.update_profile(
        user,
        experts.ProfileInput(
            headline="Hydrologist",
            linkedin="https://www.linkedin.com/in/karim",
            visibility="private",
        ),
    )


@pytest.mark.parametrize(("method", "url"), OWN_PAGES)
def test_guests_are_sent_to_log_in(client, method, url):
    response = getattr(client, method)(url)
    assert response.status_code == 302 and "/auth/login" in response.location


@pytest.mark.parametrize(("method", "url"), OWN_PAGES)
@pytest.mark.parametrize("role", [Role.INSTITUTION, Role.ADMIN])
def test_other_roles_have_no_expert_pages(
    client, auth, make_user, make_institution, role, method, url
):
    institution = make_institution() if role == Role.INSTITUTION else None
    make_user("someone@sante.gov.ma", role=role, institution=institution)
    auth.login("someone@sante.gov.ma")
    assert getattr(client, method)(url).status_code == 403


def test_another_expert_cannot_see_a_profile_even_knowing_its_reference(
    client, auth, make_user, other_expert
):
    make_user("salma@example.org")
    auth.login("salma@example.org")
    assert client.get(f"/expert/profiles/{other_expert.ref}").status_code == 403
    other_expert.visibility = "institutions"
    db.session.commit()
    assert client.get(f"/expert/profiles/{other_expert.ref}").status_code == 403


@pytest.mark.parametrize("ref", ["E-00000000", "x" * 5000, "..%2F..%2Fetc", "1 OR 1=1", "%00"])
def test_guessed_references_are_not_found(client, expert, ref):
    assert client.get(f"/expert/profiles/{ref}").status_code == 404


def test_institution_member_sees_listed_profiles_without_contact_details(
    client, auth, make_user, make_institution, other_expert
):
    make_user("dr@sante.gov.ma", role=Role.INSTITUTION, institution=make_institution())
    auth.login("dr@sante.gov.ma")
    assert client.get(f"/expert/profiles/{other_expert.ref}").status_code == 403  # private

    other_expert.visibility = "institutions"
    db.session.commit()
    response = client.get(f"/expert/profiles/{other_expert.ref}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Hydrologist" in page
    assert "linkedin.com/in/karim" not in page and "karim@example.org" not in page
    assert "My profile is up to date" not in page


def test_unverified_institution_sees_no_profile(
    client, auth, make_user, make_institution, other_expert
):
    other_expert.visibility = "institutions"
    db.session.commit()
    make_user(
        "x@new.gov.ma",
        role=Role.INSTITUTION,
        institution=make_institution(name="New body", domain="new.gov.ma", verified=False),
    )
    auth.login("x@new.gov.ma")
    assert client.get(f"/expert/profiles/{other_expert.ref}").status_code == 403


def test_admin_sees_a_private_profile_with_its_contact_details(
    client, auth, make_user, other_expert
):
    make_user("admin@diaspora.gov.ma", role=Role.ADMIN)
    auth.login("admin@diaspora.gov.ma")
    response = client.get(f"/expert/profiles/{other_expert.ref}")
    assert response.status_code == 200 and "linkedin.com/in/karim" in response.get_data(
        as_text=True
    )


def test_an_expert_can_only_ever_change_their_own_profile(
    client, expert, other_expert, save_profile
):
    # There is no URL naming someone else's profile for writing.
    assert client.post(f"/expert/profiles/{other_expert.ref}").status_code == 405
    assert client.post(f"/expert/profiles/{other_expert.ref}/edit").status_code == 404
    # A reference slipped into the form is ignored: the signed-in expert's profile changes.
    save_profile(ref=other_expert.ref, headline="Mine")
    db.session.expire_all()
    assert profile_of(expert).headline == "Mine" and other_expert.headline == "Hydrologist"


def test_the_owner_sees_their_profile_by_reference_too(client, expert, save_profile):
    save_profile()
    ref = profile_of(expert).ref
    response = client.get(f"/expert/profiles/{ref}")
    assert response.status_code == 200 and "My profile is up to date" in response.get_data(
        as_text=True
    )
