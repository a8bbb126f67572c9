"""What every blueprint of the API v1 shares: the token check, the limit per token, no CSRF
(cookies authenticate nothing here), domain refusals as problem details, no caching."""

import json

import flask_smorest
from flask import Response
from flask_babel import gettext as _
from webargs.flaskparser import FlaskParser

from diaspora.api.v1 import auth, problems
from diaspora.extensions import csrf, limiter
from diaspora.services.errors import ValidationFailed
from diaspora.services.invitations import AlreadyAnswered
from diaspora.services.match_states import IllegalTransition


def _no_store(response: Response) -> Response:
    # Answers are personal (they follow the token's owner): no shared cache may keep them.
    response.headers["Cache-Control"] = "no-store"
    return response


# The match is no longer in a state that allows it (answered, reviewed, closed meanwhile).
def _already_answered(error: AlreadyAnswered):
    detail = _("This invitation is no longer open: it is %(status)s.", status=error.match.status)
    return problems.response(409, detail)


def _already_reviewed(error: IllegalTransition):
    detail = _("This suggestion was already reviewed: it is %(status)s.", status=error.current)
    return problems.response(409, detail)


class JsonBodyParser(FlaskParser):
    """webargs' parser, refusing as invalid JSON (400) the bodies json.loads fails on other than
    by a syntax error: a number of more than 4,300 digits (ValueError) and arrays or objects
    nested thousands deep (RecursionError). webargs would let both through as a 500."""

    def _raw_load_json(self, req):
        try:
            return super()._raw_load_json(req)
        except json.JSONDecodeError:
            raise
        except (ValueError, RecursionError) as error:
            self._handle_invalid_json_error(error, req)


class Blueprint(flask_smorest.Blueprint):
    ARGUMENTS_PARSER = JsonBodyParser()


def blueprint(name: str, description: str) -> Blueprint:
    """A blueprint of the API v1 with the shared hooks in place."""
    bp = Blueprint(name, __name__, url_prefix=problems.PREFIX, description=description)
    csrf.exempt(bp)
    # One count per token across the whole API, not one per blueprint.
    limiter.shared_limit(auth.rate_limit, scope="api-v1", key_func=auth.rate_limit_key)(bp)
    bp.before_request(auth.authenticate)
    bp.after_request(_no_store)
    bp.register_error_handler(ValidationFailed, problems.from_validation_failed)
    bp.register_error_handler(IllegalTransition, _already_reviewed)
    bp.register_error_handler(AlreadyAnswered, _already_answered)
    return bp
