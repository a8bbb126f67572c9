"""Characters that cannot be seen never reach what people read: control characters (NUL made
PostgreSQL fail a project's save with a 500), bidi overrides and isolates (which make a name or
title display as something else) and zero-width characters (which make two identical-looking
names differ) are dropped from names, titles, bios and skill names, through the pages and the
import alike. Arabic and Persian text keeps everything it needs: the marks LRM, RLM and ALM
everywhere, the zero-width joiners in prose."""

import io
import json
import subprocess
import sys

import pytest

from diaspora.extensions import db
from diaspora.models import ExpertProfile, Institution, Project, Role, User
from diaspora.rules import text
from tests.conftest import PASSWORD
from tests.experts.conftest import profile_form
from tests.odd_values import BLANK_TEXT
from tests.projects.test_project_pages import project_form

# Every character of each class, typed in the middle of a word.
HIDDEN = {
    "NUL": "\x00",
    "other controls": "\x01\x07\x08\x0b\x0c\x1b\x1f\x7f\x80\x9b\x9f",
    "bidi embeddings and overrides": "\u202a\u202b\u202c\u202d\u202e",
    "bidi isolates": "\u2066\u2067\u2068\u2069",
    "zero-width": "\u200b\u2060\u2061\u2062\u2063\u2064\ufeff",
    "joiners": "\u200c\u200d",
}
# Arabic as people type it: diacritics, tatweel, Arabic-Indic digits, and the direction marks
# that place Latin words and digits (ALM, RLM, LRM).
ARABIC = "سَلْمى بنّاني ــ خبيرة ١٢ سنة في «computer vision»\u061c\u200f (AI)\u200e."
PERSIAN = "می\u200cخواهم"  # the non-joiner keeps these two letters apart: a spelling


def seasoned(word: str, hidden: str) -> str:
    return word[:2] + hidden + word[2:]


@pytest.fixture
def expert(make_user, auth):
    user = make_user("salma@example.org", role=Role.EXPERT, name="Salma Bennani")
    auth.login(user.email)
    return user


@pytest.fixture
def member(make_user, make_institution, auth):
    user = make_user("nadia@sante.gov.ma", role=Role.INSTITUTION, institution=make_institution())
    auth.login(user.email)
    return user


@pytest.mark.parametrize("kind", HIDDEN)
def test_sign_up_names_keep_no_hidden_character(client, kind):
    hidden = HIDDEN[kind]
    data = {
        "full_name": f"{seasoned('Salma', hidden)} Bennani",
        "email": "nadia@agri.gov.ma",
        "password": PASSWORD,
        "confirm": PASSWORD,
        "locale": "en",
        "join": "new",
        "institution_name": f"Ministère de {seasoned('Agriculture', hidden)}",
        "institution_kind": "ministry",
        "email_domain": "agri.gov.ma",
    }
    assert client.post("/auth/signup/institution", data=data).status_code == 302
    assert db.session.scalar(db.select(User.full_name)) == "Salma Bennani"
    assert db.session.scalar(db.select(Institution.name)) == "Ministère de Agriculture"


@pytest.mark.parametrize("kind", HIDDEN)
def test_a_profile_keeps_no_hidden_character_and_its_bio_keeps_the_joiners(client, expert, kind):
    hidden = HIDDEN[kind]
    form = profile_form(
        headline=f"Data {seasoned('scientist', hidden)}",
        city=seasoned("Montréal", hidden),
        bio=f"{profile_form()['bio']} {seasoned('Merci', hidden)}",
        **{"skills-2-name": seasoned("Python", hidden)},
    )
    assert client.post("/expert/profile/edit", data=form).status_code == 302
    profile = db.session.scalars(db.select(ExpertProfile)).one()
    assert (profile.headline, profile.city) == ("Data scientist", "Montréal")
    assert "Python" in [s.name for s in profile.skills]
    kept = hidden if kind == "joiners" else ""
    assert profile.bio.endswith(f" Me{kept}rci")


@pytest.mark.parametrize("kind", HIDDEN)
def test_a_project_keeps_no_hidden_character_when_created_or_edited(client, member, kind):
    hidden = HIDDEN[kind]
    typed = project_form(
        title=f"Détection {seasoned('précoce', hidden)}",
        description=f"Un modèle de {seasoned('vision', hidden)}.",
        location=seasoned("Rabat", hidden),
        **{"skills-1-name": seasoned("python", hidden)},
    )
    assert client.post("/projects/new", data=typed).status_code == 302
    project = db.session.scalars(db.select(Project)).one()
    kept = hidden if kind == "joiners" else ""
    assert (project.title, project.location) == ("Détection précoce", "Rabat")
    assert project.description == f"Un modèle de vi{kept}sion."
    assert sorted(s.name for s in project.skills) == ["python", "vision par ordinateur"]

    edited = {**typed, "title": f"Dépistage {seasoned('précoce', hidden)}"}
    assert client.post(f"/projects/{project.id}/edit", data=edited).status_code == 302
    db.session.expire_all()
    assert db.session.get(Project, project.id).title == "Dépistage précoce"


def test_arabic_and_persian_text_is_kept_whole(client, expert):
    assert text.clean_line(ARABIC) == ARABIC
    assert text.clean_text(f"{ARABIC}\n{PERSIAN}") == f"{ARABIC}\n{PERSIAN}"
    form = profile_form(headline=ARABIC, bio=f"{profile_form()['bio']}\n{ARABIC}\n{PERSIAN}")
    assert client.post("/expert/profile/edit", data=form).status_code == 302
    profile = db.session.scalars(db.select(ExpertProfile)).one()
    assert profile.headline == ARABIC
    assert profile.bio.endswith(f"\n{ARABIC}\n{PERSIAN}")


def _expert_line(**changes) -> bytes:
    record = {
        "ref": "E-000123",
        "full_name": "Salma Bennani",
        "email": "salma@example.org",
        "residence": {"country": "AE", "city": "Dubai"},
        "languages": [{"code": "ar", "level": "C2"}],
        "skills": [{"name": "machine learning", "level": 4}],
        "sectors": ["health"],
        "modes": ["remote"],
        "hours_per_month": 10,
        "bio": "Free text.",
        "consent_matching": True,
        "headline": "Data scientist",
    }
    record.update(changes)
    return json.dumps(record, ensure_ascii=False).encode() + b"\n"


def _upload(client, content: bytes):
    data = {"kind": "experts", "upload": (io.BytesIO(content), "experts.jsonl")}
    return client.post("/admin/imports", data=data, content_type="multipart/form-data")


@pytest.fixture
def admin(make_user, auth):
    user = make_user("admin@example.org", role=Role.ADMIN)
    auth.login(user.email)
    return user


@pytest.mark.parametrize("kind", [k for k in HIDDEN if k not in ("NUL", "other controls")])
def test_the_import_drops_invisible_formatting_as_the_pages_do(client, admin, kind):
    hidden = HIDDEN[kind]
    line = _expert_line(
        full_name=f"{seasoned('Salma', hidden)} Bennani",
        headline=f"Data {seasoned('scientist', hidden)}",
        bio=f"Free {seasoned('text', hidden)}.",
        skills=[{"name": seasoned("machine learning", hidden), "level": 4}],
    )
    page = _upload(client, line).get_data(as_text=True)
    assert "1 lines imported" in page
    profile = db.session.scalars(db.select(ExpertProfile)).one()
    kept = hidden if kind == "joiners" else ""
    assert profile.user.full_name == "Salma Bennani"
    assert profile.headline == "Data scientist"
    assert profile.bio == f"Free te{kept}xt."
    assert [s.name for s in profile.skills] == ["machine learning"]


@pytest.mark.parametrize("kind", ["NUL", "other controls"])
def test_the_import_refuses_a_line_with_control_characters(client, admin, kind):
    line = _expert_line(bio=f"Free {seasoned('text', HIDDEN[kind])}.")
    page = _upload(client, line).get_data(as_text=True)
    assert "bio must not contain control characters" in page
    assert db.session.scalars(db.select(ExpertProfile)).all() == []


def test_the_rules_load_without_flask_or_sqlalchemy():
    code = (
        "import sys, diaspora.rules.text, diaspora.rules.links; "
        "sys.exit(', '.join(m for m in ('flask', 'sqlalchemy') if m in sys.modules) or None)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("blank", list(BLANK_TEXT.values()), ids=list(BLANK_TEXT))
def test_text_that_shows_nothing_is_no_text(blank):
    assert text.clean_line(blank) == ""
    assert text.clean_text(f"{blank}\n{blank}\r\n{blank}") == ""
    assert text.clean_line(f"{blank}Salma{blank}") != ""


MARKS_ONLY = BLANK_TEXT["direction marks (RLM, LRM, ALM)"]


def test_a_name_of_direction_marks_only_is_missing_at_sign_up(client):
    data = {
        "full_name": MARKS_ONLY,
        "email": "salma@example.org",
        "password": PASSWORD,
        "confirm": PASSWORD,
        "locale": "en",
    }
    response = client.post("/auth/signup/expert", data=data)
    assert response.status_code == 200
    assert "This field is required." in response.get_data(as_text=True)
    assert db.session.scalars(db.select(User)).all() == []


def test_a_project_title_of_direction_marks_only_is_missing(client, member):
    response = client.post("/projects/new", data=project_form(title=MARKS_ONLY))
    assert "Give the project a title." in response.get_data(as_text=True)
    assert db.session.scalars(db.select(Project)).all() == []


def test_a_profile_keeps_no_skill_headline_or_city_of_direction_marks_only(client, expert):
    form = profile_form(
        headline=MARKS_ONLY, city=MARKS_ONLY, bio=MARKS_ONLY, **{"skills-2-name": MARKS_ONLY}
    )
    assert client.post("/expert/profile/edit", data=form).status_code == 302
    profile = db.session.scalars(db.select(ExpertProfile)).one()
    assert (profile.headline, profile.city, profile.bio) == ("", "", "")
    assert len(profile.skills) == 2
