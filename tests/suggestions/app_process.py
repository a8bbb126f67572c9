"""An application process of its own, for tests that need several: a second gunicorn worker,
or a server on another machine, sharing the test's database.

Spawned, not forked, so that it shares nothing with the test's process but the database. Each
command runs in an application context of its own, as a request does.
"""

from __future__ import annotations

import multiprocessing
from typing import Any

# A guard against a child that died or hangs, not a measure of speed: building the taxonomy
# and the index on a loaded machine takes a while.
ANSWER_WITHIN_SECONDS = 600


def _index() -> tuple[int, int]:
    from diaspora.services import match_index

    index = match_index.current_index()
    return id(index), len(index)


def _save_profile(user_id: int, fields: dict) -> None:
    from diaspora.extensions import db
    from diaspora.models import User
    from diaspora.services import experts

    experts.update_profile(db.session.get(User, user_id), experts.ProfileInput(**fields))


def _erase(user_id: int, password: str) -> None:
    from diaspora.extensions import db
    from diaspora.models import User
    from diaspora.services import personal_data

    personal_data.erase_account(db.session.get(User, user_id), password)


def _publish(member_id: int, project_id: int) -> list[int]:
    """Publish as the member; the experts of the stored suggestions, best first."""
    from diaspora.extensions import db
    from diaspora.models import Match, User
    from diaspora.services import projects

    projects.publish(db.session.get(User, member_id), project_id)
    query = db.select(Match.expert_id).filter_by(project_id=project_id).order_by(Match.rank)
    return list(db.session.scalars(query))


def _rank(project_id: int, k: int) -> list[int]:
    from diaspora.extensions import db
    from diaspora.models import Project
    from diaspora.services import suggestions

    return [s.candidate_id for s in suggestions.rank(db.session.get(Project, project_id), k)]


COMMANDS = {
    "index": _index,
    "save_profile": _save_profile,
    "erase": _erase,
    "publish": _publish,
    "rank": _rank,
}


def _serve(url: str, conn) -> None:
    from diaspora import create_app
    from diaspora.extensions import db

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url, MATCH_USE_TEXT=False)
    while True:
        command, args = conn.recv()
        if command == "stop":
            break
        with app.app_context():
            try:
                conn.send(("ok", COMMANDS[command](*args)))
            except Exception as error:  # reported to the test, which fails with it
                conn.send(("error", f"{type(error).__name__}: {error}"))
            finally:
                db.session.remove()
    with app.app_context():
        db.engine.dispose()


class AppProcess:
    """`process("publish", member_id, project_id)` runs that command in the other process."""

    def __init__(self, database_url: str) -> None:
        context = multiprocessing.get_context("spawn")
        self._conn, theirs = context.Pipe()
        self._process = context.Process(target=_serve, args=(database_url, theirs), daemon=True)
        self._process.start()

    def __call__(self, command: str, *args) -> Any:
        self._conn.send((command, args))
        if not self._conn.poll(ANSWER_WITHIN_SECONDS):
            raise AssertionError(f"{command}: no answer from the other process")
        status, value = self._conn.recv()
        if status != "ok":
            raise AssertionError(f"{command} failed in the other process: {value}")
        return value

    def stop(self) -> None:
        if self._process.is_alive():
            self._conn.send(("stop", ()))
            self._process.join(ANSWER_WITHIN_SECONDS)
        if self._process.is_alive():
            self._process.kill()
