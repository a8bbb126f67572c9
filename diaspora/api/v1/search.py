"""Searching the experts, as on the search page: the same service, filters and rules."""

from datetime import date

import marshmallow as ma
from flask_babel import get_locale
from marshmallow import validate

from diaspora import geo, search_query, vocabulary, wording
from diaspora.api.v1 import auth
from diaspora.api.v1.hooks import blueprint
from diaspora.api.v1.schemas import LanguageOut
from diaspora.main.converters import LAST_PAGE
from diaspora.models import Role
from diaspora.rules import profiles as profile_rules
from diaspora.services import expert_search
from diaspora.services.errors import ValidationFailed
from diaspora.services.skills import MAX_SKILL_NAME

bp = blueprint(
    "api_search",
    "Search the experts as the search page does (admins and members of verified institutions).",
)


def _strings(values, **kwargs) -> ma.fields.List:
    return ma.fields.List(ma.fields.String(validate=values), load_default=list, **kwargs)


class ExpertSearchArgs(ma.Schema):
    skill = _strings(
        validate.Length(min=1, max=MAX_SKILL_NAME),
        validate=validate.Length(max=search_query.MAX_SKILLS),
        metadata={"description": "Skills in any language; repeat the parameter for each."},
    )
    country = ma.fields.String(validate=validate.OneOf(sorted(geo.COUNTRY_CODES)))
    city = ma.fields.String(validate=validate.Length(max=profile_rules.MAX_CITY))
    mode = _strings(
        validate.OneOf(vocabulary.MODES), metadata={"description": "Every one of them."}
    )
    sector = _strings(validate.OneOf(vocabulary.SECTORS), metadata={"description": "Any of them."})
    language = _strings(
        validate.OneOf(vocabulary.LANGUAGES),
        validate=validate.Length(max=search_query.MAX_LANGUAGES),
        metadata={"description": "Each of them, at the `level` given at the same position."},
    )
    level = _strings(
        validate.OneOf(vocabulary.CEFR_LEVELS), metadata={"description": "Default: B2."}
    )
    hours = ma.fields.Integer(validate=validate.Range(1, profile_rules.HOURS_PER_MONTH[1]))
    overlap = ma.fields.Integer(
        validate=validate.Range(1, 8),
        metadata={"description": "Hours of the Moroccan working day in the expert's day."},
    )
    available = ma.fields.Date(
        validate=validate.Range(date(2000, 1, 1), date(2100, 12, 31)),
        metadata={"description": "Available on that day."},
    )
    morocco_from = ma.fields.Date(
        validate=validate.Range(date(2000, 1, 1), date(2100, 12, 31)),
        metadata={"description": "In Morocco on one of the days from this one to morocco_to."},
    )
    morocco_to = ma.fields.Date(
        validate=validate.Range(date(2000, 1, 1), date(2100, 12, 31)),
        metadata={"description": "Last day of that period (default: morocco_from)."},
    )
    page = ma.fields.Integer(load_default=1, validate=validate.Range(1, LAST_PAGE))


class SkillOut(ma.Schema):
    typed = ma.fields.String(attribute="name", required=True)
    concept_id = ma.fields.String(required=True, allow_none=True)
    label = ma.fields.String(attribute="concept_label", required=True, allow_none=True)
    method = ma.fields.String(required=True)


class ExpertHitOut(ma.Schema):
    """An expert found, with the sections they show the reader (a hidden one is null)."""

    ref = ma.fields.String(required=True)
    name = ma.fields.String(required=True)
    headline = ma.fields.String(required=True)
    country = ma.fields.String(required=True)
    city = ma.fields.String(required=True, allow_none=True)
    modes = ma.fields.List(ma.fields.String(), required=True)
    sectors = ma.fields.List(ma.fields.String(), required=True)
    languages = ma.fields.List(ma.fields.Nested(LanguageOut), required=True, allow_none=True)
    hours_per_month = ma.fields.Integer(required=True, allow_none=True)
    available_from = ma.fields.Date(required=True, allow_none=True)
    score = ma.fields.Float(required=True)
    reasons = ma.fields.Function(
        lambda hit: wording.short_reasons(hit.explanation, hit.shows_levels), required=True
    )


def _counts() -> ma.fields.Dict:
    return ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Integer(), required=True)


class FacetsOut(ma.Schema):
    """How many experts each filter value finds, the others applied."""

    countries = _counts()
    modes = _counts()
    sectors = _counts()
    languages = _counts()
    available_now = ma.fields.Integer(required=True)


class ExpertSearchOut(ma.Schema):
    total = ma.fields.Integer(required=True)
    page = ma.fields.Integer(required=True)
    pages = ma.fields.Integer(required=True)
    skills = ma.fields.List(ma.fields.Nested(SkillOut), required=True)
    experts = ma.fields.List(ma.fields.Nested(ExpertHitOut), attribute="hits", required=True)
    facets = ma.fields.Nested(FacetsOut, required=True)
    hours_at_least = _counts()
    overlap_at_least = _counts()


def _in_morocco(first, last):
    """The period "in Morocco between" asks for (one day given stands for both); a period
    ending before it starts is refused, as the search page leaves it out with a notice."""
    if first is None and last is None:
        return None
    first, last = first or last, last or first
    if last < first:
        raise ValidationFailed({"morocco_to": ["morocco_to comes before morocco_from."]})
    return first, last


@bp.route("/experts/search", methods=["GET"])
@auth.roles(Role.INSTITUTION, Role.ADMIN)
@bp.arguments(ExpertSearchArgs, location="query")
@bp.response(200, ExpertSearchOut)
def search_experts(args):
    """Experts ranked by the matching engine for the skills asked, kept to the filters, a page
    of 20 at a time, with counts per filter value; labels and reasons follow Accept-Language.
    Nobody who withheld consent, chose a private profile or left it unconfirmed for a year is
    found; the sections an expert hides from institutions are null.

    Scope: read. Role: admin, or member of a verified institution.
    """
    levels = args["level"] + ["B2"] * len(args["language"])
    query = expert_search.SearchQuery(
        skills=tuple(dict.fromkeys(args["skill"])),
        country=args.get("country", ""),
        city=args.get("city", ""),
        modes=tuple(dict.fromkeys(args["mode"])),
        sectors=tuple(dict.fromkeys(args["sector"])),
        languages=tuple(dict(zip(args["language"], levels, strict=False)).items()),
        min_hours=args.get("hours"),
        available_by=args.get("available"),
        min_overlap_hours=args.get("overlap"),
        in_morocco=_in_morocco(args.get("morocco_from"), args.get("morocco_to")),
        page=args["page"],
    )
    return expert_search.search(auth.actor(), query, str(get_locale()))
