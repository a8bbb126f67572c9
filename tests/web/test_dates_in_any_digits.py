"""A date is typed in the digits of any script, as numbers are: "٢٠٢٧-٠١-١٥" is 15 January
2027 in every date box (a project's start, a stay in Morocco, the availability of a profile, a
collaboration's start) and date filter (the audit log; the expert search reads them too), as
"١٢" is 12 hours. They were refused as "Not a valid date value" while the numbers beside them
were read. A date no calendar has is refused with the box's own message."""

from datetime import date, timedelta

import pytest
from werkzeug.datastructures import MultiDict
from wtforms import Form

from diaspora.extensions import db
from diaspora.forms_support import DayField
from diaspora.models import AuditEntry, Collaboration, ExpertProfile, OnSiteWindow, Project
from diaspora.rules import dates
from tests.experts.conftest import profile_form
from tests.odd_values import ODD_DATES, OTHER_SCRIPT_ZEROS, written_in
from tests.projects.test_project_pages import project_form
from tests.security.conftest import log_in

ARABIC = OTHER_SCRIPT_ZEROS["Arabic-Indic"]


@pytest.mark.parametrize("zero", list(OTHER_SCRIPT_ZEROS.values()), ids=list(OTHER_SCRIPT_ZEROS))
def test_a_day_reads_in_the_digits_of_any_script(zero):
    assert dates.typed_day(f" {written_in(zero, '2027-01-15')} ") == date(2027, 1, 15)


class DayForm(Form):
    day = DayField()


@pytest.mark.parametrize("typed", list(ODD_DATES.values()), ids=list(ODD_DATES))
def test_a_day_no_calendar_has_gets_the_boxs_message(typed):
    form = DayForm(MultiDict({"day": typed}))
    assert not form.validate()
    assert form.day.data is None
    assert form.day.errors == ["Enter a date as YYYY-MM-DD, such as 2027-01-15."]


def test_every_date_box_and_filter_reads_arabic_indic_digits(client, every_role):
    w = every_role
    soon = date.today() + timedelta(days=70)  # after the stay the world has
    typed = written_in(ARABIC, soon.isoformat())

    log_in(client, w.users["member"])
    assert client.post("/projects/new", data=project_form(starts_on=typed)).status_code == 302
    assert db.session.scalar(db.select(Project.starts_on).order_by(Project.id.desc())) == soon
    today = written_in(ARABIC, date.today().isoformat())
    start = client.post(f"/collaborations/{w.collaboration.id}/start", data={"started_on": today})
    assert start.status_code == 302
    db.session.expire_all()
    assert db.session.get(Collaboration, w.collaboration.id).started_on == date.today()

    log_in(client, w.users["expert"])
    stay = {"new-starts_on": typed, "new-ends_on": typed, "new-city": "Fès"}
    assert client.post("/expert/profile/stays", data=stay).status_code == 302
    assert db.session.scalar(db.select(OnSiteWindow).where(OnSiteWindow.starts_on == soon))
    profile = profile_form(available_from=typed)
    assert client.post("/expert/profile/edit", data=profile).status_code == 302
    db.session.expire_all()
    assert db.session.get(ExpertProfile, w.profile.id).available_from == soon

    log_in(client, w.users["admin"])
    entry_day = written_in(ARABIC, w.entry.created_at.date().isoformat())
    page = client.get("/admin/audit", query_string={"since": entry_day, "until": entry_day})
    assert "not a date" not in page.get_data(as_text=True)
    assert db.session.get(AuditEntry, w.entry.id).action in page.get_data(as_text=True)
