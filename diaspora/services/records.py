"""Stored experts and projects as interchange records (shared/interchange.md).

What the exporters, the personal-data export and anything else that speaks the interchange
format read; the importer turns records into rows.
"""

from __future__ import annotations

from dataclasses import fields
from datetime import UTC

from diaspora.interchange import (
    ExpertRecord,
    ExpertSkillRecord,
    LanguageLevel,
    ProjectRecord,
    Residence,
)
from diaspora.models import ExpertProfile, Project
from diaspora.services import projects


def expert_record(profile: ExpertProfile) -> ExpertRecord:
    """A stored expert as an interchange record."""
    user = profile.user
    return ExpertRecord(
        ref=profile.ref,
        full_name=user.full_name,
        email=user.email,
        residence=Residence(profile.country, profile.city, profile.timezone),
        languages=tuple(LanguageLevel(lang.code, lang.level) for lang in profile.languages),
        skills=tuple(ExpertSkillRecord(s.name, s.level) for s in profile.skills),
        sectors=tuple(profile.sectors or ()),
        modes=tuple(profile.modes or ()),
        hours_per_month=profile.hours_per_month,
        bio=profile.bio,
        consent_matching=profile.consent_matching,
        headline=profile.headline or None,
        linkedin=profile.linkedin,
        years_experience=profile.years_experience,
        available_from=profile.available_from,
        confirmed_at=profile.confirmed_at.replace(tzinfo=UTC) if profile.confirmed_at else None,
    )


def project_record(project: Project) -> ProjectRecord:
    """A stored project as an interchange record: its reference, its institution and the
    fields `projects.info_of` reads."""
    info = projects.info_of(project)
    return ProjectRecord(
        ref=project.ref,
        institution=project.institution.name,
        **{
            field.name: getattr(info, field.name)
            for field in fields(info)
            if field.name not in projects.NOT_INTERCHANGED
        },
    )
