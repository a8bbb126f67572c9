"""Deterministic demo data in the interchange format: diaspora experts, institutions, projects.

The tables are JSON files in ``data/`` beside this module, each explaining itself in its
``about`` key: skill concepts and their spellings, names, places, profile archetypes, phrases of
biographies, institutions and hand-written projects. Experts are drawn from the archetypes,
living in the diaspora's usual cities; projects come from the hand-written ones. Both name skills
from the same concepts, written the ways a person would type them, so that matching the demo
gives sensible suggestions. Every dict is accepted by ``parse_expert`` / ``parse_project``.

Tests, benchmarks and ``flask seed-demo`` rely on the same seed giving the same data, so the
order of the random draws below is part of the output: a draw added in the middle changes every
record after it.
"""

from __future__ import annotations

import importlib.resources
import json
import random
import unicodedata
from datetime import date
from typing import Any

from diaspora import geo

DEFAULT_SEED = 2027


def _load(kind: str) -> dict[str, Any]:
    data = importlib.resources.files(__package__) / "data" / f"{kind}.json"
    return json.loads(data.read_text(encoding="utf-8"))


_SKILLS: dict[str, dict[str, Any]] = _load("skills")["skills"]
_PEOPLE = _load("people")
# (Latin spelling, Arabic spelling) pairs, in the file's order so that a seed picks the same name.
_GIVEN_NAMES = {group: list(names.items()) for group, names in _PEOPLE["given_names"].items()}
_FAMILY_NAMES = {group: list(names.items()) for group, names in _PEOPLE["family_names"].items()}
_PLACES = _load("places")
_CITIES: list[dict[str, Any]] = _PLACES["cities"]
_FRENCH_SPEAKING = set(_PLACES["french_speaking_countries"])
_ENGLISH_FIRST = set(_PLACES["english_first_countries"])
_HOMETOWNS: list[str] = _PLACES["hometowns"]
_ARCHETYPES: list[dict[str, Any]] = _load("archetypes")["archetypes"]
_BIOGRAPHIES = _load("biographies")
_INSTITUTIONS: list[dict[str, str]] = _load("institutions")["institutions"]
_PROJECTS: list[dict[str, Any]] = _load("projects")["projects"]


def _spellings(skill: dict[str, Any]) -> tuple[str, ...]:
    arabic = (skill["ar"],) if "ar" in skill else ()
    return (skill["en"], skill["fr"], *skill["variants"], *arabic)


# Every way of writing each concept: English label, French label, other spellings, Arabic.
SKILL_NAMES: dict[str, tuple[str, ...]] = {
    concept: _spellings(skill) for concept, skill in _SKILLS.items()
}


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in ascii_text.lower() if ch.isalnum())


def _skill_name(rng: random.Random, concept: str, writing: str) -> str:
    """A name for a concept as this person would type it: mostly in their working language,
    sometimes another spelling, sometimes in Arabic."""
    skill = _SKILLS[concept]
    roll = rng.random()
    if roll < 0.08 and "ar" in skill:
        return skill["ar"]
    if roll < 0.30:
        return rng.choice(SKILL_NAMES[concept][2:])  # any spelling but the two labels
    return skill["fr"] if writing == "fr" else skill["en"]


def _languages(rng: random.Random, country: str, local: str | None, amazigh: bool) -> list:
    languages = [{"code": "ar", "level": rng.choice(("native", "native", "C2", "C1"))}]
    if rng.random() < 0.6:
        languages.append({"code": "ary", "level": "native"})
    if amazigh:
        code = rng.choice(("zgh", "zgh", "shi", "tzm", "rif"))
        languages.append({"code": code, "level": rng.choice(("native", "C1", "B2"))})
    french = "native" if country in _FRENCH_SPEAKING else rng.choice(("C2", "C1", "C1", "B2"))
    languages.append({"code": "fr", "level": french})
    english = "C2" if country in {"US", "GB", "IE", "AU"} else rng.choice(("C1", "B2", "B2", "C2"))
    languages.append({"code": "en", "level": english})
    if local:
        languages.append({"code": local, "level": rng.choice(("C1", "B2", "C2"))})
    elif rng.random() < 0.12:
        languages.append(
            {"code": rng.choice(("es", "de", "it")), "level": rng.choice(("A2", "B1"))}
        )
    return languages


def _weighted(rng: random.Random, items: list[dict[str, Any]]) -> dict[str, Any]:
    return rng.choices(items, weights=[item["weight"] for item in items], k=1)[0]


def _writing_language(rng: random.Random, country: str, city: str) -> str:
    """The language a person writes their profile in: mostly the one of where they live."""
    if country in _FRENCH_SPEAKING or city in ("Montréal", "Québec"):
        return rng.choice(("fr", "fr", "fr", "en", "ar"))
    if country in _ENGLISH_FIRST:
        return rng.choice(("en", "en", "fr", "ar"))
    return rng.choice(("fr", "en", "en", "ar"))


def _headline_and_bio(
    rng: random.Random, writing: str, female: bool, archetype: dict[str, Any], city: str, years: int
) -> tuple[str, str]:
    """The headline and biography, in the language the person writes in."""
    employer = rng.choice(_BIOGRAPHIES["employers"][writing])
    hometown = rng.choice(_HOMETOWNS)
    motivation = rng.choice(_BIOGRAPHIES["motivations"][writing]).format(hometown=hometown)
    title, topic = archetype["title"], archetype["topic"]
    if writing == "fr":
        title_fr = title["fr_female" if female else "fr_male"]
        bio = (
            f"{title_fr} à {city} depuis {years} ans, je travaille sur {topic['fr']}. {motivation}"
        )
        return f"{title_fr} chez {employer}", bio
    if writing == "en":
        bio = (
            f"{title['en']} based in {city} with {years} years of experience in {topic['en']}. "
            f"{motivation}"
        )
        return f"{title['en']} at {employer}", bio
    title_ar = title["ar_female" if female else "ar_male"]
    resident = "مقيمة" if female else "مقيم"
    # Arabic counts 3 to 10 with the plural, 11 and more with the singular.
    unit = "سنوات" if years <= 10 else "سنة"
    bio = f"{title_ar} {resident} في {city}، خبرة {years} {unit} في {topic['ar']}. {motivation}"
    return f"{title_ar} في {employer}", bio


def demo_experts(n: int = 320, seed: int = DEFAULT_SEED) -> list[dict[str, Any]]:
    """``n`` diaspora experts in the interchange format, the same for the same seed."""
    rng = random.Random(seed)
    experts = []
    for i in range(1, n + 1):
        archetype = _weighted(rng, _ARCHETYPES)
        place = _weighted(rng, _CITIES)
        country, city = place["country"], place["city"]
        female = rng.random() < 0.45
        amazigh = rng.random() < 0.18
        sex = "female" if female else "male"
        first_latin, first_arabic = rng.choice(_GIVEN_NAMES[f"{sex}_amazigh" if amazigh else sex])
        last_latin, last_arabic = rng.choice(_FAMILY_NAMES["amazigh" if amazigh else "common"])
        # Some people write their name in Arabic script; the email stays ASCII.
        arabic_name = rng.random() < 0.05
        full_name = (
            f"{first_arabic} {last_arabic}" if arabic_name else f"{first_latin} {last_latin}"
        )

        writing = _writing_language(rng, country, city)
        core = rng.sample(archetype["core"], k=min(len(archetype["core"]), rng.randint(4, 6)))
        extra = rng.sample(archetype["extra"], k=rng.randint(1, min(4, len(archetype["extra"]))))
        skills = [{"name": _skill_name(rng, c, writing), "level": rng.randint(3, 5)} for c in core]
        skills += [
            {"name": _skill_name(rng, c, writing), "level": rng.randint(2, 4)} for c in extra
        ]
        if rng.random() < 0.4:
            skills.append({"name": _skill_name(rng, "project_mgmt", writing), "level": 3})
        rng.shuffle(skills)

        modes = ["remote"] if rng.random() < 0.92 else []
        if rng.random() < 0.5 or not modes:
            modes.append("short_mission")
        if rng.random() < 0.15:
            modes.append("long_term")
        years = rng.randint(3, 25)
        headline, bio = _headline_and_bio(rng, writing, female, archetype, city, years)

        expert: dict[str, Any] = {
            "ref": f"E-DEMO-{i:04d}",
            "full_name": full_name,
            "email": f"{_slug(first_latin)}.{_slug(last_latin)}{i}@example.org",
            "residence": {
                "country": country,
                "city": city,
                "timezone": geo.derive_timezone(country, city),
            },
            "languages": _languages(rng, country, place["local_language"], amazigh),
            "skills": skills,
            "sectors": rng.sample(
                archetype["sectors"], k=rng.randint(1, min(3, len(archetype["sectors"])))
            ),
            "modes": modes,
            "hours_per_month": rng.choice((4, 6, 8, 10, 12, 15, 16, 20, 24, 30, 40)),
            "bio": bio,
            "consent_matching": rng.random() >= 0.03,
            "headline": headline,
            "years_experience": years,
        }
        if rng.random() < 0.4:
            expert["linkedin"] = (
                f"https://www.linkedin.com/in/{_slug(first_latin)}-{_slug(last_latin)}-{i:04d}"
            )
        if rng.random() < 0.2:
            expert["available_from"] = date(2027, rng.randint(1, 12), 1).isoformat()
        experts.append(expert)
    return experts


def demo_institutions() -> list[dict[str, str]]:
    """The institutions of the demo: name, kind (ministry, university, agency,
    public_company), email domain and city."""
    return [dict(institution) for institution in _INSTITUTIONS]


def _project_skill_name(rng: random.Random, concept: str, language: str) -> str:
    """Institutions write the English or French label, in Arabic when the project is."""
    skill = _SKILLS[concept]
    if language == "ar" and "ar" in skill:
        return skill["ar"]
    if language == "en":
        return skill["en"]
    # French-speaking offices often keep the English label.
    return rng.choice((skill["en"], skill["fr"], skill["fr"]))


def demo_projects(n: int = 25, seed: int = DEFAULT_SEED) -> list[dict[str, Any]]:
    """``n`` projects of Moroccan institutions in the interchange format, the same for the same
    seed. Beyond the hand-written ones, later phases of the same projects are added."""
    rng = random.Random(seed)
    projects = []
    for i in range(n):
        project = _PROJECTS[i % len(_PROJECTS)]
        phase = i // len(_PROJECTS)
        language = project["languages"][0]
        skills = [
            {"name": _project_skill_name(rng, concept, language), "level": level, "required": True}
            for concept, level in project["required"].items()
        ] + [
            {"name": _project_skill_name(rng, concept, language), "level": level, "required": False}
            for concept, level in project["nice_to_have"].items()
        ]
        title = project["title"]
        projects.append(
            {
                "ref": f"P-DEMO-{i + 1:03d}",
                "institution": project["institution"],
                "title": title if phase == 0 else f"{title} (phase {phase + 1})",
                "description": project["description"],
                "sector": project["sector"],
                "skills": skills,
                "languages": list(project["languages"]),
                "mode": project["mode"],
                "location": project["location"],
                "hours_per_month": rng.choice((4, 6, 8, 10, 12, 16, 20, 24, 30, 40)),
                "seats": rng.randint(1, 3),
                "starts_on": date(
                    2027 + phase, rng.randint(1, 12), rng.choice((1, 15))
                ).isoformat(),
                "duration_months": rng.choice((3, 4, 6, 6, 9, 12, 12, 18, 24)),
            }
        )
    return projects
