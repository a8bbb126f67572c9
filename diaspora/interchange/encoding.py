"""Records back to the exact JSON objects of the interchange format.

Keys come in the order of shared/interchange.md; optional fields are left out when empty.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from diaspora.interchange.records import ExpertRecord, ProjectRecord


def format_timestamp(moment: datetime) -> str:
    """ISO 8601 in UTC with a ``Z`` suffix, the form other tools parse most reliably."""
    return moment.isoformat().replace("+00:00", "Z")


def expert_to_dict(record: ExpertRecord) -> dict[str, Any]:
    """The interchange JSON object of an expert; ``parse_expert`` of it gives ``record`` back."""
    residence: dict[str, Any] = {"country": record.residence.country, "city": record.residence.city}
    if record.residence.timezone:
        residence["timezone"] = record.residence.timezone
    obj: dict[str, Any] = {
        "ref": record.ref,
        "full_name": record.full_name,
        "email": record.email,
        "residence": residence,
        "languages": [{"code": lang.code, "level": lang.level} for lang in record.languages],
        "skills": [{"name": skill.name, "level": skill.level} for skill in record.skills],
        "sectors": list(record.sectors),
        "modes": list(record.modes),
        "hours_per_month": record.hours_per_month,
        "bio": record.bio,
        "consent_matching": record.consent_matching,
    }
    if record.headline:
        obj["headline"] = record.headline
    if record.linkedin:
        obj["linkedin"] = record.linkedin
    if record.years_experience is not None:
        obj["years_experience"] = record.years_experience
    if record.available_from is not None:
        obj["available_from"] = record.available_from.isoformat()
    if record.confirmed_at is not None:
        obj["confirmed_at"] = format_timestamp(record.confirmed_at)
    return obj


def project_to_dict(record: ProjectRecord) -> dict[str, Any]:
    """The interchange JSON object of a project; ``parse_project`` of it gives ``record`` back."""
    obj: dict[str, Any] = {
        "ref": record.ref,
        "institution": record.institution,
        "title": record.title,
        "description": record.description,
        "sector": record.sector,
        "skills": [
            {"name": skill.name, "level": skill.level, "required": skill.required}
            for skill in record.skills
        ],
        "languages": list(record.languages),
        "mode": record.mode,
        "location": record.location,
        "hours_per_month": record.hours_per_month,
        "seats": record.seats,
    }
    if record.starts_on is not None:
        obj["starts_on"] = record.starts_on.isoformat()
    if record.duration_months is not None:
        obj["duration_months"] = record.duration_months
    return obj
