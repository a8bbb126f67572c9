"""Saved searches: saving, listing, editing, deleting, who may; alerts of experts who newly
match (instant, once each, never hidden ones); the weekly digest; one-click unsubscribe."""

import re
from email import message_from_bytes
from pathlib import Path
from urllib.parse import parse_qsl, unquote_plus

import pytest
from werkzeug.datastructures import MultiDict

from diaspora.extensions import db
from diaspora.matching.index import Index
from diaspora.models import (
    AlertFrequency,
    DigestItem,
    ExpertProfile,
    OutboxMessage,
    SavedSearch,
    Visibility,
)
from diaspora.notifications.delivery import send_pending
from diaspora.search_query import query_string, read_query
from diaspora.services import (
    digest,
    expert_search,
    rescoring,
    saved_search_alerts,
    saved_searches,
)
from tests.search.conftest import FOUND, profile
from tests.statements import counted_statements

VISION = "skill=computer+vision"


def save(client, name="Vision", query=VISION, frequency="instant"):
    return client.post("/search/saved", data={"name": name, "query": query, "frequency": frequency})


def add_expert(
    make_user, ref, visibility=Visibility.INSTITUTIONS, consent=True, locale="en", rescore=True
):
    """A new expert who fits "computer vision" as Salma does, rescored as a save would (unless
    not `rescore`)."""
    user = make_user(f"{ref.lower()}@example.org", name=f"{ref.title()} Newcomer", locale=locale)
    new = profile(user, ref, f"{ref.title()} Newcomer", *FOUND["E-SALMA"][1:])
    new.visibility, new.consent_matching = visibility, consent
    db.session.add(new)
    db.session.commit()
    from diaspora.services import expert_changes

    expert_changes.note(new.id)
    db.session.commit()
    if rescore:
        rescoring.rescore_expert(new.id)
    return new


def alerts(kind="saved_search_alert"):
    return OutboxMessage.query.filter_by(kind=kind).order_by(OutboxMessage.id).all()


def test_a_member_saves_a_search_and_finds_it_in_their_list(pool, login_as):
    client = login_as(pool.member)
    response = save(client, query=VISION + "&country=FR&bogus=1&hours=%C2%B2")
    assert response.status_code == 302 and response.location.endswith("/search/saved")
    [saved] = SavedSearch.query.all()
    assert (
        saved.query_string == "skill=computer+vision&country=FR"
    )  # what the page reads, nothing odd
    page = client.get("/search/saved").get_data(as_text=True)
    assert "Vision" in page and "/search/experts?skill=computer+vision&amp;country=FR" in page


@pytest.mark.parametrize(
    "name, query, frequency, message",
    [
        ("", VISION, "weekly", "Give the search a name."),
        ("x" * 101, VISION, "weekly", "Field cannot be longer than 100 characters."),
        ("Vision", VISION, "hourly", "Not a valid choice."),
        ("Empty", "bogus=1", "weekly", "Type a skill or choose a filter"),
    ],
)
def test_an_invalid_search_is_not_saved_and_says_why(
    pool, login_as, name, query, frequency, message
):
    client = login_as(pool.member)
    response = client.post(
        "/search/saved",
        data={"name": name, "query": query, "frequency": frequency},
        follow_redirects=True,
    )
    assert message in response.get_data(as_text=True)
    assert SavedSearch.query.count() == 0


def test_one_may_keep_twenty_searches(pool, login_as):
    client = login_as(pool.member)
    for n in range(saved_searches.MAX_PER_USER):
        save(client, name=f"Search {n}", query=f"skill=python&hours={n + 1}")
    response = save(client, name="One too many")
    page = client.get(response.location).get_data(as_text=True)
    assert "You already keep 20 searches" in page
    assert SavedSearch.query.count() == saved_searches.MAX_PER_USER


def test_renaming_changing_the_frequency_and_deleting(pool, login_as):
    client = login_as(pool.member)
    save(client)
    saved = SavedSearch.query.one()
    prefix = f"s{saved.id}-"
    response = client.post(
        f"/search/saved/{saved.id}",
        data={prefix + "name": "Computer vision, weekly", prefix + "frequency": "weekly"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert (saved.name, saved.frequency) == ("Computer vision, weekly", "weekly")
    assert client.post(f"/search/saved/{saved.id}/delete").status_code == 302
    assert SavedSearch.query.count() == 0


def test_another_persons_saved_search_is_not_found(pool, login_as):
    save(login_as(pool.member))
    saved = SavedSearch.query.one()
    other = login_as(pool.other_member)
    prefix = f"s{saved.id}-"
    edit = other.post(f"/search/saved/{saved.id}", data={prefix + "name": "Mine"})
    assert edit.status_code == 404
    assert other.post(f"/search/saved/{saved.id}/delete").status_code == 404
    assert "Vision" not in other.get("/search/saved").get_data(as_text=True)
    db.session.expire_all()
    assert SavedSearch.query.one().name == "Vision"


@pytest.mark.parametrize("who", ["expert", "unverified_member"])
def test_experts_and_members_of_unverified_institutions_may_not(pool, login_as, who):
    user = pool.profiles["E-SALMA"].user if who == "expert" else pool.unverified_member
    client = login_as(user)
    assert client.get("/search/saved").status_code == 403
    assert save(client).status_code == 403
    assert SavedSearch.query.count() == 0


def test_an_instant_alert_tells_of_each_new_expert_once_and_never_of_hidden_ones(
    pool, login_as, make_user
):
    save(login_as(pool.member))
    assert alerts() == []  # those found when saving are known already
    add_expert(make_user, "E-PRIVE", visibility=Visibility.PRIVATE)
    add_expert(make_user, "E-SANS", consent=False)
    assert alerts() == []
    newcomer = add_expert(make_user, "E-NEW")
    [mail] = alerts()
    assert mail.to_address == pool.member.email
    assert "1 new expert for your search “Vision”" in mail.subject
    assert "E-New Newcomer" in mail.body_text and "/expert/profiles/E-NEW" in mail.body_text
    assert "Prive" not in mail.body_text and "Sans" not in mail.body_text
    rescoring.rescore_expert(newcomer.id)  # the same expert changes again
    rescoring.rescore_all()  # and an import runs
    assert len(alerts()) == 1


def test_a_member_whose_institution_loses_verification_hears_nothing(pool, login_as, make_user):
    save(login_as(pool.member))
    pool.institution.verified_at = None
    db.session.commit()
    add_expert(make_user, "E-NEW")
    assert alerts() == []


def test_an_import_sends_one_alert_per_saved_search(pool, login_as, make_user):
    save(login_as(pool.member))
    for ref in ("E-ONE", "E-TWO", "E-THREE"):
        user = make_user(f"{ref.lower()}@example.org", name=ref)
        db.session.add(profile(user, ref, ref, *FOUND["E-SALMA"][1:]))
    db.session.commit()
    from diaspora.services import expert_changes

    expert_changes.note_all()
    db.session.commit()
    rescoring.rescore_all()
    [mail] = alerts()
    assert "3 new experts" in mail.subject


def test_the_weekly_digest_gathers_new_experts_once(pool, login_as, make_user, runner):
    save(login_as(pool.member), frequency="weekly")
    add_expert(make_user, "E-NEW")
    assert alerts() == []  # weekly: nothing at once
    result = runner.invoke(args=["notifications", "digest"])
    assert result.exit_code == 0 and "1 digests written" in result.output
    [mail] = alerts("digest")
    assert mail.subject == "Your week on Diaspora"
    assert "New experts for your saved searches" in mail.body_text
    assert "E-New Newcomer" in mail.body_text and "/search/experts?skill=computer+vision" in (
        mail.body_text
    )
    again = runner.invoke(args=["notifications", "digest"])
    assert "0 digests written" in again.output
    assert len(alerts("digest")) == 1


def test_nothing_is_sent_when_there_is_nothing(pool, login_as, runner):
    save(login_as(pool.member), frequency="weekly")
    assert digest.send_digests().sent == 0
    assert OutboxMessage.query.count() == 0


@pytest.mark.parametrize(
    "locale, words",
    [("fr", "Votre semaine"), ("ar", "أسبوعك"), ("en", "Your week")],
)
def test_the_digest_is_in_the_readers_language(pool, login_as, make_user, locale, words):
    pool.member.locale = locale
    db.session.commit()
    save(login_as(pool.member), frequency="weekly")
    add_expert(make_user, "E-NEW")
    digest.send_digests()
    [mail] = alerts("digest")
    assert mail.locale == locale and words in mail.subject


def unsubscribe_link(text: str) -> str:
    return re.search(r"http://[^/\s]+(/unsubscribe/\S+)", text).group(1)


def test_one_click_unsubscribe_stops_the_alerts_and_can_be_reused(
    app, pool, login_as, make_user, client
):
    save(login_as(pool.member))
    add_expert(make_user, "E-NEW")
    [mail] = alerts()
    link = unsubscribe_link(mail.body_text)
    assert "Stop receiving" in client.get(link).get_data(as_text=True)
    # What a mail client sends (RFC 8058): no session, no CSRF token.
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post(link, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200 and "Done" in response.get_data(as_text=True)
    db.session.expire_all()
    assert SavedSearch.query.one().frequency == AlertFrequency.OFF
    again = client.post(link, data={"List-Unsubscribe": "One-Click"})
    assert again.status_code == 200 and "Done" in again.get_data(as_text=True)
    add_expert(make_user, "E-LATER")
    assert len(alerts()) == 1


def test_a_tampered_unsubscribe_link_is_refused(pool, login_as, make_user, client):
    save(login_as(pool.member))
    add_expert(make_user, "E-NEW")
    link = unsubscribe_link(alerts()[0].body_text)
    tampered = link[:-3] + ("aaa" if not link.endswith("aaa") else "bbb")
    assert client.get(tampered).status_code == 400
    assert client.post(tampered).status_code == 400
    assert SavedSearch.query.one().frequency == AlertFrequency.INSTANT


def test_optional_emails_carry_the_list_unsubscribe_headers(app, pool, login_as, make_user):
    save(login_as(pool.member))
    add_expert(make_user, "E-NEW")
    [mail] = alerts()
    assert send_pending() == (1, 0)
    eml = message_from_bytes((Path(app.config["MAIL_DIR"]) / f"{mail.id:08d}.eml").read_bytes())
    assert re.fullmatch(r"<http://\S+/unsubscribe/\S+>", eml["List-Unsubscribe"])
    assert eml["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_transactional_emails_have_no_unsubscribe_header(app, pool, client):
    client.post("/auth/reset", data={"email": pool.member.email})
    send_pending()
    [mail] = OutboxMessage.query.all()
    eml = message_from_bytes((Path(app.config["MAIL_DIR"]) / f"{mail.id:08d}.eml").read_bytes())
    assert eml["List-Unsubscribe"] is None


def test_weekly_project_alerts_come_in_the_digest(pool, make_user):
    from diaspora.services import project_alerts

    salma = pool.profiles["E-SALMA"]
    salma.alert_min_score, salma.alert_frequency = 50, AlertFrequency.WEEKLY
    db.session.commit()
    project_alerts.alert_experts(pool.project.id)
    assert alerts("project_alert") == [] or salma.user.email not in {
        m.to_address for m in alerts("project_alert")
    }
    assert DigestItem.query.filter_by(user_id=salma.user_id).count() == 1
    digest.send_digests()
    [mail] = [m for m in alerts("digest") if m.to_address == salma.user.email]
    assert "New projects that fit you" in mail.body_text and pool.project.title in mail.body_text
    digest.send_digests()
    assert len([m for m in alerts("digest") if m.to_address == salma.user.email]) == 1


def test_the_expert_chooses_weekly_project_alerts_on_their_settings(pool, login_as):
    salma = pool.profiles["E-SALMA"]
    client = login_as(salma.user)
    client.post("/opportunities/alerts", data={"min_score": "60", "frequency": "weekly"})
    db.session.expire_all()
    assert (salma.alert_min_score, salma.alert_frequency) == (60, AlertFrequency.WEEKLY)
    page = client.get("/opportunities/").get_data(as_text=True)
    assert '<option selected value="weekly">' in page


def test_unverified_roles_cannot_see_the_save_form_but_members_can(pool, login_as):
    page = login_as(pool.member).get("/search/experts?" + VISION).get_data(as_text=True)
    assert "Save this search" in page and 'name="query" value="skill=computer+vision"' in page


def test_a_search_too_long_to_keep_is_refused_and_leads_back_to_it(pool, login_as):
    # Three long Arabic skills: some 3,500 characters once written as a query string, which a
    # search page's address may hold but a saved search's column may not.
    skills = ["تعلم الآلة " + "ب" * 170 + str(n) for n in range(3)]
    query, _notices = read_query(MultiDict([("skill", s) for s in skills]))
    long_query = query_string(query)
    client = login_as(pool.member)
    response = save(client, query=long_query)
    assert response.status_code == 302
    location = unquote_plus(response.location)
    assert location.startswith("/search/experts?") and skills[2] in location
    page = client.get(response.location).get_data(as_text=True)
    assert "This search is too long to keep" in page
    assert SavedSearch.query.count() == 0


@pytest.mark.parametrize("data", [{"name": ""}, {"name": "x" * 101}, {"frequency": "hourly"}])
def test_a_form_error_leads_back_to_the_search_with_its_query(pool, login_as, data):
    client = login_as(pool.member)
    form = {"name": "Vision", "query": VISION + "&country=FR", "frequency": "weekly", **data}
    response = client.post("/search/saved", data=form)
    assert response.status_code == 302
    assert response.location == "/search/experts?" + VISION + "&country=FR"


def test_a_profile_save_checks_only_that_expert_against_each_instant_search(
    pool, login_as, make_user, monkeypatch
):
    client = login_as(pool.member)
    for name, query in [
        ("Vision", VISION),
        ("In France", "country=FR"),
        ("Books", "skill=accounting"),
    ]:
        save(client, name=name, query=query)
    new = add_expert(make_user, "E-NEW", rescore=False)

    def full_search(*args, **kwargs):
        raise AssertionError("a profile save ran a full search")

    monkeypatch.setattr(Index, "search", full_search)
    with counted_statements() as statements:
        assert saved_search_alerts.alert_instant({new.id}) == 2
    # What each owner was told of is read only for the searches the expert now matches, and
    # only of that expert.
    told = [s for s in statements if "FROM saved_search_seen" in s]
    assert len(told) == 2 and all("expert_id IN" in s for s in told)
    assert [m.subject for m in alerts()] and len(alerts()) == 2
    # Saving again tells nobody twice.
    assert saved_search_alerts.alert_instant({new.id}) == 0


@pytest.mark.parametrize(
    "query",
    [
        VISION,
        "country=FR",
        "skill=python&language=fr&level=C1",
        "sector=health&hours=15",
        "mode=long_term",
    ],
)
def test_checking_experts_one_by_one_finds_whom_the_search_finds(pool, query):
    asked, _notices = read_query(MultiDict(parse_qsl(query)))
    everyone = db.session.scalars(db.select(ExpertProfile.id)).all()
    found = expert_search.found_ids(pool.member, asked, "en")
    one_by_one = expert_search.found_ids(pool.member, asked, "en", everyone)
    assert found and sorted(one_by_one) == sorted(found)
