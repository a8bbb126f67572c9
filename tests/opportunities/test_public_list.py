"""The public list of open projects: anyone reads the published projects of verified
institutions (title, institution, sector, mode, skills wanted, nothing internal), page by page,
and is invited to sign up."""

import re

import pytest

from tests.conftest import PASSWORD
from tests.odd_values import ODD_VALUES

pytestmark = pytest.mark.config(MATCH_USE_TEXT=False)


def titles(page: str) -> list[str]:
    found = re.findall(r'id="open-\d+-title">([^<]+)</h2>', page)
    return [t.replace("&#39;", "'") for t in found]


def read(client, url="/opportunities/open") -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def test_anyone_reads_the_open_projects_newest_first(client, world):
    page = read(client)
    assert titles(page) == [
        world.vision.title,
        world.farm.title,
        world.onsite.title,
        world.german.title,
    ]
    assert "4 open projects." in page
    for project in (world.draft, world.closed, world.full, world.orphan):
        assert project.title not in page


def test_a_project_shows_what_anyone_may_read_and_nothing_else(client, world):
    page = read(client)
    card = page.split(world.vision.title)[1].split("</article>")[0]
    assert world.institution.name in card and "Health" in card and "Remote" in card
    assert "computer vision" in card and "machine learning" in card  # skills wanted
    assert "Python" in card  # nice to have
    for private in ("budget", "0600000000", "Dr Alami", world.vision.ref, "Rabat", "8"):
        assert private not in card
    assert "/projects/" not in page  # no door to the project's own page
    assert world.member.email not in page


def test_visitors_are_invited_to_sign_up(client, world):
    page = read(client)
    assert 'href="/auth/signup/expert"' in page
    assert "/opportunities/open" in read(client, "/")  # the home page links to the list


def test_a_signed_in_expert_is_sent_to_their_ranking(client, auth, world):
    auth.login(world.expert.user.email, PASSWORD)
    assert 'href="/opportunities/"' in read(client)


def test_skills_are_named_in_the_readers_language(client, world):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "fr"
    assert "vision par ordinateur" in read(client)


@pytest.mark.parametrize(
    "query, expected",
    [
        ("sector=agriculture", ["farm"]),
        ("mode=long_term", ["onsite"]),
        ("city=casablanca", ["onsite"]),
        ("remote=1", ["vision", "farm", "german"]),
        ("remote=1&sector=health&city=Rabat", ["vision", "german"]),
        ("sector=water", []),
    ],
)
def test_filters_combine(client, world, query, expected):
    page = read(client, f"/opportunities/open?{query}")
    assert titles(page) == [getattr(world, name).title for name in expected]


def test_pages_of_twenty(client, world, make_project):
    for i in range(20):
        make_project(world.institution, f"Projet {i:02d}", days_ago=10 + i)
    first = read(client)
    assert len(titles(first)) == 20 and "Page 1 of 2" in first
    second = read(client, "/opportunities/open?page=٢")  # any digits
    assert len(titles(second)) == 4
    assert titles(read(client, "/opportunities/open?page=99")) == titles(second)


@pytest.mark.parametrize("value", list(ODD_VALUES.values()), ids=list(ODD_VALUES))
def test_odd_query_strings_never_fail(client, world, value):
    for name in ("page", "sector", "mode", "city", "remote"):
        response = client.get("/opportunities/open", query_string={name: value})
        assert response.status_code == 200
