"""Counts over whole tables are kept a while in each process (FIGURES_MAX_AGE_SECONDS): the
admins' dashboard and the insights stay fast at national scale, with figures up to that old;
what admins act on (institutions to verify, suggestions to review) is counted on every view."""

import threading
from unittest.mock import patch

import pytest

from diaspora.models import Role
from diaspora.services import dashboards, insights, kept_figures
from diaspora.services.errors import PermissionDenied

pytestmark = pytest.mark.config(FIGURES_MAX_AGE_SECONDS=60)


@pytest.fixture
def clock(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(kept_figures, "monotonic", lambda: now[0])
    return now


def test_accounts_are_counted_again_once_the_figures_are_a_minute_old(app, make_user, clock):
    admin = make_user("admin@example.org", role=Role.ADMIN)

    def experts():
        return dashboards.admin_dashboard(admin).users.get(Role.EXPERT, 0)

    assert experts() == 0
    make_user("salma@example.org")
    assert experts() == 0  # kept
    clock[0] += 61
    assert experts() == 1


def test_institutions_to_verify_are_counted_on_every_view(app, make_user, make_institution, clock):
    admin = make_user("admin@example.org", role=Role.ADMIN)
    assert dashboards.admin_dashboard(admin).pending == 0
    make_institution(verified=False)
    assert dashboards.admin_dashboard(admin).pending == 1


def test_the_insights_are_kept_as_long(app, make_user, clock):
    admin = make_user("admin@example.org", role=Role.ADMIN)
    before = insights.insights_page(admin)
    make_user("salma@example.org")
    assert insights.insights_page(admin) is before
    clock[0] += 61
    assert insights.insights_page(admin) is not before


def test_a_non_admin_is_refused_even_when_the_figures_are_kept(app, make_user, clock):
    admin = make_user("admin@example.org", role=Role.ADMIN)
    dashboards.admin_dashboard(admin)
    insights.insights_page(admin)
    expert = make_user("salma@example.org")
    with pytest.raises(PermissionDenied):
        dashboards.admin_dashboard(expert)
    with pytest.raises(PermissionDenied):
        insights.insights_page(expert)


def test_while_one_thread_counts_afresh_the_others_show_the_last_figures(app, make_user, clock):
    admin = make_user("admin@example.org", role=Role.ADMIN)
    before = insights.insights_page(admin)
    clock[0] += 61
    counting, release = threading.Event(), threading.Event()
    real = insights.funnel

    def slow_funnel():
        counting.set()
        release.wait(10)
        return real()

    def recount():
        with app.app_context():
            insights.insights_page(admin)

    with patch.object(insights, "funnel", slow_funnel):
        other = threading.Thread(target=recount)
        other.start()
        assert counting.wait(10)
        assert insights.insights_page(admin) is before  # not a second count meanwhile
        release.set()
        other.join(10)
    assert insights.insights_page(admin) is not before
