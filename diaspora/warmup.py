"""Preparing a process before it serves, so that no request pays for a first use.

With `gunicorn --preload` (diaspora.gunicorn_config) this runs once in the master, and the
workers forked from it inherit what it built; each worker then opens its own database
connections, never the master's.
"""

from __future__ import annotations

import contextlib
import gc
import logging

from babel import Locale
from flask import Flask
from flask_babel import force_locale, get_translations
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from diaspora.extensions import db

log = logging.getLogger(__name__)


def warm(app: Flask) -> None:
    """Build now what requests would otherwise build on first use: the taxonomy, its
    embeddings and the sentence encoder, the CV skill spotter, the matching index, every
    template, the translations and each language's calendar data. Then close the database
    connections this opened: a pooled connection left here would be shared by every worker
    forked from this process, their queries interleaved on one socket. Last, freeze what was
    built (`gc.freeze`): the garbage collector of each forked worker then never walks those
    objects, which would write to their pages and so copy the shared index into every worker."""
    from diaspora.cv import spotting
    from diaspora.services import match_index, operations
    from diaspora.taxonomy import get_taxonomy

    with app.app_context():
        try:
            taxonomy = get_taxonomy()
            taxonomy.warm()
            if taxonomy.encoder is not None:
                # The sentence encoder reads its model on its first call (seconds), else the
                # first profile or project saved in each worker would wait for it.
                taxonomy.encoder.encode(["warm-up"])
            spotting.for_taxonomy(taxonomy).spot("warm-up: Python")  # the first CV read
            try:
                match_index.current_index()
            except SQLAlchemyError as error:  # each worker builds it when the database is back
                log.warning("warm-up: no matching index, the database does not answer: %s", error)
            operations.migration_heads()  # /readyz compares the database with them
            for name in app.jinja_env.list_templates():
                app.jinja_env.get_template(name)
            for lang in app.config["LANGUAGES"]:
                with force_locale(lang):
                    get_translations()
                _ = Locale.parse(lang).display_name  # loads the language's CLDR data
        finally:
            db.engine.dispose()
    gc.collect()  # what warming left for collection is not kept for good
    gc.freeze()


def forget_inherited_connections(app: Flask) -> None:
    """In a process just forked: drop the pool inherited from the parent without closing its
    connections, which the parent (and its other children) still own."""
    with app.app_context():
        db.engine.dispose(close=False)


def connect(app: Flask) -> None:
    """Open this process's first database connection now rather than in its first request.
    A database not answering yet is no reason to die: requests will connect when it does."""
    with app.app_context():
        try:
            db.session.execute(text("SELECT 1"))
        except SQLAlchemyError as error:
            log.warning("warm-up: the database does not answer yet: %s", error)
        finally:
            with contextlib.suppress(SQLAlchemyError):
                db.session.remove()
