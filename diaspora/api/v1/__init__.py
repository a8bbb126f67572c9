"""The JSON API v1, under /api/v1: another door to the same services as the pages.

flask-smorest routes each operation, checks its input against a marshmallow schema and
generates the OpenAPI document from them (/api/v1/openapi.json); Swagger UI reads it at
/api/v1/docs, from files the app serves itself. Every operation needs a personal access token
(`auth`); every error is problem details (`problems`).
"""

from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask

API_SETTINGS = {
    "API_TITLE": "Diaspora API",
    "API_VERSION": "1",
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": "/api/v1",
    "OPENAPI_JSON_PATH": "openapi.json",
    "API_SPEC_OPTIONS": {
        "info": {
            "description": (
                "Personal access tokens are created and revoked on the account page "
                "(/auth/account). Send one as `Authorization: Bearer <token>`: a read token "
                "may call GET operations, a write token every operation. A token acts as its "
                "owner, with the same rights as on the pages. Errors are problem details "
                "(RFC 9457)."
            )
        },
        "components": {
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A personal access token from the account page.",
                }
            }
        },
        "security": [{"bearerAuth": []}],
    },
}


def _api_class():
    from flask_smorest import Api
    from flask_smorest.utils import prepare_response

    from diaspora.api.v1.problems import PROBLEM_JSON, ProblemSchema

    class ProblemApi(Api):
        """flask-smorest, with errors documented as problem details and answered by
        `diaspora.errors` (which keeps the pages' HTML error pages outside the API)."""

        ERROR_SCHEMA = ProblemSchema

        def _register_error_handlers(self):
            pass

        def _register_responses(self):
            for status in HTTPStatus:
                response = {"description": status.phrase}
                if status >= 400:
                    response["schema"] = self.ERROR_SCHEMA
                prepare_response(response, self.spec, PROBLEM_JSON)
                self.spec.components.response(status.name, response, lazy=True)
            response = {"description": "Problem details", "schema": self.ERROR_SCHEMA}
            prepare_response(response, self.spec, PROBLEM_JSON)
            self.spec.components.response(self.DEFAULT_ERROR_RESPONSE_NAME, response, lazy=True)

    return ProblemApi


def init_app(app: Flask) -> None:
    """Serve the API v1, its OpenAPI document and its docs on `app`."""
    from diaspora.api.v1 import (
        collaborations,
        docs,
        experts,
        opportunities,
        projects,
        reviews,
        search,
        taxonomy,
    )

    for name, value in API_SETTINGS.items():
        app.config.setdefault(name, value)
    api = _api_class()(app)
    for module in (projects, experts, opportunities, search, reviews, taxonomy, collaborations):
        api.register_blueprint(module.bp)
    app.register_blueprint(docs.bp)
