"""Audit entries name the object they are about, also when a caller passes a proxy for it
(Flask-Login's `current_user`): "user", never "localproxy"."""

import pytest
from werkzeug.local import LocalProxy

from diaspora.extensions import db
from diaspora.models import Role
from diaspora.services import audit


@pytest.mark.parametrize("kind", ["user", "institution"])
def test_a_proxied_subject_and_actor_are_recorded_as_what_they_stand_for(
    make_user, make_institution, kind
):
    admin = make_user("admin@diaspora.ma", role=Role.ADMIN)
    subject = admin if kind == "user" else make_institution()
    entry = audit.record(LocalProxy(lambda: admin), "test.done", LocalProxy(lambda: subject))
    db.session.commit()
    assert entry.subject_type == kind
    assert entry.subject_id == subject.id and entry.actor_id == admin.id
