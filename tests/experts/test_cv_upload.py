"""CV upload, as an expert meets it: send a CV, review the skills found with the lines of the CV
that name them, add only the ones ticked; the file kept only when asked for."""

import base64
import html
import io
import json
import re

import pytest

from diaspora.experts.cv import MAX_REQUEST
from diaspora.extensions import db
from diaspora.models import (
    AttachedCv,
    AuditEntry,
    ExpertChange,
    ExpertSkill,
    Match,
    MatchStatus,
    ProfileSection,
    Project,
    ProjectStatus,
    Role,
    Visibility,
)
from diaspora.services.cv import MAX_BYTES
from diaspora.taxonomy import get_taxonomy
from tests.conftest import PASSWORD
from tests.cv.files import OLD_WORD, PNG, TRUNCATED_PDF, encrypted_pdf, scanned_pdf, test_cv
from tests.experts.conftest import profile_of
from tests.security.conftest import log_in, snapshot

UPLOAD = "/expert/profile/cv"
TOKEN = r'name="csrf_token"[^>]*value="([^"]+)"'
CONFIRM = "/expert/profile/cv/confirm"
TEXT_CV = (
    "Nadia Amrani\nData analyst, Montréal\nSkills\nPython (advanced, 6 years), SQL, statistics\n"
).encode()


def concept(english_label: str) -> str:
    (found,) = [c.id for c in get_taxonomy().concepts if c.labels["en"] == english_label]
    return found


PYTHON, SQL, STATISTICS = (
    concept(n) for n in ("Python (computer programming)", "SQL", "statistics")
)


def upload(client, data: bytes, name: str = "cv.pdf", attach: bool = False):
    form = {"upload": (io.BytesIO(data), name)}
    if attach:
        form["attach"] = "y"
    return client.post(UPLOAD, data=form, content_type="multipart/form-data")


def proposals(page: str) -> dict[str, dict]:
    """The review page's rows by concept: the hidden fields sent back, the level proposed."""
    rows = {}
    for n, value in re.findall(
        r'name="proposals-(\d+)-concept" type="hidden" value="([^"]*)"', page
    ):
        row = {"n": n, "concept": html.unescape(value)}
        for field in ("phrase", "cue"):
            found = re.search(rf'name="proposals-{n}-{field}" type="hidden" value="([^"]*)"', page)
            row[field] = html.unescape(found.group(1))
        select = re.search(rf'name="proposals-{n}-level"[^>]*>(.*?)</select>', page, re.S)
        level = select and re.search(r'<option selected value="(\d)"', select.group(1))
        row["level"] = int(level.group(1)) if level else None
        rows[row["concept"]] = row
    return rows


def confirmation(page: str, ticked: dict[str, int]) -> dict:
    """The review form as sent back with ``ticked`` (concept -> level) ticked."""
    form = {}
    for cid, row in proposals(page).items():
        n = row["n"]
        form |= {f"proposals-{n}-{f}": row[f] for f in ("concept", "phrase", "cue")}
        form[f"proposals-{n}-level"] = str(ticked.get(cid, row["level"] or 3))
        if cid in ticked:
            form[f"proposals-{n}-chosen"] = "y"
    return form


def skills_of(user) -> dict[str, int]:
    db.session.expire_all()
    return {
        s.concept_id: s.level
        for s in ExpertSkill.query.join(ExpertSkill.expert).all()
        if s.expert.user_id == user.id
    }


@pytest.mark.parametrize(
    ("data", "name", "skill", "line"),
    [
        (test_cv("en01"), "cv.pdf", "Python (computer programming)", "Python (advanced, 8 years)"),
        (test_cv("fr02"), "cv.docx", "data warehouse", "entrepôt de données"),
        (test_cv("ar05"), "cv.pdf", "cyber security", "الأمن السيبراني"),
        (TEXT_CV, "cv.txt", "statistics", "Python (advanced, 6 years), SQL, statistics"),
    ],
    ids=["PDF in English", "DOCX in French", "PDF in Arabic", "plain text"],
)
def test_each_kind_of_cv_gives_skills_with_their_lines(client, expert, data, name, skill, line):
    response = upload(client, data, name)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Skills found in your CV" in page
    assert f">{skill}</label>" in page
    assert line in html.unescape(page)


def test_the_level_the_cv_states_is_proposed(client, expert):
    rows = proposals(upload(client, TEXT_CV, "cv.txt").get_data(as_text=True))
    assert rows[PYTHON]["level"] == 4 and rows[PYTHON]["cue"] == "advanced"
    assert rows[SQL]["level"] == 3 and rows[SQL]["cue"] == ""


def test_nothing_is_saved_until_the_expert_confirms(client, expert):
    before = snapshot()
    page = upload(client, test_cv("en01")).get_data(as_text=True)
    assert len(proposals(page)) > 5
    assert snapshot() == before


def test_confirming_saves_only_the_ticked_skills_at_the_chosen_levels(client, expert):
    page = upload(client, test_cv("en01")).get_data(as_text=True)
    response = client.post(CONFIRM, data=confirmation(page, {PYTHON: 5, SQL: 2}))
    assert response.status_code == 302
    assert skills_of(expert) == {PYTHON: 5, SQL: 2}
    names = {s.name for s in profile_of(expert).skills}
    assert names == {"Python (computer programming)", "SQL"}
    assert "2 skills added to your profile." in client.get("/expert/profile").get_data(as_text=True)
    entry = AuditEntry.query.filter_by(action="expert.profile_updated").one()
    assert entry.details["source"] == "cv" and entry.details["skills_added"] == 2
    # The matching engine's indexes hear of the change.
    assert ExpertChange.query.filter_by(expert_id=profile_of(expert).id).count() == 1


def speaks(user, locale: str) -> None:
    user.locale = locale
    db.session.commit()


def test_skills_named_in_the_readers_language(client, expert):
    speaks(expert, "fr")
    page = upload(client, test_cv("en01")).get_data(as_text=True)
    client.post(CONFIRM, data=confirmation(page, {concept("utilise machine learning"): 4}))
    assert {s.name for s in profile_of(expert).skills} == {"utiliser l’apprentissage automatique"}


def test_skills_already_in_the_profile_are_marked_and_not_added_twice(client, expert, save_profile):
    save_profile()  # ML, computer vision, Python
    page = upload(client, test_cv("en01")).get_data(as_text=True)
    assert re.search(
        r"Python \(computer programming\)</span>\s*<span[^>]*>already in your profile", page
    )
    before = skills_of(expert)
    response = client.post(CONFIRM, data=confirmation(page, {PYTHON: 1, SQL: 4}))
    assert response.status_code == 302
    assert skills_of(expert) == before | {SQL: 4}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "This file is empty"),
        (PNG, "We read PDF, Word (.docx) and plain-text files only"),
        (bytes(range(256)) * 40, "We read PDF, Word (.docx) and plain-text files only"),
        (OLD_WORD, "old format (.doc)"),
        (TRUNCATED_PDF, "it seems damaged"),
        (encrypted_pdf("secret"), "protected by a password"),
        (scanned_pdf(), "This PDF has no text layer"),
        (b"x" * (MAX_BYTES + 1), "larger than 5 MB"),
    ],
    ids=["empty", "image", "garbage", "old Word", "corrupt", "password", "scan", "over 5 MB"],
)
def test_unusable_files_get_a_clear_message_and_change_nothing(client, expert, data, message):
    before = snapshot()
    for attach in (False, True):
        response = upload(client, data, attach=attach)
        page = response.get_data(as_text=True)
        assert response.status_code == 200
        assert message in page and "Your profile has not changed." in page
    assert snapshot() == before


def test_no_file_chosen(client, expert):
    response = client.post(UPLOAD, data={}, content_type="multipart/form-data")
    assert "Choose the file of your CV." in response.get_data(as_text=True)


class Unreadable(io.BytesIO):
    """A request body that must not be read."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readinto = readline = read1 = read


def test_an_upload_over_the_limit_is_refused_before_its_body_is_read(client, expert):
    before = snapshot()
    response = client.post(
        UPLOAD,
        input_stream=Unreadable(),
        content_type="multipart/form-data; boundary=x",
        environ_overrides={"CONTENT_LENGTH": str(MAX_REQUEST + 1)},
    )
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "larger than 5 MB" in page and 'name="upload"' in page
    assert snapshot() == before


def test_an_upload_without_a_declared_length_stops_at_the_limit(client, expert):
    boundary = "b0undary"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="upload"; filename="cv.txt"\r\n'
        f"Content-Type: text/plain\r\n\r\n".encode()
        + b"x" * (MAX_REQUEST + 10)
        + f"\r\n--{boundary}--\r\n".encode()
    )
    response = client.post(
        UPLOAD,
        input_stream=io.BytesIO(body),
        content_type=f"multipart/form-data; boundary={boundary}",
        # A chunked request: no length, and a server that ends the stream where it ends.
        environ_overrides={"wsgi.input_terminated": True, "HTTP_TRANSFER_ENCODING": "chunked"},
    )
    assert response.status_code == 413
    assert "larger than 5 MB" in response.get_data(as_text=True)


def test_the_file_is_not_kept_unless_asked(client, expert):
    upload(client, test_cv("en01"))
    assert AttachedCv.query.count() == 0
    page = upload(client, test_cv("en01"), name="../../Mon CV.pdf", attach=True).get_data(
        as_text=True
    )
    assert "Your CV is attached to your profile." in page
    stored = AttachedCv.query.one()
    assert (stored.filename, stored.kind) == ("Mon CV.pdf", "pdf")
    response = client.get("/expert/profile/cv/file")
    assert response.status_code == 200 and response.data == test_cv("en01")
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert "Mon CV.pdf" in client.get("/expert/profile").get_data(as_text=True)


def test_attaching_another_cv_replaces_the_first_and_removing_it_works(client, expert):
    upload(client, test_cv("en01"), attach=True)
    upload(client, TEXT_CV, name="cv.txt", attach=True)
    assert AttachedCv.query.one().kind == "text"
    response = client.post("/expert/profile/cv/remove", follow_redirects=True)
    assert "no longer attached" in response.get_data(as_text=True)
    assert AttachedCv.query.count() == 0
    assert client.get("/expert/profile/cv/file").status_code == 404


@pytest.mark.parametrize(
    ("visibility", "hidden", "member_status"),
    [
        (Visibility.INSTITUTIONS, [], 200),
        (Visibility.PRIVATE, [], 403),
        (Visibility.INSTITUTIONS, [ProfileSection.CV], 403),  # kept from institutions
        (Visibility.INSTITUTIONS, [ProfileSection.BIO], 200),
    ],
    ids=["institutions", "private", "CV kept from institutions", "bio kept from institutions"],
)
def test_an_attached_cv_is_for_those_who_may_see_the_profile_once_the_expert_accepted(
    client, expert, save_profile, make_user, make_institution, visibility, hidden, member_status
):
    save_profile(visibility=visibility, hidden_sections=hidden)
    upload(client, test_cv("en01"), attach=True)
    url = f"/expert/profiles/{profile_of(expert).ref}/cv"
    institution = make_institution()
    member = make_user("m@sante.gov.ma", role=Role.INSTITUTION, institution=institution)
    # A CV holds contact details: members wait for the expert to accept one of their projects.
    log_in(client, member)
    assert client.get(url).status_code == 403
    project = Project(
        ref="P-1",
        institution=institution,
        created_by=member,
        title="Vision",
        sector="health",
        mode="remote",
        status=ProjectStatus.PUBLISHED,
    )
    db.session.add(Match(project=project, expert=profile_of(expert), status=MatchStatus.ACCEPTED))
    db.session.commit()
    unverified = make_user(
        "u@new.ma", role=Role.INSTITUTION, institution=make_institution("New", "new.ma", False)
    )
    other_expert = make_user("other@example.org")
    admin = make_user("admin@example.org", role=Role.ADMIN)
    for user, status in (
        (member, member_status),
        (unverified, 403),
        (other_expert, 403),
        (admin, 200),
        (expert, 200),
    ):
        log_in(client, user)
        response = client.get(url)
        assert response.status_code == status, user.email
        if status == 200:
            assert response.data == test_cv("en01")
    log_in(client, member)
    profile_page = client.get(f"/expert/profiles/{profile_of(expert).ref}").get_data(as_text=True)
    assert (url in profile_page) == (member_status == 200)


def test_another_user_never_sees_someone_elses_proposals(client, expert, make_user):
    page = upload(client, test_cv("en01")).get_data(as_text=True)
    assert "Python (advanced, 8 years)" in html.unescape(page)
    other = make_user("other@example.org")
    log_in(client, other)
    for path in (UPLOAD, "/expert/profile", "/expert/profile/edit"):
        assert "8 years" not in html.unescape(client.get(path).get_data(as_text=True))
    assert client.get(CONFIRM).status_code == 405
    # What a confirmation carries changes its sender's profile only.
    client.post(CONFIRM, data=confirmation(page, {PYTHON: 3}))
    assert skills_of(other) == {PYTHON: 3} and skills_of(expert) == {}


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({}, "Tick the skills to add to your profile."),
        (
            {
                "proposals-0-concept": "not-a-skill",
                "proposals-0-chosen": "y",
                "proposals-0-level": "3",
            },
            "upload your CV again",
        ),
        (
            {"proposals-0-concept": PYTHON, "proposals-0-chosen": "y", "proposals-0-level": "9"},
            "Choose a level from 1 to 5",
        ),
    ],
    ids=["nothing ticked", "unknown skill", "level out of range"],
)
def test_a_refused_confirmation_says_why_and_saves_nothing(client, expert, form, message):
    before = snapshot()
    response = client.post(CONFIRM, data=form)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert snapshot() == before


def test_a_refused_confirmation_shows_the_proposals_again(client, expert):
    page = upload(client, test_cv("en01")).get_data(as_text=True)
    form = confirmation(page, {PYTHON: 4})
    form["proposals-0-level"] = "0"
    again = client.post(CONFIRM, data=form).get_data(as_text=True)
    assert proposals(again).keys() == proposals(page).keys()
    assert "Python (advanced, 8 years)" in html.unescape(again)


@pytest.mark.config(WTF_CSRF_ENABLED=True)
def test_upload_and_confirmation_need_the_pages_token(client, make_user):
    expert = make_user("salma@example.org")
    log_in(client, expert)  # the log-in form wants a token too
    before = snapshot()
    response = upload(client, test_cv("en01"))
    assert response.status_code == 400 and "Your form expired" in response.get_data(as_text=True)
    assert client.post(CONFIRM, data={"proposals-0-concept": PYTHON}).status_code == 400
    assert snapshot() == before
    token = re.search(TOKEN, client.get(UPLOAD).get_data(as_text=True))
    form = {"upload": (io.BytesIO(test_cv("en01")), "cv.pdf"), "csrf_token": token.group(1)}
    page = client.post(UPLOAD, data=form, content_type="multipart/form-data").get_data(as_text=True)
    review = confirmation(page, {PYTHON: 4})
    review["csrf_token"] = re.search(
        r'name="csrf_token" type="hidden" value="([^"]+)"', page
    ).group(1)
    assert client.post(CONFIRM, data=review).status_code == 302
    assert skills_of(expert) == {PYTHON: 4}


def test_the_review_page_reads_right_to_left_in_arabic(client, expert):
    speaks(expert, "ar")
    page = upload(client, test_cv("ar01")).get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in page
    assert "المهارات الموجودة في سيرتك الذاتية" in page
    assert "بايثون" in page  # the skill's Arabic label
    assert '<q dir="auto">' in page


def test_the_data_export_holds_the_attached_cv_and_erasure_removes_it(client, expert):
    upload(client, test_cv("en01"), attach=True)
    data = json.loads(client.post("/expert/data/export").get_data(as_text=True))
    assert base64.b64decode(data["attached_cv"]["content_base64"]) == test_cv("en01")
    assert data["attached_cv"]["filename"] == "cv.pdf"
    client.post("/expert/data", data={"password": PASSWORD})
    db.session.expire_all()
    assert AttachedCv.query.count() == 0


@pytest.mark.config(RATELIMIT_ENABLED=True, CV_UPLOAD_LIMIT="2 per minute")
def test_cv_uploads_are_throttled_with_a_page_that_says_how_long_to_wait(client, expert):
    codes = [upload(client, test_cv("en01")).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    response = upload(client, test_cv("en01"))
    page = response.get_data(as_text=True)
    assert response.status_code == 429 and "Retry-After" in response.headers
    assert "Too many attempts" in page and "<html" in page
