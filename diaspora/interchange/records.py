"""The validated records of the interchange format (shared/interchange.md).

Frozen dataclasses with tuples for lists, so records compare by value and can be hashed.
They are only built by :mod:`diaspora.interchange.parsing`, which guarantees every invariant.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


class RecordError(ValueError):
    """A record that cannot be accepted; ``reasons`` are human messages naming the fields."""

    def __init__(self, reasons: list[str], ref: str | None = None) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = reasons
        self.ref = ref

    def __repr__(self) -> str:
        return f"RecordError({self.reasons!r}, ref={self.ref!r})"


@dataclass(frozen=True, slots=True)
class Residence:
    country: str  # ISO 3166-1 alpha-2, upper case
    city: str = ""
    timezone: str | None = None  # IANA name, given or derived; None when ambiguous


@dataclass(frozen=True, slots=True)
class LanguageLevel:
    code: str  # ISO 639-1, else 639-3, lower case
    level: str  # A1…C2 or "native"


@dataclass(frozen=True, slots=True)
class ExpertSkillRecord:
    name: str  # as typed; the taxonomy normalises it later
    level: int  # 1…5


@dataclass(frozen=True, slots=True)
class ProjectSkillRecord:
    name: str
    level: int  # the minimum wanted, 1…5
    required: bool = True


@dataclass(frozen=True, slots=True)
class ExpertRecord:
    ref: str
    full_name: str
    email: str
    residence: Residence
    languages: tuple[LanguageLevel, ...]
    skills: tuple[ExpertSkillRecord, ...]
    sectors: tuple[str, ...]
    modes: tuple[str, ...]
    hours_per_month: int
    bio: str
    consent_matching: bool
    headline: str | None = None
    linkedin: str | None = None
    years_experience: int | None = None
    available_from: date | None = None
    confirmed_at: datetime | None = None  # aware, UTC


@dataclass(frozen=True, slots=True)
class ProjectRecord:
    ref: str
    institution: str
    title: str
    description: str
    sector: str
    skills: tuple[ProjectSkillRecord, ...]
    languages: tuple[str, ...]
    mode: str
    location: str
    hours_per_month: int
    seats: int
    starts_on: date | None = None
    duration_months: int | None = None
