"""Every error of the JSON API v1 in one shape: problem details (RFC 9457), served as
``application/problem+json`` with ``type``, ``title``, ``status`` and ``detail``, plus ``errors``
(field name -> messages) when input was refused.

`diaspora.errors` sends every error under /api/v1 here, whatever raised it (routing, the
authentication, webargs, a service), so that clients parse one shape.
"""

from http import HTTPStatus

import marshmallow as ma
from flask import current_app, has_request_context, json, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from diaspora.services.errors import ValidationFailed

PREFIX = "/api/v1"
PROBLEM_JSON = "application/problem+json"
# Headers an HTTP error carries that the problem keeps (Allow on a 405, WWW-Authenticate on a
# 401, Retry-After on a 429 or 503).
KEPT_HEADERS = ("Allow", "WWW-Authenticate", "Retry-After")


class ProblemSchema(ma.Schema):
    """Problem details (RFC 9457): documents the shape, as every error of the API has it."""

    type = ma.fields.String(
        required=True, metadata={"description": "'about:blank': the status says it all."}
    )
    title = ma.fields.String(required=True, metadata={"description": "The HTTP status phrase."})
    status = ma.fields.Integer(required=True)
    detail = ma.fields.String(metadata={"description": "What went wrong, in the reader's words."})
    errors = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.List(ma.fields.String()),
        metadata={"description": "Refused input: field name (dotted for nested ones) -> messages."},
    )
    retry_after = ma.fields.Integer(
        metadata={"description": "Seconds to wait before retrying (429 and 503)."}
    )


def applies() -> bool:
    """Whether the current request is one of the API v1's."""
    return has_request_context() and (
        request.path == PREFIX or request.path.startswith(PREFIX + "/")
    )


def response(status: int, detail: str | None = None, *, errors=None, headers=None, **extra):
    """A problem-details response."""
    body: dict = {"type": "about:blank", "title": HTTPStatus(status).phrase, "status": status}
    if detail:
        body["detail"] = str(detail)
    if errors:
        body["errors"] = errors
    body.update(extra)
    answer = current_app.response_class(json.dumps(body), status=status, mimetype=PROBLEM_JSON)
    for name, value in (headers or {}).items():
        answer.headers[name] = value
    if status == 401:
        answer.headers.setdefault("WWW-Authenticate", 'Bearer realm="diaspora"')
    return answer


def _flatten(messages, path: str = "") -> dict[str, list[str]]:
    """marshmallow's nested messages ({"skills": {0: {"name": [...]}}}) as dotted names."""
    if isinstance(messages, dict):
        flat: dict[str, list[str]] = {}
        for key, value in messages.items():
            flat.update(_flatten(value, f"{path}.{key}" if path else str(key)))
        return flat
    if isinstance(messages, list | tuple) and all(isinstance(m, str) for m in messages):
        return {path or "_schema": [str(m) for m in messages]}
    return {path or "_schema": [str(messages)]}


def invalid_input_detail() -> str:
    return _("Some of the data sent is not valid: see errors.")


def from_http_exception(error: HTTPException, detail: str):
    """The problem for an HTTP error: webargs' refusals of input become `errors` by field
    (without the location level: {"json": {"title": ...}} -> {"title": ...})."""
    headers = {k: v for k, v in error.get_headers() if k in KEPT_HEADERS}
    data = getattr(error, "data", None) or {}
    headers.update(data.get("headers") or {})
    errors = None
    if "messages" in data:
        by_location = data["messages"]
        errors = {}
        for messages in by_location.values() if isinstance(by_location, dict) else [by_location]:
            errors.update(_flatten(messages))
        detail = invalid_input_detail()
    return response(error.code or 500, data.get("detail") or detail, errors=errors, headers=headers)


def from_validation_failed(error: ValidationFailed):
    """A service's refusal: messages for the whole input go to `detail`, the others to
    `errors` under the field they name."""
    general = error.reasons.get("", [])
    fields = {name: list(messages) for name, messages in error.reasons.items() if name}
    detail = " ".join(general) if general else invalid_input_detail()
    return response(422, detail, errors=fields or None)
