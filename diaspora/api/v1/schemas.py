"""What the API reads and writes, as marshmallow schemas: the OpenAPI document is generated
from them, and requests are checked against them before any service sees the data.

The limits are the rules' own (`diaspora.rules`, `diaspora.vocabulary`), so the document says
what the services accept; what a schema cannot say (two skill names for one concept, a place
for on-site work) the services refuse with a 422 naming the field.
"""

from datetime import UTC

import marshmallow as ma
from marshmallow import validate

from diaspora import geo, vocabulary
from diaspora.api.v1 import auth
from diaspora.main.converters import LARGEST_ID, LAST_PAGE
from diaspora.models import (
    CollaborationStatus,
    MatchStatus,
    ProfileSection,
    ProjectStatus,
    Side,
    Visibility,
)
from diaspora.rules import profiles as profile_rules
from diaspora.rules import projects as project_rules
from diaspora.services import interest, invitations, reviews
from diaspora.services.collaborations import MAX_TEXT_LENGTH as MAX_COLLABORATION_TEXT
from diaspora.services.invitations import MAX_REASON_LENGTH
from diaspora.services.skills import MAX_SKILL_NAME

MAX_PROJECT_SKILLS = 40  # the project form's rows
PAGE_LANGUAGES = ("fr", "ar", "en")  # the languages of the platform's pages and labels


class StrictBoolean(ma.fields.Boolean):
    """true or false, not 1, "yes" or "on": JSON has booleans."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


class StrictInteger(ma.fields.Integer):
    """A JSON integer, not a boolean, a string or a float."""

    def __init__(self, **kwargs):
        super().__init__(strict=True, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool):
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


class UtcDateTime(ma.fields.DateTime):
    """Stored datetimes are naive UTC (`models.base.utcnow`): written with their offset, as
    RFC 3339 requires."""

    def _serialize(self, value, attr, obj, **kwargs):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return super()._serialize(value, attr, obj, **kwargs)


def _text(max_length: int, **kwargs) -> ma.fields.String:
    return ma.fields.String(validate=validate.Length(max=max_length), **kwargs)


def _choice(values, **kwargs) -> ma.fields.String:
    return ma.fields.String(validate=validate.OneOf(values), **kwargs)


def _nullable_datetime() -> UtcDateTime:
    return UtcDateTime(allow_none=True, required=True)


class Strict(ma.Schema):
    """Unknown fields are refused (and the document says so: additionalProperties false)."""

    class Meta:
        unknown = ma.RAISE


# -- references --------------------------------------------------------------------------------


class InstitutionRef(ma.Schema):
    id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)


class ProjectRef(ma.Schema):
    id = ma.fields.Integer(required=True)
    ref = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    status = _choice(ProjectStatus.ALL, required=True)
    institution = ma.fields.Nested(InstitutionRef, required=True)


class ExpertRef(ma.Schema):
    """An expert as the reader may know them: reference, name and headline."""

    ref = ma.fields.String(required=True)
    name = ma.fields.Function(lambda e: e.user.full_name or e.ref, required=True)
    headline = ma.fields.String(required=True)


# -- projects ---------------------------------------------------------------------------------


class ProjectSkillIn(Strict):
    name = ma.fields.String(required=True, validate=validate.Length(min=1, max=MAX_SKILL_NAME))
    level = StrictInteger(
        load_default=3, validate=validate.OneOf(vocabulary.SKILL_LEVELS), metadata={"example": 3}
    )
    required = StrictBoolean(load_default=True)


class ProjectIn(Strict):
    """Every field of a project, as its edit page has them: a PUT replaces them all."""

    title = ma.fields.String(
        required=True, validate=validate.Length(min=1, max=project_rules.MAX_TITLE)
    )
    description = _text(project_rules.MAX_DESCRIPTION, load_default="")
    sector = _choice(vocabulary.SECTORS, required=True)
    skills = ma.fields.List(
        ma.fields.Nested(ProjectSkillIn),
        load_default=list,
        validate=validate.Length(max=MAX_PROJECT_SKILLS),
    )
    languages = ma.fields.List(_choice(vocabulary.LANGUAGES), load_default=list)
    mode = _choice(
        vocabulary.PROJECT_MODES,
        required=True,
        metadata={"description": "On-site modes (all but remote) need a location."},
    )
    location = _text(project_rules.MAX_LOCATION, load_default="")
    hours_per_month = StrictInteger(
        required=True, validate=validate.Range(*project_rules.HOURS_PER_MONTH)
    )
    seats = StrictInteger(required=True, validate=validate.Range(*project_rules.SEATS))
    starts_on = ma.fields.Date(
        load_default=None,
        allow_none=True,
        metadata={"description": "Needed to publish, and not in the past then."},
    )
    duration_months = StrictInteger(
        load_default=None, allow_none=True, validate=validate.Range(*project_rules.DURATION_MONTHS)
    )
    flexible_start = ma.fields.Boolean(
        load_default=False,
        metadata={
            "description": "The project can start later than starts_on: experts available "
            "only after it are still proposed."
        },
    )


class NewProjectIn(ProjectIn):
    institution_id = StrictInteger(
        load_default=None,
        allow_none=True,
        validate=validate.Range(1, LARGEST_ID),
        metadata={"description": "Needed when you act for several institutions."},
    )


class ProjectSkillOut(ma.Schema):
    name = ma.fields.String(required=True)
    level = ma.fields.Integer(required=True)
    required = ma.fields.Boolean(required=True)
    concept_id = ma.fields.String(
        allow_none=True,
        required=True,
        metadata={
            "description": "The taxonomy concept it was recognised as (null: kept as typed)."
        },
    )


class ProjectOut(ma.Schema):
    id = ma.fields.Integer(required=True)
    ref = ma.fields.String(required=True)
    institution = ma.fields.Nested(InstitutionRef, required=True)
    status = _choice(ProjectStatus.ALL, required=True)
    title = ma.fields.String(required=True)
    description = ma.fields.String(required=True)
    sector = ma.fields.String(required=True)
    skills = ma.fields.List(ma.fields.Nested(ProjectSkillOut), required=True)
    languages = ma.fields.List(ma.fields.String(), required=True)
    mode = ma.fields.String(required=True)
    location = ma.fields.String(required=True)
    hours_per_month = ma.fields.Integer(required=True)
    seats = ma.fields.Integer(required=True)
    starts_on = ma.fields.Date(allow_none=True, required=True)
    duration_months = ma.fields.Integer(allow_none=True, required=True)
    flexible_start = ma.fields.Boolean(required=True)
    created_at = UtcDateTime(required=True)
    published_at = _nullable_datetime()
    closed_at = _nullable_datetime()


# -- pipelines --------------------------------------------------------------------------------


def _counts_schema() -> ma.fields.Dict:
    return ma.fields.Dict(
        keys=_choice(MatchStatus.ALL),
        values=ma.fields.Integer(),
        required=True,
        metadata={"description": "How many experts at each step."},
    )


class PipelineExpertOut(ma.Schema):
    """An expert from their invitation on (suggestions waiting for review are only counted)."""

    match_id = ma.fields.Integer(attribute="id", required=True)
    status = _choice(MatchStatus.ALL, required=True)
    expert = ma.fields.Nested(
        ExpertRef,
        allow_none=True,
        required=True,
        metadata={"description": "null once the expert erased their account."},
    )
    invited_at = _nullable_datetime()
    answered_at = _nullable_datetime()


class PipelineOut(ma.Schema):
    project = ma.fields.Nested(ProjectRef, required=True)
    counts = _counts_schema()
    experts = ma.fields.Method("_experts", required=True)

    def _experts(self, pipeline):
        matches = [m for step in pipeline.by_status.values() for m in step]
        return PipelineExpertOut(many=True).dump(matches)


class PipelineSummaryOut(ma.Schema):
    project = ma.fields.Nested(ProjectRef, required=True)
    counts = _counts_schema()


# -- the expert's profile ---------------------------------------------------------------------


class LanguageIn(Strict):
    code = ma.fields.String(
        required=True,
        validate=validate.Length(min=2, max=3),
        metadata={"description": "ISO 639 code, e.g. ar, fr, en, zgh."},
    )
    level = _choice(vocabulary.CEFR_LEVELS, required=True)


class ProfileSkillIn(Strict):
    name = ma.fields.String(required=True, validate=validate.Length(min=1, max=MAX_SKILL_NAME))
    level = StrictInteger(required=True, validate=validate.OneOf(vocabulary.SKILL_LEVELS))


class ProfileIn(Strict):
    """The whole profile, as the edit page saves it: fields left out are emptied."""

    country = ma.fields.String(
        load_default="",
        validate=validate.OneOf(["", *sorted(geo.COUNTRY_CODES)]),
        metadata={"description": "ISO 3166-1 alpha-2 code of the country of residence."},
    )
    city = _text(profile_rules.MAX_CITY, load_default="")
    timezone = _text(
        64,
        load_default="",
        metadata={"description": "IANA zone; empty: derived from the country and city."},
    )
    languages = ma.fields.List(
        ma.fields.Nested(LanguageIn),
        load_default=list,
        validate=validate.Length(max=profile_rules.MAX_LANGUAGES),
    )
    skills = ma.fields.List(
        ma.fields.Nested(ProfileSkillIn),
        load_default=list,
        validate=validate.Length(max=profile_rules.MAX_SKILLS),
    )
    sectors = ma.fields.List(_choice(vocabulary.SECTORS), load_default=list)
    modes = ma.fields.List(_choice(vocabulary.MODES), load_default=list)
    hours_per_month = StrictInteger(
        load_default=None, allow_none=True, validate=validate.Range(*profile_rules.HOURS_PER_MONTH)
    )
    headline = _text(profile_rules.MAX_HEADLINE, load_default="")
    bio = _text(profile_rules.MAX_BIO, load_default="")
    linkedin = ma.fields.String(
        load_default="",
        allow_none=True,
        validate=validate.Length(max=255),
        metadata={"description": "e.g. https://www.linkedin.com/in/your-name"},
    )
    years_experience = StrictInteger(
        load_default=None,
        allow_none=True,
        validate=validate.Range(*profile_rules.YEARS_EXPERIENCE),
    )
    available_from = ma.fields.Date(load_default=None, allow_none=True)
    # Said every time, so that no consent is given or withdrawn by leaving a field out.
    consent_matching = StrictBoolean(
        required=True,
        metadata={"description": "Whether the engine may suggest you to institutions."},
    )
    visibility = _choice(
        Visibility.ALL,
        required=True,
        metadata={"description": "institutions: verified institutions may browse it."},
    )
    hidden_sections = ma.fields.List(
        _choice(ProfileSection.ALL),
        load_default=None,
        metadata={
            "description": "The parts of the profile verified institutions do not see, nor "
            "find you by; left out, they stay as they are."
        },
    )


class LanguageOut(ma.Schema):
    code = ma.fields.String(required=True)
    level = ma.fields.String(required=True)


class ProfileSkillOut(ma.Schema):
    name = ma.fields.String(required=True)
    level = ma.fields.Integer(required=True)
    concept_id = ma.fields.String(allow_none=True, required=True)
    concept_label = ma.fields.String(allow_none=True, required=True)
    method = ma.fields.String(required=True)


class CompletenessOut(ma.Schema):
    percent = ma.fields.Integer(required=True)
    missing = ma.fields.Function(lambda c: [m.message for m in c.missing], required=True)


class ProfileOut(ma.Schema):
    """`profile` is the saved profile (an empty one before the first save), with `skills` as
    recognised in the taxonomy, labelled in the request's language."""

    ref = ma.fields.String(required=True, metadata={"description": "Empty before the first save."})
    headline = ma.fields.String(required=True)
    bio = ma.fields.String(required=True)
    country = ma.fields.String(required=True)
    city = ma.fields.String(required=True)
    timezone = ma.fields.String(allow_none=True, required=True)
    languages = ma.fields.List(ma.fields.Nested(LanguageOut), required=True)
    skills = ma.fields.List(ma.fields.Nested(ProfileSkillOut), required=True)
    sectors = ma.fields.List(ma.fields.String(), required=True)
    modes = ma.fields.List(ma.fields.String(), required=True)
    hours_per_month = ma.fields.Integer(required=True)
    linkedin = ma.fields.String(allow_none=True, required=True)
    years_experience = ma.fields.Integer(allow_none=True, required=True)
    available_from = ma.fields.Date(allow_none=True, required=True)
    consent_matching = ma.fields.Boolean(required=True)
    visibility = ma.fields.String(required=True)
    hidden_sections = ma.fields.List(ma.fields.String(), required=True)
    confirmed_at = _nullable_datetime()
    completeness = ma.fields.Nested(CompletenessOut, required=True)
    stale = ma.fields.Boolean(
        required=True, metadata={"description": "Not confirmed for a year: not suggested."}
    )


# -- invitations ------------------------------------------------------------------------------


class PersonOut(ma.Schema):
    name = ma.fields.String(required=True)
    email = ma.fields.String(required=True)
    linkedin = ma.fields.String(allow_none=True)


class ContactsOut(ma.Schema):
    institution = ma.fields.List(ma.fields.Nested(PersonOut), required=True)


class InvitationOut(ma.Schema):
    id = ma.fields.Integer(required=True)
    status = _choice(MatchStatus.ALL, required=True)
    project = ma.fields.Nested(ProjectOut, required=True)
    explanation = ma.fields.Dict(
        required=True, metadata={"description": "Why you were suggested (the engine's schema)."}
    )
    invited_at = _nullable_datetime()
    expires_at = _nullable_datetime()
    answered_at = _nullable_datetime()
    contacts = ma.fields.Method(
        "_contacts",
        allow_none=True,
        metadata={"description": "The institution's contacts, once you accepted."},
    )

    def _contacts(self, match):
        found = invitations.contacts(auth.actor(), match)
        return ContactsOut().dump(found) if found else None


class DeclineIn(Strict):
    reason = ma.fields.String(
        load_default="",
        allow_none=True,
        validate=validate.Length(max=MAX_REASON_LENGTH),
        metadata={"description": "Optional; the institution reads it."},
    )


# -- collaborations ---------------------------------------------------------------------------


class CollaborationOut(ma.Schema):
    id = ma.fields.Integer(required=True)
    status = _choice(CollaborationStatus.ALL, required=True)
    project = ma.fields.Nested(ProjectRef, required=True)
    expert = ma.fields.Nested(
        ExpertRef, allow_none=True, required=True, metadata={"description": "null: erased."}
    )
    started_on = ma.fields.Date(allow_none=True, required=True)
    completed_at = _nullable_datetime()
    cancelled_at = _nullable_datetime()
    cancelled_by = _choice(Side.ALL, allow_none=True, required=True)
    cancel_reason = ma.fields.String(allow_none=True, required=True)
    outcome = ma.fields.String(
        allow_none=True, required=True, metadata={"description": "What was delivered, in words."}
    )
    confirmed_hours = ma.fields.Integer(required=True)


class CancelCollaborationIn(Strict):
    reason = ma.fields.String(
        required=True,
        validate=validate.Length(min=1, max=MAX_COLLABORATION_TEXT),
        metadata={"description": "Why; the other side reads it."},
    )


class CompleteCollaborationIn(Strict):
    outcome = ma.fields.String(
        required=True,
        validate=validate.Length(min=1, max=MAX_COLLABORATION_TEXT),
        metadata={"description": "What was delivered, in a few sentences (the certificate's)."},
    )


# -- projects for experts --------------------------------------------------------------------


class OpportunityArgs(ma.Schema):
    sector = _choice(vocabulary.SECTORS)
    mode = _choice(vocabulary.PROJECT_MODES)
    city = _text(120, metadata={"description": "A city in Morocco, any case or accents."})
    remote = ma.fields.Boolean(
        load_default=False, metadata={"description": "Only projects that can be done remotely."}
    )
    unfit = ma.fields.Boolean(
        load_default=False,
        metadata={"description": "Also the projects that cannot fit you, with the reasons."},
    )
    page = ma.fields.Integer(load_default=1, validate=validate.Range(1, LAST_PAGE))


class OpportunityOut(ma.Schema):
    project = ma.fields.Nested(ProjectOut, required=True)
    score = ma.fields.Float(required=True)
    fits = ma.fields.Boolean(
        required=True, metadata={"description": "Every hard constraint of matching holds."}
    )
    history = ma.fields.String(
        allow_none=True,
        required=True,
        metadata={
            "description": "Your history with the project: interest_sent, invited, accepted, "
            "declined, expired, closed, interest_rejected, reviewed; null for none."
        },
    )
    can_express = ma.fields.Boolean(required=True)
    reasons = ma.fields.List(
        ma.fields.String(),
        required=True,
        metadata={"description": "Why it cannot fit you or you cannot ask, in words."},
    )
    explanation = ma.fields.Dict(
        required=True, metadata={"description": "How you meet it (the engine's schema)."}
    )


class OpportunitiesOut(ma.Schema):
    has_profile = ma.fields.Function(lambda v: v.profile is not None, required=True)
    needs_consent = ma.fields.Boolean(
        required=True, metadata={"description": "No ranking without consent to matching."}
    )
    fitting = ma.fields.Integer(required=True)
    hidden = ma.fields.Integer(required=True)
    page = ma.fields.Integer(required=True)
    pages = ma.fields.Integer(required=True)
    projects = ma.fields.List(ma.fields.Nested(OpportunityOut), attribute="items", required=True)


class InterestIn(Strict):
    note = ma.fields.String(
        required=True,
        validate=validate.Length(min=1, max=interest.MAX_NOTE),
        metadata={"description": "A few words for the administrators who review it."},
    )


class InterestOut(ma.Schema):
    id = ma.fields.Integer(required=True)
    status = _choice(MatchStatus.ALL, required=True)
    project = ma.fields.Nested(ProjectRef, required=True)
    score = ma.fields.Float(required=True)
    note = ma.fields.String(attribute="proposal_note", required=True)
    created_at = UtcDateTime(required=True)


# -- review -----------------------------------------------------------------------------------


class QueueArgs(ma.Schema):
    sector = _choice(vocabulary.SECTORS)
    institution = ma.fields.Integer(validate=validate.Range(1, LARGEST_ID))
    min_score = ma.fields.Float(
        validate=validate.Range(0, 1),
        metadata={"description": "Only suggestions scoring at least this (0 to 1)."},
    )
    min_age = ma.fields.Integer(
        validate=validate.Range(0, 3650),
        metadata={"description": "Only suggestions waiting at least this many days."},
    )
    page = ma.fields.Integer(load_default=1, validate=validate.Range(1, LAST_PAGE))


class SuggestionOut(ma.Schema):
    id = ma.fields.Integer(required=True)
    status = _choice(MatchStatus.ALL, required=True)
    source = ma.fields.String(required=True, metadata={"description": "engine or manual"})
    score = ma.fields.Float(required=True)
    rank = ma.fields.Integer(allow_none=True, required=True)
    expert = ma.fields.Nested(ExpertRef, allow_none=True, required=True)
    explanation = ma.fields.Dict(required=True)
    created_at = UtcDateTime(required=True)
    invited_at = _nullable_datetime()
    reviewed_at = _nullable_datetime()


class QueueGroupOut(ma.Schema):
    project = ma.fields.Nested(ProjectRef, required=True)
    suggestions = ma.fields.List(ma.fields.Nested(SuggestionOut), required=True)


class QueueOut(ma.Schema):
    page = ma.fields.Integer(required=True)
    pages = ma.fields.Integer(required=True)
    projects_per_page = ma.fields.Constant(reviews.PROJECTS_PER_PAGE, required=True)
    groups = ma.fields.List(ma.fields.Nested(QueueGroupOut), required=True)


class RejectIn(Strict):
    reason = ma.fields.String(
        required=True,
        validate=validate.Length(min=1, max=reviews.MAX_REASON_LENGTH),
        metadata={"description": "Why: kept for the admins, never shown to the expert."},
    )
    share_reason = StrictBoolean(
        load_default=False,
        metadata={"description": "Tell it to an expert who asked for the project themselves."},
    )


# -- taxonomy ---------------------------------------------------------------------------------


class SkillSearchArgs(ma.Schema):
    q = ma.fields.String(required=True, validate=validate.Length(min=1, max=100))
    lang = _choice(PAGE_LANGUAGES, metadata={"description": "Default: fr."})
    limit = ma.fields.Integer(load_default=8, validate=validate.Range(1, 20))


class SkillSuggestionOut(ma.Schema):
    id = ma.fields.String(attribute="concept_id", required=True)
    label = ma.fields.String(required=True)
    matched = ma.fields.String(required=True)


class ConceptArgs(ma.Schema):
    lang = _choice(PAGE_LANGUAGES, metadata={"description": "Default: fr."})


class ConceptOut(ma.Schema):
    id = ma.fields.String(required=True)
    label = ma.fields.String(required=True, metadata={"description": "In the asked language."})
    labels = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String(), required=True)
    alt_labels = ma.fields.Dict(
        keys=ma.fields.String(), values=ma.fields.List(ma.fields.String()), required=True
    )
    type = ma.fields.String(required=True, metadata={"description": "skill or knowledge"})
    source = ma.fields.String(required=True, metadata={"description": "esco or diaspora"})
    groups = ma.fields.List(
        ma.fields.String(),
        required=True,
        metadata={"description": "Where it sits, broadest first."},
    )
