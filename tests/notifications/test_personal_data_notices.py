"""The personal-data export holds the person's notifications (worded in their language), how
they chose to hear of each kind and the searches they keep; erasing the account removes them
all, and nobody else's."""

import json

import pytest

from diaspora.extensions import db
from diaspora.models import Notification, NotificationPreference, SavedSearch
from tests.conftest import PASSWORD


@pytest.fixture
def noticed(world):
    """Salma (English expert) and Nadia (French member) each have a notification, a preference
    and, for Nadia, a saved search; Omar, her colleague, has a notification of his own."""
    salma, nadia, omar = world.expert.user, world.member, world.colleague
    started = {
        "event": "started",
        "institution": "Ministère de la Santé",
        "project": "Rétinopathie",
    }
    db.session.add_all(
        [
            Notification(
                user_id=salma.id,
                kind="collaboration_update",
                params=started,
                link="/collaborations/1",
            ),
            *(
                Notification(
                    user_id=member.id,
                    kind="project_invited",
                    params={"project": "Rétinopathie"},
                    link=f"/projects/{world.project.id}",
                )
                for member in (nadia, omar)
            ),
            SavedSearch(
                user_id=nadia.id, name="Vision à Paris", query_string="q=vision&country=FR"
            ),
            NotificationPreference(user_id=salma.id, kind="reconfirm_reminder", frequency="weekly"),
            NotificationPreference(user_id=nadia.id, kind="project_invited", frequency="off"),
        ]
    )
    db.session.commit()
    return world


def exported(client, auth, email):
    auth.login(email)
    response = client.post("/my-data/export")
    assert response.status_code == 200
    return json.loads(response.get_data(as_text=True))


def test_an_experts_export_holds_their_notifications_and_preferences(client, auth, noticed):
    data = exported(client, auth, noticed.expert.user.email)
    (notice,) = data["notifications"]
    assert notice["kind"] == "collaboration_update" and notice["read_at"] is None
    assert notice["text"] == (
        "Ministère de la Santé confirmed the start of your work on “Rétinopathie”."
    )
    assert notice["link"] == "/collaborations/1"
    chosen = {p["kind"]: p["frequency"] for p in data["notification_preferences"]}
    assert chosen["reconfirm_reminder"] == "weekly" and chosen["collaboration_update"] == "instant"
    assert "project_invited" not in chosen  # a member's kind, not hers
    assert data["saved_searches"] == []


def test_a_members_export_is_worded_in_their_language_with_their_saved_searches(
    client, auth, noticed
):
    data = exported(client, auth, noticed.member.email)
    (notice,) = data["notifications"]  # not Omar's
    assert notice["text"] == "Un expert a été invité pour votre projet « Rétinopathie »."
    prefs = {p["kind"]: p for p in data["notification_preferences"]}
    assert prefs["project_invited"]["frequency"] == "off"
    assert prefs["project_invited"]["label"] == "Un expert a été invité pour l'un de vos projets"
    (search,) = data["saved_searches"]
    assert (search["name"], search["query"]) == ("Vision à Paris", "q=vision&country=FR")


@pytest.mark.parametrize("who", ["expert", "member"])
def test_erasure_removes_the_persons_notifications_preferences_and_searches(
    client, auth, noticed, who
):
    user = noticed.expert.user if who == "expert" else noticed.member
    user_id, omar_id = user.id, noticed.colleague.id
    auth.login(user.email)
    assert client.post("/my-data", data={"password": PASSWORD}).status_code == 302
    db.session.expire_all()
    for model in (Notification, NotificationPreference, SavedSearch):
        assert model.query.filter_by(user_id=user_id).count() == 0, model
    assert Notification.query.filter_by(user_id=omar_id).count() == 1


@pytest.mark.parametrize(
    "lang, words", [("fr", "vos notifications et vos choix de courriels"), ("ar", "وإشعاراتك")]
)
def test_the_data_page_says_the_download_holds_them(client, auth, world, lang, words):
    auth.login(world.member.email)
    client.post("/language", data={"lang": lang})
    assert words in client.get("/my-data").get_data(as_text=True)
