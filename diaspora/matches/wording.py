"""A stored explanation put into words, in the reader's language.

The explanation is the engine's JSON (see shared/interchange.md): any key may be absent or of
an unexpected type in an old row, so every read here is defensive and a broken entry is
skipped rather than failing the page or the email.
"""

from dataclasses import dataclass, field

from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from diaspora.services.skills import concept_label

FACTOR_LABELS = {
    "required_skills": _l("Required skills"),
    "nice_skills": _l("Nice-to-have skills"),
    "text": _l("Profile and project descriptions"),
    "sector": _l("Interest in the sector"),
    "hours": _l("Hours available"),
    "timezone": _l("Working hours overlap with Morocco"),
}

HOW_LABELS = {
    "hierarchy": _l("a related skill of the same family"),
    "related-hierarchy": _l("a related skill of the same family"),
    "cooccurrence": _l("a skill often found with it"),
    "co-occurrence": _l("a skill often found with it"),
    "semantic": _l("a skill with a close meaning"),
}


@dataclass
class Reasons:
    skills: list[str] = field(default_factory=list)
    factors: list[tuple[str, int, int | None]] = field(default_factory=list)  # label, %, weight %
    notes: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.skills or self.factors or self.notes)


def _number(value) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if value == value else None  # NaN is no number to show


def _text(value) -> str:
    return str(value).strip()[:200] if isinstance(value, str | int | float) else ""


def skill_name(key) -> str:
    """What a reader calls the skill behind an engine key: the concept's label in their
    language, or the name as typed for a free skill."""
    key = _text(key)
    if not key:
        return ""
    if key.startswith("free:"):
        return key[len("free:"):]
    return concept_label(key, str(get_locale() or "fr"))


def _label(entry: dict, key: str = "skill") -> str:
    return _text(entry.get("label")) or skill_name(entry.get(key))


def _via(entry: dict) -> tuple[str, int | None, str]:
    """(label, level, how) of the expert's skill that met a project skill."""
    via = entry.get("via")
    if isinstance(via, dict):
        return _label(via), _number(via.get("level")), _text(via.get("how"))
    return skill_name(via), _number(entry.get("level")), _text(entry.get("how"))


def _skill_sentence(entry: dict, required: bool) -> str | None:
    name = _label(entry)
    if not name:
        return None
    kind = _("required") if required else _("nice to have")
    wanted = _number(entry.get("min_level"))
    needed = (
        _("%(kind)s, level %(level)d", kind=kind, level=int(wanted)) if wanted else kind
    )
    credit = _number(entry.get("credit"))
    met = entry.get("met") if isinstance(entry.get("met"), bool) else bool(credit and credit > 0)
    if not met:
        return _("Does not show «%(skill)s» (%(needed)s).", skill=name, needed=needed)
    via, level, how = _via(entry)
    if not via or via == name and how in ("", "exact"):
        if level:
            return _("Meets «%(skill)s» (%(needed)s) at level %(level)d.",
                     skill=name, needed=needed, level=int(level))
        return _("Meets «%(skill)s» (%(needed)s).", skill=name, needed=needed)
    through = (
        _("«%(via)s» level %(level)d", via=via, level=int(level)) if level
        else _("«%(via)s»", via=via)
    )
    if how in HOW_LABELS:
        return _("Meets «%(skill)s» (%(needed)s) through %(through)s, %(how)s.",
                 skill=name, needed=needed, through=through, how=HOW_LABELS[how])
    return _("Meets «%(skill)s» (%(needed)s) through %(through)s.",
             skill=name, needed=needed, through=through)


def _percent(value: float) -> int:
    return round(max(0.0, min(1.0, value)) * 100)


def describe(explanation) -> Reasons:
    """The reasons of a suggestion: one sentence per project skill, the factors as percentages,
    and notes on fair exposure. Empty when the explanation holds nothing readable."""
    reasons = Reasons()
    if not isinstance(explanation, dict):
        return reasons
    for key, required in (("required", True), ("nice", False)):
        entries = explanation.get(key)
        for entry in entries if isinstance(entries, list) else []:
            if isinstance(entry, dict) and (sentence := _skill_sentence(entry, required)):
                reasons.skills.append(sentence)
    if not reasons.skills and isinstance(explanation.get("missing"), list):
        missing = [m for m in map(skill_name, explanation["missing"]) if m]
        if missing:
            reasons.skills.append(_("Missing: %(skills)s.", skills=", ".join(missing)))

    factors = explanation.get("factors")
    weights = explanation.get("weights") if isinstance(explanation.get("weights"), dict) else {}
    for name, part in (factors.items() if isinstance(factors, dict) else []):
        value = _number(part.get("value")) if isinstance(part, dict) else _number(part)
        if value is None:
            continue
        weight = _number(part.get("weight")) if isinstance(part, dict) else None
        weight = weight if weight is not None else _number(weights.get(name))
        label = str(FACTOR_LABELS.get(name, name.replace("_", " ")))
        reasons.factors.append(
            (label, _percent(value), _percent(weight) if weight is not None else None)
        )

    penalty = _number(explanation.get("exposure_penalty"))
    exposure = explanation.get("exposure")
    if penalty is None and isinstance(exposure, dict):
        multiplier = _number(exposure.get("multiplier"))
        penalty = 1 - multiplier if multiplier is not None else None
    if penalty and penalty > 0.005:
        reasons.notes.append(
            _("Score lowered by %(n)d %% because this expert already has several invitations "
              "waiting (so that the same few profiles are not asked for every project).",
              n=_percent(penalty))
        )
    return reasons
