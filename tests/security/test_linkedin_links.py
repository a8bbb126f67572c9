"""A LinkedIn link on a profile opens linkedin.com in the reader's browser. The old check read
addresses with Python's urlsplit, which disagrees with browsers (the WHATWG URL standard) on
backslashes and user information: `https://evil.com\\@www.linkedin.com/in/x` passed, and
browsers open evil.com. One rule (diaspora/rules/links.py) now refuses what could make them
disagree, for the profile page and the import alike."""

import io
import json

import pytest

from diaspora.extensions import db
from diaspora.models import ExpertProfile, Role
from diaspora.rules.links import linkedin_url
from tests.experts.conftest import profile_form

REFUSED = [
    "https://evil.com\\@www.linkedin.com/in/x",  # a browser: host evil.com
    "https://evil.com\\.linkedin.com/in/x",
    "https:\\\\evil.com/www.linkedin.com/in/x",
    "https://www.linkedin.com\\in\\x",
    "https://evil.com@www.linkedin.com/in/x",  # user information, whatever its host
    "https://www.linkedin.com@evil.com/in/x",
    "https://www.linkedin.com:pass@evil.com/in/x",
    "https://www.linkedin.com%40evil.com/in/x",
    "https://evil.com%2F@www.linkedin.com/in/x",
    "https://evil.com#@www.linkedin.com/in/x",
    "https://evil.com?@www.linkedin.com/in/x",
    "https://evil.com/@www.linkedin.com/in/x",
    "https://evil.com\t@www.linkedin.com/in/x",  # tabs and line breaks: browsers drop them
    "https://evil.com\n.linkedin.com/in/x",
    "https://www.linkedin.com.evil.com/in/x",
    "https://linkedin.com.evil.org/in/x",
    "https://evillinkedin.com/in/x",
    "https://www.linkedin.com:8443/in/x",
    "https://www．linkedin．com/in/x",  # fullwidth dots: another host to an IDNA reader
    "https://www.linkedin.com./in/x",
    "https://[::1]/in/x",
    "https://[www.linkedin.com/in/x",
    "javascript://www.linkedin.com/%0Aalert(1)",
    "ftp://www.linkedin.com/in/x",
    "//evil.com/in/x",
    "https://www.linkedin.com",  # no profile after the host
    "https://www.linkedin.com/",
    "https://www.linkedin.com/in/" + "x" * 300,
]
ACCEPTED = {
    "https://www.linkedin.com/in/salma-bennani": "https://www.linkedin.com/in/salma-bennani",
    "linkedin.com/in/salma": "https://linkedin.com/in/salma",
    "www.linkedin.com/in/salma/": "https://www.linkedin.com/in/salma/",
    "http://ma.linkedin.com/in/salma": "http://ma.linkedin.com/in/salma",
    "HTTPS://WWW.LINKEDIN.COM/in/Salma": "HTTPS://WWW.LINKEDIN.COM/in/Salma",
    "https://www.linkedin.com/in/سلمى-بناني": "https://www.linkedin.com/in/سلمى-بناني",
    "  https://www.linkedin.com/in/salma?trk=public  ": "https://www.linkedin.com/in/salma?trk=public",
}


@pytest.mark.parametrize("url", REFUSED)
def test_the_rule_refuses_addresses_a_browser_may_read_otherwise(url):
    assert linkedin_url(url) is None


@pytest.mark.parametrize("typed, stored", ACCEPTED.items())
def test_the_rule_keeps_profile_addresses(typed, stored):
    assert linkedin_url(typed) == stored


@pytest.fixture
def expert(make_user, auth):
    user = make_user("salma@example.org", role=Role.EXPERT, name="Salma Bennani")
    auth.login(user.email)
    return user


def test_the_profile_page_refuses_each_tricky_address_and_saves_nothing(client, expert):
    for url in REFUSED:
        response = client.post("/expert/profile/edit", data=profile_form(linkedin=url))
        assert response.status_code == 200, url
        assert "Give the address of your LinkedIn profile" in response.get_data(as_text=True)
    assert db.session.scalars(db.select(ExpertProfile.linkedin)).all() in ([], [None])


def test_the_import_refuses_each_tricky_address(client, make_user, auth):
    auth.login(make_user("admin@example.org", role=Role.ADMIN).email)
    lines = [
        json.dumps(
            {
                "ref": f"E-{n}",
                "full_name": "Salma Bennani",
                "email": f"s{n}@example.org",
                "residence": {"country": "AE", "city": "Dubai"},
                "languages": [{"code": "ar", "level": "C2"}],
                "skills": [{"name": "machine learning", "level": 4}],
                "sectors": ["health"],
                "modes": ["remote"],
                "hours_per_month": 10,
                "consent_matching": True,
                "linkedin": url,
            }
        )
        for n, url in enumerate(REFUSED)
    ]
    content = "\n".join(lines).encode() + b"\n"
    data = {"kind": "experts", "upload": (io.BytesIO(content), "experts.jsonl")}
    page = client.post("/admin/imports", data=data, content_type="multipart/form-data")
    assert f"{len(REFUSED)} rejected" in page.get_data(as_text=True)
    assert db.session.scalars(db.select(ExpertProfile)).all() == []
