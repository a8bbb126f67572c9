"""The admin lists page by 50: a full page links to the next, a later page back, and the links
keep the filters."""

import re

from diaspora.extensions import db
from diaspora.models import AuditEntry, Role


def test_the_audit_log_pages_keep_their_filters(client, auth, make_user):
    admin = make_user("admin@diaspora.example", role=Role.ADMIN)
    db.session.add_all(
        AuditEntry(action="institution.verified", subject_type="institution", subject_id=n,
                   actor_id=admin.id, details={})
        for n in range(51)
    )  # fmt: skip
    db.session.commit()
    auth.login(admin.email)
    first = client.get("/admin/audit?action=institution.").get_data(as_text=True)
    links = dict((label, href) for href, label in re.findall(r'href="([^"]+)">(\w+ page)<', first))
    assert set(links) == {"Next page"}
    assert "action=institution." in links["Next page"] and "page=2" in links["Next page"]
    second = client.get(links["Next page"].replace("&amp;", "&")).get_data(as_text=True)
    labels = re.findall(r'href="[^"]+">(\w+ page)<', second)
    assert labels == ["Previous page"]
