"""The public page that says how matching works, from the engine's live configuration."""

from flask import render_template

from diaspora.notifications.links import external_url
from diaspora.services import transparency
from diaspora.transparency import bp


@bp.app_template_global()
def how_matching_works_url() -> str:
    """The page's absolute address, for the emails that explain a suggestion."""
    return external_url("transparency.how_matching_works")


@bp.route("/how-matching-works")
def how_matching_works():
    return render_template("transparency/how_matching_works.html", page=transparency.how_it_works())
