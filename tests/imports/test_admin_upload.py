"""The admin upload page: the same import as the command, from the browser."""

import io

import pytest

from diaspora.models import ExpertProfile, Role
from diaspora.services import accounts
from tests.conftest import DEV_SET as DEV  # noqa: E402


def upload(client, content: bytes, filename: str, kind: str = "experts"):
    data = {"kind": kind, "upload": (io.BytesIO(content), filename)}
    return client.post("/admin/imports", data=data, content_type="multipart/form-data")


@pytest.fixture
def admin(make_user, auth):
    user = make_user("admin@example.org", role=Role.ADMIN)
    auth.login(user.email)
    return user


def test_admin_uploads_a_file_and_reads_the_report(client, admin):
    good = (DEV / "experts.jsonl").read_bytes().splitlines()[:3]
    content = b"\n".join([good[0], b'{"ref": "E-x"}', good[1], good[2]]) + b"\n"
    page = upload(client, content, "experts.jsonl").get_data(as_text=True)
    assert "3 lines imported (3 new, 0 updated), 0 unchanged, 1 rejected." in page
    assert "full_name is missing" in page and "<td>2</td>" in page
    assert ExpertProfile.query.count() == 3

    again = upload(client, content, "experts.jsonl").get_data(as_text=True)
    assert "0 lines imported (0 new, 0 updated), 3 unchanged, 1 rejected." in again


def test_admin_uploads_projects_as_csv(client, admin):
    content = (
        "ref,institution,title,sector,skills,mode,hours_per_month,seats\n"
        "P-UP1,Université Mohammed V,Tri des archives,culture_language,OCR:3,remote,6,1\n"
    ).encode()
    page = upload(client, content, "projets.csv", kind="projects").get_data(as_text=True)
    assert "1 lines imported (1 new, 0 updated)" in page


def test_a_file_that_is_not_jsonl_or_csv_gets_a_clear_message(client, admin):
    page = upload(client, b"%PDF-1.4", "experts.pdf").get_data(as_text=True)
    assert "Only .jsonl and .csv files can be imported." in page
    assert ExpertProfile.query.count() == 0


def test_binary_content_is_rejected_line_by_line_without_error(client, admin):
    response = upload(client, b"\x89PNG\r\n\x1a\n\x00\xff\xfe", "experts.csv")
    assert response.status_code == 200
    assert ExpertProfile.query.count() == 0


def test_submitting_without_a_file_asks_for_one(client, admin):
    page = client.post("/admin/imports", data={"kind": "experts"}).get_data(as_text=True)
    assert "Choose a file to import." in page


@pytest.mark.config(MAX_CONTENT_LENGTH=1024 * 1024)
def test_a_file_over_the_size_limit_is_refused_with_a_message(client, admin):
    response = upload(client, b"x" * (1024 * 1024 + 10), "experts.jsonl")
    assert response.status_code == 413
    assert "The file is too large." in response.get_data(as_text=True)
    assert ExpertProfile.query.count() == 0


@pytest.mark.config(WTF_CSRF_ENABLED=True)
def test_upload_without_the_csrf_token_is_refused(client, make_user):
    user = make_user("admin@example.org", role=Role.ADMIN)
    with client.session_transaction() as session:  # logged in without going through the form
        session["_user_id"] = accounts.start_session(user)
        session["_fresh"] = True
    assert 'name="csrf_token"' in client.get("/admin/imports").get_data(as_text=True)
    content = (DEV / "experts.jsonl").read_bytes().splitlines()[0] + b"\n"
    assert upload(client, content, "experts.jsonl").status_code == 400
    assert ExpertProfile.query.count() == 0


@pytest.mark.parametrize("role", [Role.EXPERT, Role.INSTITUTION])
def test_non_admins_cannot_reach_the_upload_page(client, auth, make_user, role):
    make_user("someone@example.org", role=role)
    auth.login("someone@example.org")
    assert client.get("/admin/imports").status_code == 403
    assert upload(client, b"{}", "experts.jsonl").status_code == 403


def test_guests_are_sent_to_log_in(client):
    response = client.get("/admin/imports")
    assert response.status_code == 302 and "/auth/login" in response.location
