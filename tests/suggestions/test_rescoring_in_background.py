"""Rescoring every open project, which adopting weights or uploading a file asks for, is done by
the outbox worker: the admin's request never waits for it, at most one such job waits, and one
that fails is tried again, then shown to the admins as failed."""

import io

import pytest

from diaspora.extensions import db
from diaspora.matching import ENGINE_VERSION
from diaspora.models import ExpertProfile, Match, MatchStatus, OutboxMessage, OutboxStatus, Role
from diaspora.models.base import utcnow
from diaspora.notifications.delivery import send_pending
from diaspora.services import rescore_jobs, suggestions
from tests.conftest import DEV_SET as DEV
from tests.suggestions.test_learnt_weights import DEFAULTS, propose

pytestmark = pytest.mark.config(MATCH_USE_TEXT=False)

EXPERTS = (DEV / "experts.jsonl").read_bytes().splitlines()
QUEUED = "The outbox worker will bring the stored suggestions up to date with these lines."
JOINED = (
    "A rescoring was already waiting for the outbox worker: it will include these lines, and no "
    "other one is queued."
)
WAITING = "A rescoring of every open project is waiting for the outbox worker."
RUNNING = "The outbox worker is rescoring every open project now."


@pytest.fixture
def admin(make_user, auth):
    user = make_user("admin@diaspora.ma", role=Role.ADMIN)
    auth.login(user.email)
    return user


def upload(client, lines: list[bytes]) -> str:
    data = {"kind": "experts", "upload": (io.BytesIO(b"\n".join(lines) + b"\n"), "experts.jsonl")}
    page = client.post("/admin/imports", data=data, content_type="multipart/form-data")
    return page.get_data(as_text=True)


def jobs() -> list[str]:
    """The status of each rescoring job, oldest first."""
    db.session.expire_all()
    query = OutboxMessage.query.filter_by(kind=rescore_jobs.KIND).order_by(OutboxMessage.id)
    return [job.status for job in query]


def suggested() -> list[Match]:
    db.session.expire_all()
    return Match.query.filter_by(status=MatchStatus.SUGGESTED).order_by(Match.id).all()


def test_adopting_twice_before_the_worker_runs_queues_one_rescoring(
    client, runner, admin, project, make_expert
):
    make_expert("E-1", [("computer vision", 4), ("machine learning", 4)])
    suggestions.refresh_project(project.id)
    propose()
    client.post("/admin/weights/1/adopt")
    propose(version=2, weights=DEFAULTS, before=0.92, after=0.92)  # measured against set 1
    page = client.post("/admin/weights/2/adopt", follow_redirects=True).get_data(as_text=True)
    assert "Weight set 2 is now in force." in page
    assert "A rescoring was already waiting for the outbox worker: it will use these weights" in (
        page
    )
    assert WAITING in page
    assert jobs() == [OutboxStatus.PENDING]
    [match] = suggested()
    assert match.engine_version == ENGINE_VERSION  # as stored before either adoption

    assert "rescored 1 open projects" in runner.invoke(args=["outbox", "send"]).output
    [match] = suggested()
    assert match.engine_version == f"{ENGINE_VERSION}/w2" and match.weights == DEFAULTS
    assert jobs() == [OutboxStatus.SENT]
    assert "rescored" not in runner.invoke(args=["outbox", "send"]).output  # nothing left


def test_uploading_twice_before_the_worker_runs_queues_one_rescoring(client, admin, project):
    first = upload(client, EXPERTS[:2])
    assert "2 lines imported (2 new, 0 updated)" in first and QUEUED in first
    assert WAITING in first and "keep their earlier scores" in first
    assert suggested() == []  # the request did not rescore
    second = upload(client, EXPERTS[2:4])
    assert "2 lines imported (2 new, 0 updated)" in second and JOINED in second
    assert jobs() == [OutboxStatus.PENDING]

    rescore_jobs.run_due()
    assert suggested()
    page = client.get("/admin/imports").get_data(as_text=True)
    assert "The outbox worker last finished rescoring every open project at" in page
    assert WAITING not in page


def test_an_upload_that_changes_nothing_queues_nothing(client, admin):
    upload(client, EXPERTS[:2])
    rescore_jobs.run_due()
    page = upload(client, EXPERTS[:2])
    assert "0 lines imported (0 new, 0 updated), 2 unchanged" in page
    assert QUEUED not in page and JOINED not in page
    assert jobs() == [OutboxStatus.SENT]


def test_a_change_while_the_worker_rescores_queues_one_to_follow(
    client, admin, project, monkeypatch
):
    """The running job may have read the data before the change: another one follows it, and
    no second worker starts it before the first has finished."""
    upload(client, EXPERTS[:2])
    recompute_all = suggestions.recompute_all
    seen = {}

    def while_running(progress=None):
        seen["page"] = upload(client, EXPERTS[2:4])
        seen["other worker"] = rescore_jobs.run_due()
        return recompute_all(progress)

    monkeypatch.setattr(suggestions, "recompute_all", while_running)
    rescore_jobs.run_due()
    monkeypatch.undo()
    assert QUEUED in seen["page"] and RUNNING in seen["page"]
    assert "Another rescoring will follow it" in seen["page"]
    assert seen["other worker"] is None
    assert jobs() == [OutboxStatus.SENT, OutboxStatus.PENDING]

    rescore_jobs.run_due()
    assert jobs() == [OutboxStatus.SENT, OutboxStatus.SENT]
    stored = {m.expert_id for m in suggested()}
    suggestions.recompute_all()
    assert stored == {m.expert_id for m in suggested()}  # the later experts are in


@pytest.mark.config(OUTBOX_MAX_ATTEMPTS=2)
def test_a_failing_rescoring_is_retried_then_shown_as_failed(client, admin, monkeypatch):
    upload(client, EXPERTS[:2])

    def broken(progress=None):
        raise RuntimeError("the engine is down")

    monkeypatch.setattr(suggestions, "recompute_all", broken)
    run = rescore_jobs.run_due()
    assert "the engine is down" in run.error
    assert jobs() == [OutboxStatus.PENDING]
    page = client.get("/admin/weights").get_data(as_text=True)
    assert WAITING in page and "Its last attempt failed; it is tried again at" in page
    assert "RuntimeError: the engine is down" in page

    rescore_jobs.run_due()
    assert jobs() == [OutboxStatus.FAILED]
    page = client.get("/admin/imports").get_data(as_text=True)
    assert "Rescoring every open project failed (attempts: 2)" in page
    assert "flask suggestions recompute" in page and "the engine is down" in page
    assert WAITING not in page
    outbox = client.get("/admin/mail?status=failed").get_data(as_text=True)
    assert "Rescoring every open project" in outbox
    assert ExpertProfile.query.count() == 2  # the import stands

    # A later change queues a new job, which the failed one does not hold back.
    monkeypatch.undo()
    assert QUEUED in upload(client, EXPERTS[2:3])
    assert rescore_jobs.run_due().error is None
    assert jobs() == [OutboxStatus.FAILED, OutboxStatus.SENT]


def test_a_rescoring_whose_worker_stopped_is_done_again(client, admin, project):
    upload(client, EXPERTS[:2])
    job = OutboxMessage.query.filter_by(kind=rescore_jobs.KIND).one()
    # A worker took it and was killed: its lease ran out.
    job.status, job.attempts, job.next_attempt_at = OutboxStatus.RUNNING, 1, utcnow()
    db.session.commit()
    assert RUNNING in client.get("/admin/imports").get_data(as_text=True)

    assert rescore_jobs.run_due() is None  # counted as a failed attempt
    assert jobs() == [OutboxStatus.PENDING]
    assert "the worker stopped" in client.get("/admin/imports").get_data(as_text=True)
    assert rescore_jobs.run_due().error is None
    assert jobs() == [OutboxStatus.SENT] and suggested()


def test_the_email_pass_leaves_rescoring_jobs_alone(client, admin):
    upload(client, EXPERTS[:2])
    assert send_pending() == (0, 0)
    assert jobs() == [OutboxStatus.PENDING]


def test_an_admin_reading_arabic_reads_where_rescoring_stands(client, admin):
    upload(client, EXPERTS[:2])
    client.post("/language", data={"lang": "ar"})
    page = client.get("/admin/imports").get_data(as_text=True)
    assert 'dir="rtl"' in page
    assert "إعادة حساب نتائج كل المشاريع المفتوحة تنتظر عامل صندوق الصادر." in page
