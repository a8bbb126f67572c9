"""Every page of the app, as every role, holds what the Content-Security-Policy promises: no
inline script, no inline event handler, no style attribute, no javascript: link, nothing from
another site; and every form that posts carries a CSRF token. The routes come from the URL map
at run time, so new pages are checked as they arrive.

The site's names are all `<script>alert(1)</script>`: a name printed unescaped anywhere would
show up here as an inline script."""

import pytest

from tests.security.conftest import audit_page, log_in, urls_for

ROLES = ["guest", "expert", "member", "admin"]
NOT_PAGES = {"static", "api.skills"}  # files and JSON: no HTML to audit


def crawl(app, client, site, role):
    """(url, response) for every GET route filled with the site's ids, as this role."""
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in NOT_PAGES:
            continue
        for url in urls_for(app, site, rule):
            log_in(client, site.users[role])  # a page such as a token link may log out
            yield url, client.get(url)


@pytest.mark.parametrize("role", ROLES)
def test_no_page_has_inline_script_inline_style_or_javascript_links(app, client, site, role):
    problems, pages_shown = [], 0
    for url, response in crawl(app, client, site, role):
        if response.mimetype != "text/html":
            continue
        pages_shown += response.status_code == 200
        problems += [f"{url}: {p}" for p in audit_page(response.get_data(as_text=True)).problems]
    assert problems == []
    assert pages_shown >= {"guest": 8, "expert": 12, "member": 12, "admin": 20}[role]


@pytest.mark.config(WTF_CSRF_ENABLED=True)  # off in testing, and then forms print no token
@pytest.mark.parametrize("role", ROLES)
def test_every_form_that_posts_carries_a_csrf_token(app, client, site, role):
    missing, forms_seen = [], 0
    for url, response in crawl(app, client, site, role):
        if response.mimetype != "text/html":
            continue
        for form in audit_page(response.get_data(as_text=True)).post_forms:
            forms_seen += 1
            if not form["csrf"]:
                missing.append(f"{url}: form posting to {form['action'] or url}")
    assert missing == []
    assert forms_seen > 0


def test_the_auditor_sees_what_a_strict_policy_would_block():
    html = """<form method="post" action="/x"><input name="q"></form>
              <script>alert(1)</script><script src="https://cdn.example/x.js"></script>
              <a href=" JavaScript:go()" onclick="go()">x</a><p style="color: red">y</p>
              <style>p {}</style>"""
    audit = audit_page(html)
    assert len(audit.problems) == 7
    assert [f["csrf"] for f in audit.post_forms] == [False]
