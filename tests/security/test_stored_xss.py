"""A name typed as `<script>alert(1)</script>` (an expert's, a project's, an institution's) is
shown as that text everywhere it appears, pages and emails alike, never run as a script."""

import pytest

from diaspora.services import invitations
from tests.security.conftest import ESCAPED, XSS, log_in


def assert_shown_as_text(html: str, where: str):
    assert XSS not in html, f"unescaped in {where}"
    assert ESCAPED in html, f"not shown in {where}"


@pytest.mark.parametrize(
    "role, pages",
    [
        (
            "expert",
            ["/expert/profile", "/dashboard", "/matches/invitations", "/matches/{invitation}"],
        ),
        (
            "member",
            [
                "/expert/profiles/E-000001",
                "/matches/pipeline",
                "/matches/projects/{project}/pipeline",
                "/matches/{invitation}",
                "/projects/",
                "/projects/{project}",
                "/projects/institutions/{institution}",
            ],
        ),
        (
            "admin",
            [
                "/expert/profiles/E-000001",
                "/matches/review",
                "/matches/review/projects/{project}/add?q=salma",
                "/matches/{suggestion}",
                "/matches/projects/{project}/pipeline",
                "/admin/institutions",
                "/admin/audit",
                "/projects/{project}",
            ],
        ),
    ],
)
def test_names_with_script_tags_are_escaped_on_every_page_that_shows_them(
    client, site, role, pages
):
    ids = {
        "project": site.project.id,
        "institution": site.institution.id,
        "invitation": site.invitation.id,
        "suggestion": site.suggestion.id,
    }
    for page in pages:
        url = page.format(**ids)
        log_in(client, site.users[role])
        response = client.get(url)
        assert response.status_code == 200, url
        assert_shown_as_text(response.get_data(as_text=True), f"{url} as {role}")


def test_the_invitation_link_page_escapes_them_for_a_guest(client, site):
    assert_shown_as_text(
        client.get(site.invitation_path).get_data(as_text=True), "the invitation link page"
    )


def test_emails_html_parts_escape_them(site, outbox):
    invitations.answer(site.invited.user, site.invitation.id, True)
    for kind in ("invitation", "invitation_accepted"):
        messages = outbox(kind=kind)
        assert messages, kind
        for message in messages:
            assert_shown_as_text(message.body_html, f"the {kind} email")


def test_the_admins_outbox_shows_an_email_as_text(client, site, outbox):
    log_in(client, site.admin)
    message = outbox(kind="invitation")[0]
    page = client.get(f"/admin/mail/{message.id}").get_data(as_text=True)
    assert_shown_as_text(page, "the outbox page")
