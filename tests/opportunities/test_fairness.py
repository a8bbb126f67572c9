"""The fairness monitor on a small world: each group's share of suggestions and invitations
against its share of the experts qualified (by the hard constraints) for the same projects."""

from datetime import datetime

import pytest

from diaspora.extensions import db
from diaspora.models import Match, MatchStatus, Role
from diaspora.services import exposure, match_index
from tests.opportunities.test_interest import as_user

pytestmark = pytest.mark.config(MATCH_USE_TEXT=False)

NOW = datetime(2026, 11, 20, 12)
EARLIER = datetime(2026, 9, 3, 12)


@pytest.fixture
def small_world(make_institution, make_expert, make_project):
    institution = make_institution()
    vision = make_project(institution, "Vision")
    dubai = make_expert("dubai@example.org")  # AE, years not given
    paris = make_expert("paris@example.org")
    lyon = make_expert("lyon@example.org")
    refuses = make_expert("refuses@example.org", consent=False)  # not qualified
    for profile, country, years in (
        (paris, "FR", 12),
        (lyon, "FR", 3),
        (refuses, "FR", 25),
    ):
        profile.country, profile.years_experience = country, years
    db.session.add_all(
        [
            Match(project=vision, expert=dubai, created_at=NOW),
            Match(
                project=vision,
                expert=paris,
                created_at=NOW,
                status=MatchStatus.INVITED,
                invited_at=NOW,
            ),
            Match(project=vision, expert=lyon, created_at=EARLIER),
        ]
    )
    db.session.commit()
    match_index.forget_index()


def by(rows, month, dimension):
    return {r.group: r for r in rows if r.month == month and r.dimension == dimension}


def test_shares_and_ratios_by_country_and_experience(small_world):
    rows = exposure.fairness(NOW.date())
    november = by(rows, "2026-11", "country")
    assert set(november) == {"AE", "FR"}
    # Qualified for Vision: Dubai (AE), Paris and Lyon (FR); not the one who refused matching.
    assert november["FR"].qualified == 2 and november["AE"].qualified == 1
    assert november["FR"].qualified_share == pytest.approx(2 / 3)
    assert november["AE"].suggestions == 1 and november["FR"].suggestions == 1
    assert november["AE"].suggestion_ratio == pytest.approx(0.5 / (1 / 3))
    assert november["FR"].invitations == 1 and november["FR"].invitation_ratio == pytest.approx(
        1 / (2 / 3)
    )
    assert november["AE"].invitation_ratio == 0

    experience = by(rows, "2026-11", "experience")
    assert set(experience) == {"", "0-4", "10-19"}  # the expert of 25 years is not qualified
    assert experience["10-19"].invitations == 1 and experience["0-4"].suggestions == 0

    september = by(rows, "2026-09", "country")
    assert september["FR"].suggestions == 1 and september["FR"].suggestion_share == 1
    assert "2025-11" not in {r.month for r in rows}  # twelve months, this one included


def test_experience_brackets():
    assert [exposure.experience_bracket(y) for y in (None, 0, 4, 5, 19, 20, 40)] == [
        "",
        "0-4",
        "0-4",
        "5-9",
        "10-19",
        "20+",
        "20+",
    ]


def test_the_exposure_page_shows_the_monitor(client, small_world, make_user, monkeypatch):
    monkeypatch.setattr(exposure.match_states, "now", lambda: NOW)
    admin = make_user("admin@diaspora.ma", role=Role.ADMIN)
    html = as_user(client, admin).get("/admin/exposure").get_data(as_text=True)
    assert "Fairness monitor" in html and "2026-11" in html and "10-19" in html
    assert "France" in html  # country names, not codes
