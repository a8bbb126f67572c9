"""With the database unreachable, every visitor gets a page that needs no database: a 503 with
Retry-After, in their language (Arabic right to left), JSON for API clients, the security
headers kept; and the site recovers alone when the database is back. Before, signed-in users
got the server's bare "Internal Server Error": the error page itself asked the database who
they were."""

import pytest
from sqlalchemy import event

from diaspora import create_app
from diaspora.errors import RETRY_AFTER_SECONDS
from diaspora.extensions import db
from diaspora.models import Role
from tests.conftest import IsolatedClient

# As in production: an error inside an error handler becomes a response, not a test failure.
pytestmark = pytest.mark.config(PROPAGATE_EXCEPTIONS=False)


@pytest.fixture
def outage(app):
    """`outage.start()` refuses every new connection, as a stopped PostgreSQL does (the pool is
    emptied, so nothing already open hides it); `outage.end()` lets them through again."""
    engine = db.engine

    def refuse(dialect, connection_record, cargs, cparams):
        raise dialect.loaded_dbapi.OperationalError("connection refused (the test stopped it)")

    class Outage:
        def start(self):
            engine.dispose()
            event.listen(engine, "do_connect", refuse)

        def end(self):
            event.remove(engine, "do_connect", refuse)

    yield Outage()
    if event.contains(engine, "do_connect", refuse):
        event.remove(engine, "do_connect", refuse)


@pytest.fixture
def expert_client(client, auth, make_user):
    make_user("salma@example.org", role=Role.EXPERT, name="Salma Bennani")
    auth.login("salma@example.org")
    return client


def assert_unavailable(response, lang="en"):
    assert response.status_code == 503
    assert response.headers["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert response.headers["Cache-Control"] == "no-store"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    page = response.get_data(as_text=True)
    assert f'<html lang="{lang}" dir="{"rtl" if lang == "ar" else "ltr"}">' in page
    assert "Internal Server Error" not in page
    return page


def test_signed_in_visitors_get_the_503_page_and_stay_signed_in(expert_client, outage):
    outage.start()
    for method, path in [
        ("GET", "/dashboard"),
        ("GET", "/expert/profile"),
        ("GET", "/no-such-page"),
        ("POST", "/expert/profile/edit"),
    ]:
        page = assert_unavailable(expert_client.open(path, method=method))
        assert "cannot reach its database" in page

    outage.end()
    response = expert_client.get("/dashboard")
    assert response.status_code == 200 and "Salma Bennani" in response.get_data(as_text=True)


def test_guests_see_pages_that_need_no_database_and_the_503_page_otherwise(client, outage):
    outage.start()
    assert client.get("/").status_code == 200
    data = {"email": "salma@example.org", "password": "correct horse battery"}
    assert_unavailable(client.post("/auth/login", data=data))


def test_the_503_page_is_in_the_visitors_language_right_to_left_in_arabic(expert_client, outage):
    outage.start()
    expert_client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "ar"
    page = assert_unavailable(expert_client.get("/dashboard"), lang="ar")
    assert "يتعذّر على المنصة الوصول إلى قاعدة بياناتها" in page
    assert "bootstrap.rtl.min.css" in page

    with expert_client.session_transaction() as session:
        session["lang"] = "fr"  # chosen on the site: stronger than the browser's
    page = assert_unavailable(expert_client.get("/dashboard"), lang="fr")
    assert "La plateforme ne parvient pas à joindre sa base de données" in page


def test_api_clients_get_json(expert_client, outage):
    outage.start()
    response = expert_client.get("/dashboard", headers={"Accept": "application/json"})
    assert response.status_code == 503 and response.headers["Retry-After"]
    assert response.get_json()["status"] == 503


def test_a_database_address_that_answers_nothing_gives_the_503_page(app, expert_client, tmp_path):
    nowhere = (
        "postgresql+psycopg://postgres@127.0.0.1:1/closed"  # nothing listens on port 1
        if db.engine.dialect.name == "postgresql"
        else f"sqlite:///{tmp_path / 'missing-directory' / 'db.sqlite'}"
    )
    broken = create_app("testing", SQLALCHEMY_DATABASE_URI=nowhere, PROPAGATE_EXCEPTIONS=False)
    broken.test_client_class = IsolatedClient
    visitor = broken.test_client()
    visitor.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    visitor.set_cookie("session", expert_client.get_cookie("session").value)

    assert_unavailable(visitor.get("/dashboard"))
