"""Browser tests: the real app served on 127.0.0.1 and driven by Debian's Chromium.

Skipped, with the reason, when Chromium or Playwright is missing (`make test` installs both).
"""

import os
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _missing(reason: str) -> None:
    # On a developer's machine without them, skip; in CI a missing install step is a failure.
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture
def live_server(app):
    """The app on a free local port, in a thread; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(5)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        _missing("Chromium is not installed (make test installs it)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


class Page:
    """A Playwright page that records JavaScript errors and failed console messages."""

    def __init__(self, page, base_url):
        self.page = page
        self.base_url = base_url
        self.errors: list[str] = []
        page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        page.on("console", lambda m: m.type == "error" and self.errors.append(f"console: {m.text}"))

    def goto(self, path):
        response = self.page.goto(self.base_url + path)
        assert response is not None and response.status < 500, (path, response)
        return response

    def axe_violations(self, impacts=("serious", "critical")):
        """Accessibility problems axe-core finds on the current page, at these impacts."""
        if not AXE.exists():
            _missing("axe-core is not installed (make test installs it)")
        # Evaluated through the debugging protocol, not added as a <script>: the site's
        # Content-Security-Policy rightly refuses inline scripts, and must stay on in tests.
        if not self.page.evaluate("typeof axe !== 'undefined'"):
            self.page.evaluate(AXE.read_text(encoding="utf-8"))
        result = self.page.evaluate("async () => (await axe.run()).violations")
        return [v for v in result if v["impact"] in impacts]

    def check(self, lang: str) -> None:
        """What every page of a journey must hold: no JavaScript error so far, no serious
        accessibility problem, and the reader's language and direction on <html>."""
        assert self.errors == [], self.errors
        html = self.page.locator("html")
        assert html.get_attribute("lang") == lang, self.page.url
        assert html.get_attribute("dir") == ("rtl" if lang == "ar" else "ltr"), self.page.url
        violations = self.axe_violations()
        assert violations == [], (
            self.page.url,
            [
                (v["id"], v["help"], [(n["html"][:120], n["failureSummary"]) for n in v["nodes"]])
                for v in violations
            ],
        )


@pytest.fixture
def open_page(browser, live_server):
    """open_page(locale="ar", javascript=False, phone=True) -> Page in a fresh browser context
    (its own cookies), closed at the end of the test."""
    contexts = []

    def open_(locale="fr", javascript=True, phone=False):
        viewport = {"width": 390, "height": 844} if phone else {"width": 1280, "height": 900}
        context = browser.new_context(
            locale=locale, viewport=viewport, java_script_enabled=javascript
        )
        # A journey step that fails should say so in seconds, not after Playwright's 30.
        context.set_default_timeout(10_000)
        contexts.append(context)
        return Page(context.new_page(), live_server)

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 844})
    wrapped = Page(context.new_page(), live_server)
    yield wrapped
    context.close()


@pytest.fixture
def make_fitting_experts(make_user):
    """make_fitting_experts(names, locale="fr") -> ExpertProfile rows that a health project
    asking for computer vision and machine learning, in French, remote or hybrid, will find:
    consenting, recently confirmed, skills placed in the taxonomy. Levels fall by one per name,
    so the engine ranks them in the order given."""
    from datetime import timedelta

    from diaspora.extensions import db
    from diaspora.models import ExpertLanguage, ExpertProfile, ExpertSkill
    from diaspora.models.base import utcnow
    from diaspora.taxonomy import get_taxonomy

    def make(names, locale="fr"):
        taxonomy = get_taxonomy()
        profiles = []
        for n, name in enumerate(names, start=1):
            user = make_user(f"expert{n}@example.org", name=name, locale=locale)
            profile = ExpertProfile(
                user=user,
                ref=f"E-{n:06d}",
                country="FR",
                city="Paris",
                timezone="Europe/Paris",
                modes=["remote", "short_mission"],
                sectors=["health"],
                hours_per_month=10,
                headline="Computer vision researcher",
                linkedin=f"https://www.linkedin.com/in/expert{n}",
                consent_matching=True,
                confirmed_at=utcnow() - timedelta(days=1),
            )
            profile.languages = [
                ExpertLanguage(code="fr", level="C1"),
                ExpertLanguage(code="ar", level="native"),
            ]
            profile.skills = [
                ExpertSkill(
                    name=skill, level=max(1, 6 - n), concept_id=taxonomy.normalise(skill).concept_id
                )
                for skill in ("computer vision", "machine learning", "Python")
            ]
            db.session.add(profile)
            profiles.append(profile)
        db.session.commit()
        return profiles

    return make


@pytest.fixture
def institution_with_project(make_user, make_institution):
    """institution_with_project(skills, seats) -> (admin, member, project): an admin and a
    member of a verified institution, both reading French, and the institution's published
    health project asking for `skills` (level 2, required, placed in the taxonomy)."""
    from diaspora.extensions import db
    from diaspora.models import Project, ProjectSkill, Role
    from diaspora.models.base import utcnow
    from diaspora.taxonomy import get_taxonomy

    def make(skills, seats):
        admin = make_user("admin@diaspora.ma", role=Role.ADMIN, name="Amina Admin", locale="fr")
        institution = make_institution()
        member = make_user(
            "nadia@sante.gov.ma",
            role=Role.INSTITUTION,
            institution=institution,
            name="Nadia Berrada",
            locale="fr",
        )
        taxonomy = get_taxonomy()
        project = Project(
            ref="P-0001",
            institution=institution,
            title="Rétinopathie diabétique",
            description="Dépister la rétinopathie sur les images de fond d'œil.",
            sector="health",
            mode="remote",
            languages=["fr"],
            hours_per_month=8,
            seats=seats,
            status="published",
            published_at=utcnow(),
        )
        project.skills = [
            ProjectSkill(
                name=name, level=2, required=True, concept_id=taxonomy.normalise(name).concept_id
            )
            for name in skills
        ]
        db.session.add(project)
        db.session.commit()
        return admin, member, project

    return make
