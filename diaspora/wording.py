"""A stored explanation put into words, in the reader's language.

The explanation has one shape, ``diaspora.matching.explain.Explanation``: every stored one was
written by the engine ("matching-1.0", then "matching-1.1", which added the optional ``hours``,
``start`` and ``onsite`` parts), except the column's default ``{}`` for a match stored without
one, which reads as no reasons.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from flask_babel import format_date, get_locale

from diaspora import geo, vocabulary
from diaspora.i18n import N_, bound_gettext
from diaspora.matching.explain import Explanation, SkillEntry
from diaspora.services.skills import concept_label

# Said in the reader's language by `describe` (N_ only marks them for extraction).
FACTOR_LABELS = {  # one per matching.FACTORS
    "required_skills": N_("Required skills"),
    "nice_skills": N_("Nice-to-have skills"),
    "text": N_("Profile and project descriptions"),
    "sector": N_("Interest in the sector"),
    "hours": N_("Hours available"),
    "timezone": N_("Working hours overlap with Morocco"),
    "onsite": N_("Presence in Morocco during the project"),
}

HOW_LABELS = {  # one per relatedness method but "exact"
    "related-hierarchy": N_("a related skill of the same family"),
    "co-occurrence": N_("a skill often found with it"),
    "semantic": N_("a skill with a close meaning"),
}


@dataclass
class Reasons:
    skills: list[str] = field(default_factory=list)
    factors: list[tuple[str, int, int]] = field(default_factory=list)  # label, value %, weight %
    notes: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.skills or self.factors or self.notes)


def skill_name(key: str, lang: str | None = None) -> str:
    """What a reader calls the skill behind an engine key: the concept's label in their
    language (`lang`, else the current one), or the name as typed for a free skill."""
    if key.startswith("free:"):
        return key.removeprefix("free:")
    return concept_label(key, lang or str(get_locale() or "fr"))


def _skill_sentence(entry: SkillEntry, required: bool, _: Callable[..., str], lang: str) -> str:
    name = skill_name(entry["skill"], lang)
    kind = _("required") if required else _("nice to have")
    needed = _("%(kind)s, level %(level)d", kind=kind, level=entry["min_level"])
    if not entry["met"]:
        return _("Does not show «%(skill)s» (%(needed)s).", skill=name, needed=needed)
    how, level = entry["how"], entry["level"]
    if how == "exact":
        return _(
            "Meets «%(skill)s» (%(needed)s) at level %(level)d.",
            skill=name,
            needed=needed,
            level=level,
        )
    through = _("«%(via)s» level %(level)d", via=skill_name(entry["via"], lang), level=level)
    return _(
        "Meets «%(skill)s» (%(needed)s) through %(through)s, %(how)s.",
        skill=name,
        needed=needed,
        through=through,
        how=_(HOW_LABELS[how]),
    )


def _percent(value: float) -> int:
    return round(value * 100)


def _hours(value: float) -> str:
    return f"{value:g}"


def _day(iso: str) -> str:
    return format_date(date.fromisoformat(iso))


def _availability_notes(explanation: Explanation, _: Callable[..., str]) -> list[str]:
    """The pair's hours, start date and presence in Morocco, in words."""
    notes = []
    hours = explanation.get("hours")
    # Said when the hours tell something: some are committed, or fewer are left than needed.
    if hours and (hours["committed"] > 0 or hours["offered"] < hours["needed"]):
        offered, committed = _hours(hours["offered"]), _hours(hours["committed"])
        needed = _hours(hours["needed"])
        if hours["committed"] > 0:
            notes.append(
                _(
                    "Offers %(offered)s h a month, %(committed)s of them already committed; "
                    "the project needs %(needed)s.",
                    offered=offered,
                    committed=committed,
                    needed=needed,
                )
            )
        else:
            notes.append(
                _(
                    "Offers %(offered)s h a month, the project needs %(needed)s.",
                    offered=offered,
                    needed=needed,
                )
            )
    start = explanation.get("start")
    if start and start["available_from"] > start["starts_on"]:
        variables = {"date": _day(start["available_from"]), "start": _day(start["starts_on"])}
        if start["flexible"]:
            notes.append(
                _(
                    "Available from %(date)s, after the project's start on %(start)s, which "
                    "the project accepts.",
                    **variables,
                )
            )
        else:
            notes.append(
                _("Available only from %(date)s; the project starts on %(start)s.", **variables)
            )
    if onsite := explanation.get("onsite"):
        notes.append(_presence_sentence(onsite, _))
    return notes


def _presence_sentence(onsite, _: Callable[..., str]) -> str:
    city = geo.city_label(onsite["city"] or "", str(get_locale() or "fr"))
    if onsite["days"] <= 0:
        return _("Not in Morocco during the project's dates, as far as their profile says.")
    if "km" in onsite and city:
        return _(
            "In Morocco %(days)d days during the project's dates, in %(city)s, %(km)d km from "
            "the project's location.",
            days=onsite["days"],
            city=city,
            km=onsite["km"],
        )
    if city:
        return _(
            "In Morocco %(days)d days during the project's dates, in %(city)s.",
            days=onsite["days"],
            city=city,
        )
    return _("In Morocco %(days)d days during the project's dates.", days=onsite["days"])


def percent(share: float) -> str:
    """A share as a readable percentage: "60", "7.5" (never more than one decimal)."""
    return f"{share * 100:.1f}".removesuffix(".0")


def weight_rows(weights: dict[str, float]) -> list[tuple[str, str]]:
    """Configured weights as (factor in words, percentage), in the engine's order of factors;
    names the engine does not know (a stored record of an older engine) keep their name."""
    _ = bound_gettext()
    known = [(str(_(FACTOR_LABELS[f])), percent(weights[f])) for f in FACTOR_LABELS if f in weights]
    return known + [(f, percent(w)) for f, w in weights.items() if f not in FACTOR_LABELS]


def describe(explanation: Explanation) -> Reasons:
    """The reasons of a suggestion: one sentence per project skill, the factors known for the
    pair as percentages, and a note when fair exposure lowered the score."""
    reasons = Reasons()
    if not explanation:  # a match stored without an explanation
        return reasons
    # A queue of suggestions says thousands of these sentences: the language is looked up once.
    _, lang = bound_gettext(), str(get_locale() or "fr")
    for kind, required in (("required", True), ("nice", False)):
        reasons.skills += [_skill_sentence(e, required, _, lang) for e in explanation[kind]]
    for name, part in explanation["factors"].items():
        if part["value"] is not None:  # unknown for this pair: left out of its score
            reasons.factors.append(
                (_(FACTOR_LABELS[name]), _percent(part["value"]), _percent(part["weight"]))
            )
    reasons.notes += _availability_notes(explanation, _)
    penalty = 1 - explanation["exposure"]["multiplier"]
    if penalty > 0.005:  # would read as at least 1 %
        reasons.notes.append(
            _(
                "Score lowered by %(n)d %% because this expert already has several invitations "
                "waiting (so that the same few profiles are not asked for every project).",
                n=_percent(penalty),
            )
        )
    return reasons


def short_reasons(explanation: Explanation, levels: bool = True) -> list[str]:
    """A search result's reasons: one short phrase per skill searched for (the need's required
    skills), met exactly, through a related skill or not; without levels when the expert keeps
    them from the reader."""
    _, lang = bound_gettext(), str(get_locale() or "fr")
    phrases = []
    for entry in explanation.get("required", ()) if explanation else ():
        name = skill_name(entry["skill"], lang)
        if not entry["met"]:
            phrases.append(_("no «%(skill)s»", skill=name))
        elif entry["how"] == "exact" and levels:
            phrases.append(_("«%(skill)s» at level %(level)d", skill=name, level=entry["level"]))
        elif entry["how"] == "exact":
            phrases.append(_("«%(skill)s»", skill=name))
        else:
            phrases.append(
                _(
                    "«%(skill)s» through «%(via)s», %(how)s",
                    skill=name,
                    via=skill_name(entry["via"], lang),
                    how=_(HOW_LABELS[entry["how"]]),
                )
            )
    return phrases


def unmet_for_expert(explanation: Explanation, languages: list[str], mode: str) -> list[str]:
    """Why a project cannot fit the expert who reads this, one sentence per hard constraint
    their profile fails (their history with the project, `not_excluded`, is worded by the
    caller, who knows what that history is)."""
    _, locale = bound_gettext(), str(get_locale() or "fr")
    failed = explanation["constraints"]
    reasons = []
    if not failed["consent"]:
        reasons.append(_("You have not agreed to matching."))
    if not failed["recently_confirmed"]:
        reasons.append(_("Your profile was not confirmed in the last twelve months."))
    if not failed["language"]:
        names = ", ".join(vocabulary.language_name(code, locale) for code in languages)
        reasons.append(
            _(
                "The project works in %(languages)s: your profile shows none of them at level "
                "B2 or better.",
                languages=names,
            )
        )
    hours = explanation.get("hours")
    if not failed.get("capacity", True) and hours:
        remaining = max(0.0, hours["offered"] - hours["committed"])
        reasons.append(
            _(
                "The project needs %(needed)s h a month; you have %(remaining)s left of the "
                "%(offered)s you offer.",
                needed=_hours(hours["needed"]),
                remaining=_hours(remaining),
                offered=_hours(hours["offered"]),
            )
        )
    start = explanation.get("start")
    if not failed.get("start_date", True) and start:
        reasons.append(
            _(
                "The project starts on %(start)s; you are available from %(date)s.",
                start=_day(start["starts_on"]),
                date=_day(start["available_from"]),
            )
        )
    if not failed["mode"]:
        reasons.append(
            _(
                "The project asks for this way of working: %(mode)s. Your profile does not "
                "offer it.",
                mode=_(vocabulary.MODE_LABELS.get(mode, mode)),
            )
        )
    return reasons
