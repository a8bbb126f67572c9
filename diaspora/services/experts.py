"""Expert profiles: creation, editing, confirmation, completeness and consent.

Reading a profile writes nothing: an expert without one is shown an empty profile, and the row
is created by their first save (or confirmation).

Export and erasure of personal data live in ``services/personal_data.py``.

Every change that can alter who gets suggested for what rescores the expert after the commit
(``rescoring.rescore_expert``).
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from diaspora import geo, vocabulary
from diaspora.extensions import db
from diaspora.matching.constraints import confirmation_cutoff
from diaspora.models import (
    ExpertLanguage,
    ExpertProfile,
    ExpertSkill,
    ProfileSection,
    Role,
    User,
    Visibility,
)
from diaspora.models.base import utcnow
from diaspora.rules import links, text
from diaspora.rules import profiles as profile_rules
from diaspora.services import audit, consent, expert_changes, permissions, rescoring
from diaspora.services.errors import NotFound, PermissionDenied, ValidationFailed
from diaspora.services.skills import (
    MAX_SKILL_NAME,
    ResolvedSkill,
    clean_skill_name,
    concept_label,
    normalise_skills,
    placement,
)

_REF = re.compile(r"[A-Za-z0-9_-]{1,64}")


@dataclass(frozen=True)
class ProfileInput:
    """Everything an expert edits about their profile, as plain values from a form or a file.

    ``languages`` are (code, level) pairs and ``skills`` (name, level) pairs; numbers are None
    when left empty.
    """

    country: str = ""
    city: str = ""
    timezone: str = ""  # empty: derive it from the country and city
    languages: tuple[tuple[str, str], ...] = ()
    skills: tuple[tuple[str, int], ...] = ()
    sectors: tuple[str, ...] = ()
    modes: tuple[str, ...] = ()
    hours_per_month: int | None = None
    headline: str = ""
    bio: str = ""
    linkedin: str = ""
    years_experience: int | None = None
    available_from: date | None = None
    consent_matching: bool = False
    visibility: str = Visibility.INSTITUTIONS
    # The `ProfileSection`s kept from institutions; None leaves them as they are.
    hidden_sections: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Missing:
    """Something a complete profile needs: the message and the form section that adds it."""

    message: str
    section: str


@dataclass(frozen=True)
class Completeness:
    percent: int
    missing: tuple[Missing, ...] = field(default_factory=tuple)

    @property
    def complete(self) -> bool:
        return not self.missing


@dataclass(frozen=True)
class SkillView:
    """A saved skill as shown to people: what was typed and what it was recognised as."""

    name: str
    level: int
    concept_id: str | None
    concept_label: str | None
    method: str


# -- finding and creating -----------------------------------------------------------------


def _new_ref() -> str:
    while True:
        ref = "E-" + secrets.token_hex(4).upper()
        if db.session.scalar(select(ExpertProfile.id).where(ExpertProfile.ref == ref)) is None:
            return ref


# What the profile pages and the dashboard read of a profile, loaded with it.
_SHOWN = (selectinload(ExpertProfile.languages), selectinload(ExpertProfile.skills))


def own_profile(user: User) -> ExpertProfile | None:
    """The user's expert profile (its languages and skills loaded), or None when it does not
    exist yet."""
    return db.session.scalar(
        select(ExpertProfile).where(ExpertProfile.user_id == user.id).options(*_SHOWN)
    )


def own_profile_or_blank(user: User) -> ExpertProfile:
    """The expert's own profile to show or edit: the saved one, or an empty one that is not
    saved (reading writes nothing; the first save creates the row)."""
    if user.role != Role.EXPERT:
        raise PermissionDenied()
    profile = own_profile(user)
    if profile is not None:
        return profile
    # Every value a new row would get, set here because column defaults apply only on insert.
    return ExpertProfile(
        user_id=user.id,
        ref="",
        headline="",
        bio="",
        country="",
        city="",
        sectors=[],
        modes=[],
        hours_per_month=0,
        consent_matching=False,
        visibility=Visibility.INSTITUTIONS,
        hidden_sections=[],
    )


def _keep(user: User, profile: ExpertProfile) -> bool:
    """Make a blank profile a row, with a fresh random ref, in the transaction that saves it.
    False, with nothing written, when a request sent at the same moment (a double click on
    the first save) created the expert's profile first."""
    if profile in db.session:
        return True
    profile.ref = _new_ref()
    db.session.add(profile)
    try:
        db.session.flush()
    except IntegrityError:  # the other request's row holds the expert's user_id
        db.session.rollback()
        return False
    audit.record(user, "expert.profile_created", profile, ref=profile.ref)
    return True


def profile_for_viewer(viewer: User, ref: str) -> ExpertProfile:
    """The profile with ``ref`` if ``viewer`` may see it; NotFound or PermissionDenied else."""
    if not _REF.fullmatch(ref):
        raise NotFound()
    profile = db.session.scalar(
        select(ExpertProfile)
        .where(ExpertProfile.ref == ref)
        .options(joinedload(ExpertProfile.user), *_SHOWN)
    )
    if profile is None:
        raise NotFound()
    if not permissions.can_view_profile(viewer, profile):
        raise PermissionDenied()
    return profile


# -- reading --------------------------------------------------------------------------------


def skill_views(profile: ExpertProfile, lang: str) -> list[SkillView]:
    """The profile's skills with the concept each was recognised as, labelled in ``lang``."""
    return [
        SkillView(
            name=s.name,
            level=s.level,
            concept_id=s.concept_id,
            concept_label=concept_label(s.concept_id, lang) if s.concept_id else None,
            method=s.method,
        )
        for s in profile.skills
    ]


def completeness(profile: ExpertProfile) -> Completeness:
    """How complete the profile is for matching, and what is missing, in words."""
    checks = [
        (
            bool(profile.country and profile.city),
            _("Say in which country and city you live."),
            "residence",
        ),
        (
            bool(profile.timezone),
            _("Choose your time zone: we could not tell it from your city."),
            "residence",
        ),
        (bool(profile.languages), _("Say which languages you speak."), "languages"),
        (
            len(profile.skills) >= profile_rules.MIN_SKILLS,
            _("Add at least %(n)d skills.", n=profile_rules.MIN_SKILLS),
            "skills",
        ),
        (bool(profile.sectors), _("Choose the sectors that interest you."), "interests"),
        (bool(profile.modes), _("Say how you would like to work with institutions."), "interests"),
        (profile.hours_per_month > 0, _("Say how many hours a month you can give."), "interests"),
        (bool(profile.headline), _("Write a headline that sums up what you do."), "about"),
        (
            len(profile.bio) >= profile_rules.MIN_BIO,
            _("Write a short bio of at least %(n)d characters.", n=profile_rules.MIN_BIO),
            "about",
        ),
    ]
    missing = tuple(Missing(message, section) for ok, message, section in checks if not ok)
    percent = round(100 * (len(checks) - len(missing)) / len(checks))
    return Completeness(percent, missing)


def is_stale(profile: ExpertProfile, today: date | None = None) -> bool:
    """True when the profile was not confirmed in the last twelve months, so the engine
    stops suggesting it (the same rule as matching's hard constraint)."""
    today = today or utcnow().date()
    return profile.confirmed_at is None or profile.confirmed_at.date() < confirmation_cutoff(today)


# -- validating -----------------------------------------------------------------------------


def _clean_linkedin(url: str, errors: dict[str, list[str]]) -> str | None:
    if not url.strip():
        return None
    valid = links.linkedin_url(url)
    if valid is None:
        errors["linkedin"] = [
            _(
                "Give the address of your LinkedIn profile, such as "
                "https://www.linkedin.com/in/your-name."
            )
        ]
    return valid


def _clean_languages(pairs, locale: str, errors) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    messages: list[str] = []
    for code, level in pairs:
        code, level = _text(code).strip().lower(), _text(level).strip()
        if not code and not level:
            continue  # an empty row of the form
        if not code or not vocabulary.is_known_language(code):
            messages.append(_("Choose a language from the list."))
            continue
        name = vocabulary.language_name(code, locale)
        if level not in vocabulary.CEFR_LEVELS:
            messages.append(_("Choose your level in %(language)s.", language=name))
            continue
        if code in seen:
            messages.append(_("%(language)s is listed twice.", language=name))
            continue
        seen.add(code)
        out.append((code, level))
    if len(out) > profile_rules.MAX_LANGUAGES:
        messages.append(_("List at most %(n)d languages.", n=profile_rules.MAX_LANGUAGES))
    if messages:
        errors["languages"] = messages
    return out


def _clean_skills(pairs, errors) -> list[tuple[str, int]]:
    out: list[tuple[str, int]] = []
    seen: set[str] = set()
    messages: list[str] = []
    for name, level in pairs:
        raw = _line(name)
        if not raw:
            continue  # an empty row of the form; a level left on it means nothing
        if len(raw) > MAX_SKILL_NAME:
            messages.append(
                _(
                    "Shorten «%(name)s…» to %(n)d characters or fewer.",
                    name=raw[:30],
                    n=MAX_SKILL_NAME,
                )
            )
            continue
        if not isinstance(level, int) or level not in vocabulary.SKILL_LEVELS:
            messages.append(_("Choose a level from 1 to 5 for «%(name)s».", name=raw))
            continue
        key = raw.casefold()
        if key in seen:
            messages.append(_("«%(name)s» is listed twice.", name=raw))
            continue
        seen.add(key)
        out.append((clean_skill_name(raw), level))
    if len(out) > profile_rules.MAX_SKILLS:
        messages.append(_("List at most %(n)d skills.", n=profile_rules.MAX_SKILLS))
    if messages:
        errors["skills"] = messages
    return out


def _text(value) -> str:
    return text.drop_hidden(str(value or ""))


def _line(value) -> str:
    return text.clean_line(str(value or ""))


def _check_number(value, name, low, high, errors, message) -> None:
    if value is not None and not (isinstance(value, int) and low <= value <= high):
        errors[name] = [message]


def _validate(data: ProfileInput, locale: str) -> dict:
    """Checked and cleaned values, or ValidationFailed naming every bad field."""
    errors: dict[str, list[str]] = {}
    country = geo.normalise_country(_text(data.country))
    if country and not geo.is_valid_country(country):
        errors["country"] = [_("Choose your country from the list.")]
    city = _line(data.city)
    if len(city) > profile_rules.MAX_CITY:
        errors["city"] = [_("Use at most %(n)d characters.", n=profile_rules.MAX_CITY)]
    timezone = _text(data.timezone).strip()
    if timezone and not geo.is_valid_timezone(timezone):
        errors["timezone"] = [_("Choose a time zone from the list.")]
    elif not timezone and country and not errors.get("country"):
        timezone = geo.derive_timezone(country, city) or ""
    languages = _clean_languages(data.languages, locale, errors)
    skills = _clean_skills(data.skills, errors)
    sectors = list(dict.fromkeys(data.sectors))
    if any(s not in vocabulary.SECTORS for s in sectors):
        errors["sectors"] = [_("Choose sectors from the list.")]
    modes = list(dict.fromkeys(data.modes))
    if any(m not in vocabulary.MODES for m in modes):
        errors["modes"] = [_("Choose ways of working from the list.")]
    low, high = profile_rules.HOURS_PER_MONTH
    _check_number(
        data.hours_per_month,
        "hours_per_month",
        low,
        high,
        errors,
        _("Give a number of hours from %(low)d to %(high)d.", low=low, high=high),
    )
    low, high = profile_rules.YEARS_EXPERIENCE
    _check_number(
        data.years_experience,
        "years_experience",
        low,
        high,
        errors,
        _("Give a number of years from %(low)d to %(high)d.", low=low, high=high),
    )
    headline = _line(data.headline)
    if len(headline) > profile_rules.MAX_HEADLINE:
        errors["headline"] = [_("Use at most %(n)d characters.", n=profile_rules.MAX_HEADLINE)]
    bio = text.clean_text(str(data.bio or ""))
    if len(bio) > profile_rules.MAX_BIO:
        errors["bio"] = [_("Use at most %(n)d characters.", n=profile_rules.MAX_BIO)]
    linkedin = _clean_linkedin(_text(data.linkedin), errors)
    available_from = data.available_from
    if available_from is not None and not (date(2000, 1, 1) <= available_from <= date(2100, 1, 1)):
        errors["available_from"] = [_("Give a date between 2000 and 2100.")]
    if data.visibility not in Visibility.ALL:
        errors["visibility"] = [_("Choose who may see your profile.")]
    hidden = data.hidden_sections
    if hidden is not None and any(s not in ProfileSection.ALL for s in hidden):
        errors["hidden_sections"] = [_("Choose the parts of your profile from the list.")]
    if errors:
        raise ValidationFailed(errors)
    return {
        "country": country,
        "city": city,
        "timezone": timezone or None,
        "languages": languages,
        "skills": skills,
        "sectors": sectors,
        "modes": modes,
        "hours_per_month": data.hours_per_month or 0,
        "headline": headline,
        "bio": bio,
        "linkedin": linkedin,
        "years_experience": data.years_experience,
        "available_from": available_from,
        "consent_matching": bool(data.consent_matching),
        "visibility": data.visibility,
        "hidden_sections": None
        if hidden is None
        else [s for s in ProfileSection.ALL if s in hidden],
    }


# -- changing -------------------------------------------------------------------------------


def _apply_languages(profile: ExpertProfile, wanted: list[tuple[str, str]]) -> bool:
    current = {lang.code: lang for lang in profile.languages}
    if {c: lang.level for c, lang in current.items()} == dict(wanted) and list(current) == [
        c for c, _level in wanted
    ]:
        return False
    wanted_codes = {code for code, _level in wanted}
    for code, lang in current.items():
        if code not in wanted_codes:
            profile.languages.remove(lang)
    # Removed rows are deleted before new ones arrive, so the (expert, code) unique
    # constraint never sees a code twice.
    db.session.flush()
    for code, level in wanted:
        if code in current:
            current[code].level = level
        else:
            profile.languages.append(ExpertLanguage(code=code, level=level))
    return True


def _plan_skills(profile: ExpertProfile, wanted: list[tuple[str, int]], locale: str) -> dict:
    """What saving ``wanted`` changes: names kept (their recognition with them), new names
    placed in the taxonomy, names removed. Refuses two names for one concept, which would
    count one skill twice in matching (e.g. "ML" and "machine learning")."""
    current = {s.name.casefold(): s for s in profile.skills}
    new = [(name, level) for name, level in wanted if name.casefold() not in current]
    placed = normalise_skills([name for name, _level in new])
    concepts = {s.name.casefold(): s.concept_id for s in profile.skills}
    concepts.update(
        {name.casefold(): m.concept_id for (name, _lv), m in zip(new, placed, strict=True)}
    )
    by_concept: dict[str, list[str]] = {}
    for name, _level in wanted:
        concept = concepts[name.casefold()]
        if concept:
            by_concept.setdefault(concept, []).append(name)
    messages = [
        _(
            "«%(a)s» and «%(b)s» are the same skill («%(label)s»): keep one.",
            a=names[0],
            b=names[1],
            label=concept_label(cid, locale),
        )
        for cid, names in by_concept.items()
        if len(names) > 1
    ]
    if messages:
        raise ValidationFailed({"skills": messages})
    wanted_keys = {name.casefold() for name, _level in wanted}
    return {
        "current": current,
        "wanted": wanted,
        "new": list(zip(new, placed, strict=True)),
        "removed": [s for key, s in current.items() if key not in wanted_keys],
    }


def _apply_skills(profile: ExpertProfile, plan: dict) -> dict:
    for skill in plan["removed"]:
        profile.skills.remove(skill)
    relevelled = []
    for name, level in plan["wanted"]:
        skill = plan["current"].get(name.casefold())
        if skill is not None and skill.level != level:
            skill.level = level
            relevelled.append(name)
    for (name, level), match in plan["new"]:
        profile.skills.append(ExpertSkill(name=name, level=level, **placement(match)))
    return {
        "added": len(plan["new"]),
        "removed": len(plan["removed"]),
        "relevelled": len(relevelled),
    }


def _set_consent(profile: ExpertProfile, actor: User, consent: bool) -> bool:
    version = current_app.config["CONSENT_VERSION"]
    unchanged = consent == profile.consent_matching and profile.consent_at is not None
    # Ticking the box again under a newer consent text is a new consent to that text.
    if unchanged and (not consent or profile.consent_version == version):
        return False
    if not consent and profile.consent_at is None:
        return False  # never consented, still not consenting: nothing to record
    now = utcnow()
    profile.consent_matching = consent
    profile.consent_version = version
    profile.consent_at = now
    # Withdrawing keeps the profile listed: it only stops automated suggestions.
    audit.record(
        actor,
        "expert.consent_given" if consent else "expert.consent_withdrawn",
        profile,
        version=version,
    )
    return True


def update_profile(user: User, data: ProfileInput, locale: str = "fr") -> ExpertProfile:
    """Validate and save the whole profile; nothing is saved when any field is wrong.

    Saving also confirms the profile is up to date. ``locale`` is the language of messages
    that name languages and skills.
    """
    profile = own_profile_or_blank(user)
    clean = _validate(data, locale)
    skill_plan = _plan_skills(profile, clean["skills"], locale)
    if not _keep(user, profile):
        profile = own_profile(user)  # created meanwhile: this save goes onto it
        skill_plan = _plan_skills(profile, clean["skills"], locale)
    changed: list[str] = []
    if clean["hidden_sections"] is None:
        clean["hidden_sections"] = list(profile.hidden_sections or [])
    for name in (*ExpertProfile.DESCRIPTION_COLUMNS, "visibility", "hidden_sections"):
        if getattr(profile, name) != clean[name]:
            setattr(profile, name, clean[name])
            changed.append(name)
    if _apply_languages(profile, clean["languages"]):
        changed.append("languages")
    skill_changes = _apply_skills(profile, skill_plan)
    if any(skill_changes.values()):
        changed.append("skills")
    if _set_consent(profile, user, clean["consent_matching"]):
        changed.append("consent_matching")
    profile.confirmed_at = utcnow()
    audit.record(
        user,
        "expert.profile_updated",
        profile,
        fields=changed,
        skills_added=skill_changes["added"],
        skills_removed=skill_changes["removed"],
    )
    db.session.flush()  # a new profile gets its id
    expert_changes.note(profile.id)
    db.session.commit()
    rescoring.rescore_expert(profile.id)  # saving confirms: eligibility may change either way
    return profile


def confirm_profile(user: User) -> ExpertProfile:
    """ "My profile is up to date": profiles unconfirmed for twelve months stop being suggested."""
    profile = own_profile_or_blank(user)
    if not _keep(user, profile):
        profile = own_profile(user)  # created meanwhile
    profile.confirmed_at = utcnow()
    audit.record(user, "expert.profile_confirmed", profile)
    db.session.flush()
    expert_changes.note(profile.id)
    db.session.commit()
    rescoring.rescore_expert(profile.id)
    return profile


def accept_consent_text(user: User) -> ExpertProfile:
    """The expert accepts the consent text in force (CONSENT_VERSION): paused by a newer text
    (services/consent.py), they are suggested again."""
    profile = own_profile(user)
    if profile is None or not consent.is_paused(profile):
        return profile  # nothing waits for this text (accepted already, or never consented)
    _set_consent(profile, user, True)
    db.session.flush()
    expert_changes.note(profile.id)
    db.session.commit()
    rescoring.rescore_expert(profile.id)
    return profile


def add_recognised_skills(
    user: User, skills: Sequence[tuple[str, int, ResolvedSkill]], source: str
) -> int:
    """Add skills already placed in the taxonomy ((name, level, placement), e.g. from a CV the
    expert reviewed) to the profile, keeping everything else; a skill whose concept or name
    the profile has is skipped. Returns how many were added; matching sees them at once."""
    profile = own_profile_or_blank(user)
    have = {s.concept_id for s in profile.skills if s.concept_id}
    names = {s.name.casefold() for s in profile.skills}
    new = []
    for name, level, where in skills:
        if where.concept_id in have or name.casefold() in names:
            continue
        have.add(where.concept_id)
        names.add(name.casefold())
        new.append((clean_skill_name(name), level, where))
    if len(profile.skills) + len(new) > profile_rules.MAX_SKILLS:
        raise ValidationFailed(
            {"skills": [_("A profile lists at most %(n)d skills.", n=profile_rules.MAX_SKILLS)]}
        )
    if not new:
        return 0
    if not _keep(user, profile):
        return add_recognised_skills(user, skills, source)  # created meanwhile
    for name, level, where in new:
        profile.skills.append(ExpertSkill(name=name, level=level, **placement(where)))
    audit.record(
        user,
        "expert.profile_updated",
        profile,
        fields=["skills"],
        skills_added=len(new),
        skills_removed=0,
        source=source,
    )
    db.session.flush()
    expert_changes.note(profile.id)
    db.session.commit()
    rescoring.rescore_expert(profile.id)
    return len(new)
