"""The expert's profile form, its repeatable language and skill rows, and the erasure form.

Choice fields do not check their choices: the service does, with messages that say what to do,
and a forged value must reach it rather than stop at a generic "Not a valid choice".
"""

from datetime import date
from functools import lru_cache

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    URLField,
)

from diaspora import geo, vocabulary
from diaspora.forms_support import DayField, MultiCheckboxField, add_rows, sector_choices
from diaspora.models import ExpertProfile, ProfileSection, Visibility
from diaspora.rules import profiles as profile_rules
from diaspora.services.experts import ProfileInput

SPARE_LANGUAGE_ROWS = 2
SPARE_SKILL_ROWS = 3
# A new skill row starts at the middle level, as the form's default says.
NEW_SKILL = {"level": "3"}
# Numbers longer than this are certainly out of range; they are not parsed (a million digits
# would make int() slow) but kept large so the service's range message applies.
_MAX_DIGITS = 12


SECTION_LABELS = {
    ProfileSection.CITY: _l("My city (your country still shows)"),
    ProfileSection.BIO: _l("My bio and years of experience"),
    ProfileSection.SKILL_LEVELS: _l("The level of my skills (the skills still show)"),
    ProfileSection.LANGUAGES: _l("My languages"),
    ProfileSection.AVAILABILITY: _l("My availability (hours a month, date)"),
    ProfileSection.CV: _l("My attached CV"),
    ProfileSection.COLLABORATIONS: _l("My collaborations (projects and hours)"),
}


class WholeNumberField(IntegerField):
    """An optional whole number, Arabic-Indic digits included; anything else is a clear error."""

    def process_formdata(self, valuelist):
        text = (valuelist[0] if valuelist else "").strip()
        if not text:
            self.data = None
            return
        sign = -1 if text[0] == "-" else 1
        digits = text.lstrip("+-")
        if not digits.isdecimal():
            self.data = None
            raise ValueError(_l("Enter a whole number, such as 10."))
        self.data = sign * (int(digits) if len(digits) <= _MAX_DIGITS else 10**_MAX_DIGITS)


class LanguageRow(Form):
    code = SelectField(_l("Language"), validate_choice=False)
    level = SelectField(_l("Level"), validate_choice=False)
    remove = BooleanField(_l("Remove"))


class SkillRow(Form):
    name = StringField(_l("Skill"))
    level = SelectField(_l("Level"), validate_choice=False, default="3")
    remove = BooleanField(_l("Remove"))


class ProfileForm(FlaskForm):
    country = SelectField(_l("Country of residence"), validate_choice=False)
    city = StringField(_l("City"), render_kw={"autocomplete": "address-level2"})
    timezone = SelectField(
        _l("Time zone"),
        validate_choice=False,
        description=_l(
            "Leave it to us and we work it out from your country and city when we "
            "can; otherwise choose it."
        ),
    )
    languages = FieldList(
        FormField(LanguageRow), label=_l("Languages"), max_entries=profile_rules.MAX_LANGUAGES + 1
    )
    skills = FieldList(
        FormField(SkillRow), label=_l("Skills"), max_entries=profile_rules.MAX_SKILLS + 1
    )
    sectors = MultiCheckboxField(_l("Sectors that interest you"), validate_choice=False)
    modes = MultiCheckboxField(_l("How you would like to work"), validate_choice=False)
    hours_per_month = WholeNumberField(
        _l("Hours a month you can give"),
        description=_l("From 1 to %(n)d.", n=profile_rules.HOURS_PER_MONTH[1]),
        render_kw={"inputmode": "numeric"},
    )
    headline = StringField(
        _l("Headline"),
        description=_l("For example: Data scientist in public health, Montréal."),
    )
    bio = TextAreaField(
        _l("Bio"),
        render_kw={"rows": 6},
        description=_l("What you do and what you would like to bring, in any language."),
    )
    linkedin = URLField(_l("LinkedIn profile (optional)"), render_kw={"autocomplete": "url"})
    years_experience = WholeNumberField(
        _l("Years of professional experience (optional)"),
        render_kw={"inputmode": "numeric"},
    )
    available_from = DayField(_l("Available from (optional)"))
    consent_matching = BooleanField(
        _l("I agree that the platform suggests me for projects automatically"),
        description=_l(
            "Our matching engine compares your profile with institutions' projects. "
            "An administrator reviews every suggestion before anyone contacts you, "
            "and you always choose whether to accept. Without this consent your "
            "profile stays listed but the engine never suggests you; you can change "
            "your mind at any time."
        ),
    )
    visibility = RadioField(
        _l("Who may see your profile"),
        validate_choice=False,
        choices=[
            (
                Visibility.INSTITUTIONS,
                _l(
                    "Verified institutions (your email and LinkedIn stay hidden until you accept "
                    "an invitation)"
                ),
            ),
            (Visibility.PRIVATE, _l("Only administrators, who may invite you to projects")),
        ],
    )
    hidden_sections = MultiCheckboxField(
        _l("Keep these parts of your profile from institutions"),
        validate_choice=False,
        choices=list(SECTION_LABELS.items()),
        description=_l(
            "In search results and on your profile page, verified institutions do not see "
            "what you tick, nor find you by it; administrators always see everything."
        ),
    )


@lru_cache(maxsize=4)
def timezone_choices(locale: str) -> dict[str, list[tuple[str, str]]]:
    """IANA zones grouped under country names in ``locale`` (an <optgroup> per country)."""
    zones = geo.country_zones()
    return {
        name: [(zone, zone.replace("_", " ")) for zone in sorted(zones[code])]
        for code, name in geo.country_choices(locale)
        if code in zones
    }


def prepare(form: ProfileForm, locale: str, current_timezone: str = "") -> None:
    """Fill the choices, which depend on the reader's language."""
    form.country.choices = [("", "—")] + geo.country_choices(locale)
    zones = {"": [("", str(_l("Work it out from my country and city")))]}
    if current_timezone and not any(
        current_timezone == z for group in timezone_choices(locale).values() for z, _n in group
    ):
        zones[""].append((current_timezone, current_timezone))
    form.timezone.choices = zones | timezone_choices(locale)
    form.sectors.choices = sector_choices()
    form.modes.choices = [(m, _l(vocabulary.MODE_LABELS[m])) for m in vocabulary.MODES]
    languages = [("", "—")] + vocabulary.language_choices(locale)
    # A language of the profile that the list does not offer (the import takes any) stays.
    offered = {code for code, _name in languages}
    languages += [
        (code, vocabulary.language_name(code, locale))
        for code in dict.fromkeys(row.form.code.data for row in form.languages)
        if code and code not in offered and vocabulary.is_known_language(code)
    ]
    levels = [("", "—")] + [(c, _l(vocabulary.CEFR_LABELS[c])) for c in vocabulary.CEFR_LEVELS]
    skill_levels = [(str(n), _l(vocabulary.SKILL_LEVEL_LABELS[n])) for n in vocabulary.SKILL_LEVELS]
    for row in form.languages:
        row.form.code.choices = languages
        row.form.level.choices = levels
    for row in form.skills:
        row.form.level.choices = skill_levels


def add_spare_rows(form: ProfileForm) -> None:
    """Empty rows to type new languages and skills into, without JavaScript."""
    add_rows(form.languages, SPARE_LANGUAGE_ROWS)
    add_rows(form.skills, SPARE_SKILL_ROWS, NEW_SKILL)


def add_asked_row(form: ProfileForm, what: str | None) -> bool:
    """Whether an "Add another" button was pressed (``what`` is its value); if so the form
    gets one more empty row, while the list has room, and is shown again, nothing saved."""
    if what == "language":
        add_rows(form.languages, 1)
    elif what == "skill":
        add_rows(form.skills, 1, NEW_SKILL)
    return bool(what)


def initial_data(profile: ExpertProfile) -> dict:
    """The form's values for a saved profile."""
    derived = geo.derive_timezone(profile.country, profile.city) if profile.country else None
    return {
        "country": profile.country,
        "city": profile.city,
        # A zone we derived is shown as "work it out", so a move to another city re-derives it.
        "timezone": "" if profile.timezone == derived else (profile.timezone or ""),
        "languages": [{"code": lang.code, "level": lang.level} for lang in profile.languages],
        "skills": [{"name": s.name, "level": str(s.level)} for s in profile.skills],
        "sectors": list(profile.sectors or ()),
        "modes": list(profile.modes or ()),
        "hours_per_month": profile.hours_per_month or None,
        "headline": profile.headline,
        "bio": profile.bio,
        "linkedin": profile.linkedin or "",
        "years_experience": profile.years_experience,
        "available_from": profile.available_from,
        "consent_matching": profile.consent_matching,
        "visibility": profile.visibility,
        "hidden_sections": list(profile.hidden_sections or ()),
    }


def _level(text) -> int | None:
    text = str(text or "").strip()
    return int(text) if text.isdecimal() and len(text) < 3 else None


def profile_input(form: ProfileForm) -> ProfileInput:
    """The plain values the service takes; rows marked "remove" are left out."""
    available: date | None = form.available_from.data
    return ProfileInput(
        country=form.country.data or "",
        city=form.city.data or "",
        timezone=form.timezone.data or "",
        languages=tuple(
            (row.form.code.data or "", row.form.level.data or "")
            for row in form.languages
            if not row.form.remove.data
        ),
        skills=tuple(
            (row.form.name.data or "", _level(row.form.level.data))
            for row in form.skills
            if not row.form.remove.data
        ),
        sectors=tuple(form.sectors.data or ()),
        modes=tuple(form.modes.data or ()),
        hours_per_month=form.hours_per_month.data,
        headline=form.headline.data or "",
        bio=form.bio.data or "",
        linkedin=form.linkedin.data or "",
        years_experience=form.years_experience.data,
        available_from=available,
        consent_matching=bool(form.consent_matching.data),
        visibility=form.visibility.data or "",
        hidden_sections=tuple(form.hidden_sections.data or ()),
    )
