"""An expert's projects page: the open projects ranked for them by the engine, those that cannot
fit them hidden unless asked for (then with the reason), filters in the URL, page by page."""

import re

import pytest

from diaspora.extensions import db
from diaspora.models import Match, MatchSource, MatchStatus
from diaspora.models.base import utcnow
from tests.conftest import PASSWORD
from tests.odd_values import ODD_VALUES

pytestmark = pytest.mark.config(MATCH_USE_TEXT=False)


def titles(page: str) -> list[str]:
    """The project titles a projects page lists, in order."""
    found = re.findall(r'id="project-\d+-title">\s*<a [^>]*>([^<]+)</a>', page)
    return [t.replace("&#39;", "'") for t in found]


def read(client, url="/opportunities/") -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


@pytest.fixture
def expert_client(client, auth, world):
    auth.login(world.expert.user.email, PASSWORD)
    return client


def test_fitting_projects_come_first_and_the_rest_stay_hidden(expert_client, world):
    page = read(expert_client)
    assert titles(page) == [world.vision.title, world.farm.title]
    assert "2 open projects fit your profile." in page
    assert "Show the 2 others, with the reason they do not fit" in page
    # Nobody may join these, fitting or not: never listed.
    for project in (world.draft, world.closed, world.full, world.orphan):
        assert project.title not in page


def test_each_project_says_how_the_profile_meets_it(expert_client, world):
    page = read(expert_client)
    assert "Meets «computer vision» (required, level 3) at level 4." in page
    assert "Fit:" in page and "I am interested" in page


def test_the_projects_that_do_not_fit_come_after_with_their_reason(expert_client, world):
    page = read(expert_client, "/opportunities/?unfit=1")
    assert titles(page)[:2] == [world.vision.title, world.farm.title]
    assert set(titles(page)[2:]) == {world.onsite.title, world.german.title}
    unfit = page.split("Projects that do not fit your profile")[1]
    assert "Long term (relocation or return). Your profile does not offer it." in unfit
    assert "The project works in German: your profile shows none of them" in unfit
    # A project that does not fit offers no way to ask for it.
    assert unfit.count("I am interested") == 0


def test_the_explanation_is_in_the_experts_language(client, auth, world):
    world.expert.user.locale = "ar"
    db.session.commit()
    auth.login(world.expert.user.email, PASSWORD)
    page = read(client, "/opportunities/?unfit=1")
    assert 'dir="rtl"' in page
    assert "الرؤية الحاسوبية" in page or "رؤية" in page  # the skill's Arabic label
    assert "Meets «" not in page and "Your profile does not offer it" not in page


@pytest.mark.parametrize(
    "query, expected",
    [
        ("sector=health", ["vision"]),
        ("sector=health&unfit=1", ["vision", "onsite", "german"]),
        ("mode=long_term&unfit=1", ["onsite"]),
        ("city=rabat", ["vision"]),  # any case
        ("city=MEKNES", ["farm"]),  # and without its accent
        ("remote=1&unfit=1", ["vision", "farm", "german"]),
        ("remote=1&city=Casablanca&unfit=1", []),
        ("sector=agriculture&city=Meknès&remote=on", ["farm"]),
    ],
)
def test_filters_combine(expert_client, world, query, expected):
    page = read(expert_client, f"/opportunities/?{query}")
    assert sorted(titles(page)) == sorted(getattr(world, name).title for name in expected)


def test_filters_are_kept_by_the_form_and_the_pager(expert_client, world, make_project):
    for i in range(11):
        make_project(world.institution, f"Vision {i:02d}", days_ago=2 + i)
    page = read(expert_client, "/opportunities/?sector=health&remote=1")
    assert len(titles(page)) == 10
    assert 'value="health" selected' in page
    assert 'id="remote" name="remote" value="1" checked' in page
    next_link = re.search(r'href="([^"]*page=2[^"]*)"', page).group(1).replace("&amp;", "&")
    assert "sector=health" in next_link and "remote=1" in next_link
    second = read(expert_client, next_link)
    assert len(titles(second)) == 2  # 12 health projects that can be done remotely
    assert "Page 2 of 2" in second


@pytest.mark.parametrize("value", list(ODD_VALUES.values()), ids=list(ODD_VALUES))
def test_odd_query_strings_never_fail(expert_client, world, value):
    for name in ("page", "sector", "mode", "city", "remote", "unfit"):
        assert expert_client.get("/opportunities/", query_string={name: value}).status_code == 200


def test_an_expert_without_consent_is_offered_the_setting_instead(expert_client, world):
    world.expert.consent_matching = False
    db.session.commit()
    page = read(expert_client)
    assert "You have not agreed to matching" in page
    assert "/expert/profile/edit#consent" in page
    assert titles(page) == []


def test_an_expert_without_a_profile_is_asked_to_build_it(client, auth, make_user, world):
    newcomer = make_user("new@example.org")
    auth.login(newcomer.email, PASSWORD)
    page = read(client)
    assert "Build your profile" in page and titles(page) == []


def test_a_profile_not_confirmed_for_a_year_fits_nothing_and_says_why(expert_client, world):
    world.expert.confirmed_at = utcnow().replace(year=utcnow().year - 2)
    db.session.commit()
    page = read(expert_client, "/opportunities/?unfit=1")
    assert "0 open projects fit your profile." in page
    assert "Your profile was not confirmed in the last twelve months." in page


def test_the_experts_own_requests_and_invitations_show_in_the_list(expert_client, world):
    db.session.add_all(
        [
            Match(
                project=world.vision,
                expert=world.expert,
                source=MatchSource.EXPERT,
                proposal_note="I built such a system.",
            ),
            Match(
                project=world.farm,
                expert=world.expert,
                status=MatchStatus.INVITED,
                invited_at=utcnow(),
            ),
        ]
    )
    db.session.commit()
    page = read(expert_client)
    assert titles(page) == [world.vision.title, world.farm.title]
    assert "Interest sent, waiting for review" in page
    assert "Answer the invitation" in page
    assert "I am interested" not in page


def test_an_engine_suggestion_waiting_for_review_is_not_revealed(expert_client, world):
    db.session.add(Match(project=world.vision, expert=world.expert, score=0.9))
    db.session.commit()
    page = read(expert_client)
    assert "waiting for review" not in page and "I am interested" in page


def test_the_page_and_its_links_are_for_experts(client, auth, world):
    assert client.get("/opportunities/").status_code == 302  # log in first
    auth.login(world.member.email, PASSWORD)
    assert client.get("/opportunities/").status_code == 403
    auth.logout()
    auth.login(world.expert.user.email, PASSWORD)
    assert "/opportunities/" in read(client, "/dashboard")


def test_the_chosen_city_stays_selected_however_it_was_typed(expert_client, world):
    assert 'value="Meknès" selected' in read(expert_client, "/opportunities/?city=MEKNES")
