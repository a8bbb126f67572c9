"""Hours committed to accepted work, stays in Morocco as matching reads them, and the
allocation proposal an admin applies to the review queue."""

from dataclasses import replace
from datetime import date, timedelta

import pytest

from diaspora.extensions import db
from diaspora.interchange.encoding import project_to_dict
from diaspora.models import AuditEntry, Match, OnSiteWindow, ProjectStatus
from diaspora.models.base import utcnow
from diaspora.services import allocation, on_site, projects, records, reviews
from diaspora.services.commitments import committed_hours, seats_filled
from diaspora.services.engine_inputs import expert_candidates
from tests.statements import counted_statements

pytestmark = pytest.mark.config(MATCH_USE_TEXT=False)


def test_accepted_invitations_commit_hours_and_seats_until_the_project_closes(world, make_match):
    world.expert.hours_per_month = 10
    make_match(world.project, world.expert, status="accepted")
    assert committed_hours([world.expert.id, world.other_expert.id]) == {world.expert.id: 8.0}
    assert seats_filled([world.project.id]) == {world.project.id: 1}
    [candidate] = expert_candidates([world.expert.id])
    assert candidate.committed_hours == 8.0 and candidate.remaining_hours() == 2.0
    world.project.status = ProjectStatus.CLOSED
    db.session.commit()
    assert committed_hours([world.expert.id]) == {}


def test_stays_that_are_over_are_neither_matched_nor_shown(world, auth, client):
    today = utcnow().date()
    db.session.add_all(
        [
            OnSiteWindow(
                expert=world.expert,
                starts_on=today - timedelta(days=40),
                ends_on=today - timedelta(days=10),
                city="Oujda",
            ),
            OnSiteWindow(
                expert=world.expert,
                starts_on=today + timedelta(days=10),
                ends_on=today + timedelta(days=20),
                city="Fès",
            ),
        ]
    )
    db.session.commit()
    [candidate] = expert_candidates([world.expert.id])
    assert [w.city for w in candidate.on_site] == ["Fès"]
    assert candidate.on_site[0].latitude == pytest.approx(34.033)
    assert [w.city for w in on_site.upcoming(world.expert)] == ["Fès"]
    auth.login("salma@example.org")
    page = client.get("/expert/profile").get_data(as_text=True)
    assert "Fès" in page and "Oujda" not in page


@pytest.mark.parametrize(
    ("locale", "shown", "offered", "not_offered"),
    [("fr", "Fès", "Casablanca", "الدار البيضاء"), ("ar", "فاس", "الدار البيضاء", "Casablanca")],
)
def test_moroccan_cities_are_written_in_the_readers_language(
    world, auth, client, locale, shown, offered, not_offered
):
    start = utcnow().date() + timedelta(days=10)
    stay = OnSiteWindow(expert=world.expert, starts_on=start, ends_on=start, city="Fès")
    db.session.add(stay)
    world.expert.user.locale = locale
    db.session.commit()
    auth.login("salma@example.org")
    stays = client.get("/expert/profile/stays").get_data(as_text=True)
    assert f'<option selected value="Fès">{shown}</option>' in stays  # the choice keeps its key
    assert f">{offered}</option>" in stays and f">{not_offered}</option>" not in stays
    assert f"{shown}: " in client.get("/expert/profile").get_data(as_text=True)


def test_experts_living_in_morocco_are_there_all_the_time(world):
    world.expert.country, world.expert.city = "MA", "Marrakesh"
    db.session.commit()
    [candidate] = expert_candidates([world.expert.id])
    [always] = candidate.on_site
    assert (always.start, always.end, always.city) == (date.min, date.max, "Marrakech")


def test_an_expert_adds_changes_and_removes_a_stay(world, auth, client):
    auth.login("salma@example.org")
    first = utcnow().date() + timedelta(days=30)
    form = {
        "new-starts_on": first.isoformat(),
        "new-ends_on": (first + timedelta(days=14)).isoformat(),
        "new-city": "Agadir",
    }
    assert client.post("/expert/profile/stays", data=form).status_code == 302
    [stay] = on_site.upcoming(world.expert)
    assert (stay.city, stay.ends_on - stay.starts_on) == ("Agadir", timedelta(days=14))
    assert "Agadir" in client.get("/expert/profile/stays").get_data(as_text=True)
    changed = {
        f"w{stay.id}-starts_on": first.isoformat(),
        f"w{stay.id}-ends_on": first.isoformat(),
        f"w{stay.id}-city": "Tanger",
    }
    assert client.post(f"/expert/profile/stays/{stay.id}", data=changed).status_code == 302
    db.session.refresh(stay)
    assert (stay.city, stay.ends_on) == ("Tanger", first)
    actions = db.session.scalars(db.select(AuditEntry.action)).all()
    assert {"expert.window_added", "expert.window_changed"} <= set(actions)
    assert client.post(f"/expert/profile/stays/{stay.id}/delete").status_code == 302
    assert on_site.upcoming(world.expert) == []


@pytest.mark.parametrize(
    ("days", "city", "message"),
    [
        ((10, 5), "Rabat", "The last day comes before the first."),
        ((-20, -5), "Rabat", "This stay is over."),
        ((10, 500), "Rabat", "A stay lasts at most a year."),
        ((10, 15), "Atlantis", "Choose a city from the list."),
    ],
)
def test_a_wrong_stay_is_refused_with_a_reason_and_nothing_saved(
    world, auth, client, days, city, message
):
    auth.login("salma@example.org")
    today = utcnow().date()
    form = {
        "new-starts_on": (today + timedelta(days=days[0])).isoformat(),
        "new-ends_on": (today + timedelta(days=days[1])).isoformat(),
        "new-city": city,
    }
    response = client.post("/expert/profile/stays", data=form)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(OnSiteWindow.id))) == 0


def test_allocation_counts_filled_seats_and_committed_hours(
    world, make_expert, make_project, make_match
):
    # Two seats, one already accepted: one expert at most is proposed.
    project = world.project
    make_match(project, world.expert, status="accepted")
    busy = make_expert("busy@example.org", name="Busy")
    free = make_expert("free@example.org", name="Free")
    busy.hours_per_month, free.hours_per_month = 10, 10
    other = make_project(world.institution, title="Other", seats=1)
    make_match(other, busy, status="accepted")  # 8 of busy's 10 hours: 2 left
    make_match(project, busy, score=0.9)
    make_match(project, free, score=0.6)
    make_match(project, world.other_expert, score=0.5)
    proposal = allocation.propose_allocation()
    assert proposal["filled"][project.id] == 1 and proposal["open_seats"][project.id] == 1
    assert [c for c, _ in proposal["assignments"][project.id]] == [free.id]
    assert proposal["open_seats"][other.id] == 0 and proposal["assignments"][other.id] == []


def test_applying_the_allocation_puts_its_pairs_first_in_the_queue(
    world, make_expert, make_project, make_match, auth, client
):
    # Karim is the best for both projects but has hours for one: the proposal sends him to
    # the second and Salma to the first, ahead of Karim's higher score there.
    first, second = world.project, make_project(world.institution, title="Second", seats=1)
    first.seats = 1
    world.other_expert.hours_per_month = 8
    karim, salma, third = world.other_expert, world.expert, make_expert("z@example.org")
    make_match(first, karim, score=0.9)
    make_match(first, salma, score=0.8)
    make_match(second, karim, score=0.95)
    make_match(second, third, score=0.1)
    auth.login("admin@diaspora.ma")
    response = client.post("/admin/allocation/apply")
    assert response.status_code == 302 and "/review" in response.headers["Location"]
    group = next(g for g in reviews.queue(world.admin).groups if g.project.id == first.id)
    assert [m.expert_id for m in group.suggestions] == [salma.id, karim.id]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Proposed by the allocation" in page
    [entry] = db.session.scalars(
        db.select(AuditEntry).where(AuditEntry.action == "allocation.applied")
    ).all()
    assert entry.details["pairs"] == 2 and entry.actor_id == world.admin.id
    marked = dict(db.session.execute(db.select(Match.id, Match.prioritised_at)).all())
    # Applying again changes nothing in the queue.
    assert allocation.apply_allocation(world.admin) == 2
    db.session.expire_all()
    assert dict(db.session.execute(db.select(Match.id, Match.prioritised_at)).all()) == marked
    # Each pair is still reviewed by a person: nothing was approved.
    assert {m.status for m in db.session.scalars(db.select(Match))} == {"suggested"}


def test_a_project_may_accept_a_later_start_which_exports_leave_out(world, make_project):
    draft = make_project(world.institution, status="draft")
    info = replace(projects.info_of(draft), flexible_start=True)
    projects.update(world.member, draft.id, info)
    db.session.refresh(draft)
    assert draft.flexible_start is True
    exported = project_to_dict(records.project_record(draft))
    assert "flexible_start" not in exported and exported["ref"] == draft.ref
    # A change that does not mention it (an import, an old API client) leaves it as it is.
    projects.update(world.member, draft.id, replace(info, title="Renamed", flexible_start=None))
    db.session.refresh(draft)
    assert (draft.title, draft.flexible_start) == ("Renamed", True)


def test_applying_a_changed_allocation_moves_the_marks_in_two_statements(
    world, make_expert, make_project, make_match
):
    projects_ = [world.project] + [
        make_project(world.institution, title=f"P{i}", seats=1) for i in range(3)
    ]
    world.project.seats = 1
    pairs = []
    for i, project in enumerate(projects_):
        first = make_match(project, make_expert(f"a{i}@example.org"), score=0.9)
        second = make_match(project, make_expert(f"b{i}@example.org"), score=0.5)
        pairs.append((first, second))
    allocation.apply_allocation(world.admin)
    for first, _second in pairs:
        first.score = 0.1  # each project now prefers its second expert
    db.session.commit()
    with counted_statements() as statements:
        assert allocation.apply_allocation(world.admin) == 4
    updates = [s for s in statements if s.lstrip().upper().startswith("UPDATE MATCHES")]
    assert len(updates) == 2
    db.session.expire_all()
    marked = set(db.session.scalars(db.select(Match.id).where(Match.prioritised_at.is_not(None))))
    assert marked == {second.id for _first, second in pairs}


def test_overlapping_stays_are_refused_when_added_or_changed(world, auth, client):
    auth.login("salma@example.org")
    day = utcnow().date() + timedelta(days=30)

    def stay(prefix, first, last, city="Rabat"):
        return {
            f"{prefix}-starts_on": (day + timedelta(days=first)).isoformat(),
            f"{prefix}-ends_on": (day + timedelta(days=last)).isoformat(),
            f"{prefix}-city": city,
        }

    assert client.post("/expert/profile/stays", data=stay("new", 0, 14)).status_code == 302
    overlapping = client.post("/expert/profile/stays", data=stay("new", 10, 20, "Fès"))
    assert overlapping.status_code == 422
    assert "overlap your stay in Rabat" in overlapping.get_data(as_text=True)
    # The day after the last one is free.
    assert client.post("/expert/profile/stays", data=stay("new", 15, 20)).status_code == 302
    first, second = on_site.upcoming(world.expert)
    moved = client.post(f"/expert/profile/stays/{second.id}", data=stay(f"w{second.id}", 14, 20))
    assert moved.status_code == 422 and "overlap your stay in Rabat" in moved.get_data(as_text=True)
    db.session.expire_all()
    assert [(w.starts_on, w.ends_on) for w in on_site.upcoming(world.expert)] == [
        (day, day + timedelta(days=14)),
        (day + timedelta(days=15), day + timedelta(days=20)),
    ]
    # A stay may be changed within its own dates.
    same = stay(f"w{first.id}", 1, 14, "Kénitra")
    assert client.post(f"/expert/profile/stays/{first.id}", data=same).status_code == 302
