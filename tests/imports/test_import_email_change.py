"""An import may not change the address someone logs in with: for an account with a password
the new address is only proposed (a confirmation link to it, a word to the current one).
Accounts nobody has claimed yet still follow the registry."""

import io
import json

import pytest

from diaspora.extensions import db
from diaspora.models import AuditEntry, ExpertProfile, Role, User
from tests.conftest import link_in
from tests.interchange.test_interchange_files import good_expert

OLD = "salma@example.org"
NEW = "attacker@evil.example"
NOTE = f"email '{NEW}' not applied: the account has a password"


def line(email: str, **changes) -> str:
    return json.dumps({**good_expert(ref="E-1", email=email), **changes}) + "\n"


def run_import(runner, tmp_path, text: str):
    path = tmp_path / "experts.jsonl"
    path.write_text(text)
    return runner.invoke(args=["import", "experts", str(path)])


@pytest.fixture
def claimed(runner, tmp_path, client, outbox):
    """An expert imported from a registry who then claimed the account (chose a password)."""
    assert run_import(runner, tmp_path, line(OLD)).exit_code == 0
    client.post("/auth/reset", data={"email": OLD})
    [reset] = outbox(kind="reset_password")
    client.post(
        link_in(reset.body_text, "/auth/reset/"),
        data={"password": "my own passphrase", "confirm": "my own passphrase"},
    )
    user = User.query.filter_by(email=OLD).one()
    assert user.password_hash is not None and user.is_verified
    return user


def test_an_import_only_proposes_a_new_address_for_an_account_with_a_password(
    runner, tmp_path, client, auth, claimed, outbox
):
    result = run_import(runner, tmp_path, line(NEW))
    assert result.exit_code == 0, result.output
    assert f"line 1: {NOTE}" in result.output
    assert "0 created, 0 updated, 1 unchanged, 0 rejected" in result.output
    db.session.expire_all()
    assert db.session.get(User, claimed.id).email == OLD

    # Whoever holds the new address cannot reset the password: no account has it.
    client.post("/auth/reset", data={"email": NEW})
    assert outbox(kind="reset_password", to=NEW) == []
    # The owner still logs in with the old one, and was told of the proposal.
    assert auth.login(OLD, "my own passphrase").status_code == 302
    [told] = outbox(kind="email_change_proposed")
    assert told.to_address == OLD and NEW in told.body_text and NEW in told.body_html
    assert AuditEntry.query.filter_by(action="expert.import_email_proposed").count() == 1

    # The new address got the account page's confirmation link, which makes the change.
    [confirm] = outbox(kind="verify_email", to=NEW)
    client.get(link_in(confirm.body_text, "/auth/verify/"))
    db.session.expire_all()
    assert db.session.get(User, claimed.id).email == NEW


def test_importing_the_file_again_proposes_nothing_more(runner, tmp_path, claimed, outbox):
    run_import(runner, tmp_path, line(NEW))
    written = len(outbox())
    again = run_import(runner, tmp_path, line(NEW))
    assert again.exit_code == 0
    assert f"line 1: {NOTE}, and the link sent to that address is pending" in again.output
    assert len(outbox()) == written


def test_other_fields_of_the_line_are_imported_and_the_address_kept(runner, tmp_path, claimed):
    moved = line(NEW, full_name="Salma Bennani-Idrissi", hours_per_month=20)
    result = run_import(runner, tmp_path, moved)
    assert "0 created, 1 updated, 0 unchanged, 0 rejected" in result.output
    db.session.expire_all()
    user = db.session.get(User, claimed.id)
    assert (user.email, user.full_name) == (OLD, "Salma Bennani-Idrissi")
    assert user.expert.hours_per_month == 20 and user.is_verified


def test_the_upload_page_says_the_address_was_only_proposed(
    client, auth, make_user, claimed, outbox
):
    make_user("admin@example.org", role=Role.ADMIN)
    auth.login("admin@example.org")
    data = {"kind": "experts", "upload": (io.BytesIO(line(NEW).encode()), "experts.jsonl")}
    response = client.post("/admin/imports", data=data, content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert "Imported lines with a remark" in page and NOTE in page.replace("&#39;", "'")
    db.session.expire_all()
    assert db.session.get(User, claimed.id).email == OLD
    assert len(outbox(kind="verify_email", to=NEW)) == 1
    entry = AuditEntry.query.filter_by(action="expert.import_email_proposed").one()
    assert entry.actor_id == User.query.filter_by(email="admin@example.org").one().id


def test_an_unclaimed_account_takes_the_registrys_new_address(runner, tmp_path, outbox):
    assert run_import(runner, tmp_path, line(OLD)).exit_code == 0
    result = run_import(runner, tmp_path, line("salma.new@example.org"))
    assert result.exit_code == 0 and "1 updated" in result.output
    assert "not applied" not in result.output
    profile = ExpertProfile.query.filter_by(ref="E-1").one()
    assert profile.user.email == "salma.new@example.org" and not profile.user.is_verified
    assert outbox() == []
