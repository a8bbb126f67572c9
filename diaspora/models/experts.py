from datetime import date, datetime

from sqlalchemy import JSON, BigInteger, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from diaspora.extensions import db
from diaspora.models.base import TextVectorMixin, utcnow


class Visibility:
    # Verified institutions may browse the profile; contact details still wait for an acceptance.
    INSTITUTIONS = "institutions"
    # Only admins see it, and it is reached through invitations alone.
    PRIVATE = "private"
    ALL = (INSTITUTIONS, PRIVATE)


class ProfileSection:
    """Parts of a profile an expert may keep from verified institutions, in search results and
    on the profile page (admins always see them). The name, headline, country, skills as
    recognised, sectors and ways of working always show: institutions search by them."""

    CITY = "city"
    BIO = "bio"  # the bio and the years of experience
    SKILL_LEVELS = "skill_levels"  # the level of each skill, and its name as typed
    LANGUAGES = "languages"
    AVAILABILITY = "availability"  # hours a month, and the date from which they are available
    CV = "cv"  # the CV file they attached (services/cv.py)
    COLLABORATIONS = "collaborations"  # the projects they worked on (services/collaborations.py)
    ALL = (CITY, BIO, SKILL_LEVELS, LANGUAGES, AVAILABILITY, CV, COLLABORATIONS)


# Most projects fit a profile at under 50; a few in a hundred reach 70, which is when an email
# about a new one is worth reading.
DEFAULT_ALERT_MIN_SCORE = 70


class ExpertProfile(TextVectorMixin, db.Model):
    __tablename__ = "expert_profiles"
    # The columns in which experts describe themselves, one value each: what the profile page
    # and an imported line both set (languages, skills and consent have rules of their own).
    DESCRIPTION_COLUMNS = (
        "country",
        "city",
        "timezone",
        "sectors",
        "modes",
        "hours_per_month",
        "headline",
        "bio",
        "linkedin",
        "years_experience",
        "available_from",
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    ref: Mapped[str] = mapped_column(String(64), unique=True)
    headline: Mapped[str] = mapped_column(String(200), default="")
    bio: Mapped[str] = mapped_column(Text, default="")
    country: Mapped[str] = mapped_column(String(2), default="")
    city: Mapped[str] = mapped_column(String(120), default="")
    timezone: Mapped[str | None] = mapped_column(String(64))
    sectors: Mapped[list] = mapped_column(JSON, default=list)
    modes: Mapped[list] = mapped_column(JSON, default=list)
    hours_per_month: Mapped[int] = mapped_column(default=0)
    linkedin: Mapped[str | None] = mapped_column(String(255))
    years_experience: Mapped[int | None]
    available_from: Mapped[date | None]
    consent_matching: Mapped[bool] = mapped_column(default=False)
    consent_version: Mapped[str | None] = mapped_column(String(32))
    consent_at: Mapped[datetime | None]
    visibility: Mapped[str] = mapped_column(String(16), default=Visibility.INSTITUTIONS)
    # The ProfileSection values this expert keeps from institutions (none: they see them all).
    hidden_sections: Mapped[list] = mapped_column(JSON, default=list)
    # Email me when a newly published project fits me at least this well (a score out of 100);
    # None: no such emails.
    alert_min_score: Mapped[int | None] = mapped_column(default=DEFAULT_ALERT_MIN_SCORE)
    # When: "instant" (an email per project) or "weekly" (in the digest); AlertFrequency.
    alert_frequency: Mapped[str] = mapped_column(String(8), default="instant")
    confirmed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    user: Mapped["User"] = relationship(back_populates="expert")  # noqa: F821
    languages: Mapped[list["ExpertLanguage"]] = relationship(
        back_populates="expert", cascade="all, delete-orphan", order_by="ExpertLanguage.id"
    )
    skills: Mapped[list["ExpertSkill"]] = relationship(
        back_populates="expert", cascade="all, delete-orphan", order_by="ExpertSkill.id"
    )
    on_site_windows: Mapped[list["OnSiteWindow"]] = relationship(
        back_populates="expert",
        cascade="all, delete-orphan",
        order_by="OnSiteWindow.starts_on, OnSiteWindow.id",
    )


class OnSiteWindow(db.Model):
    """A period the expert will be in Morocco, both days included, in one of its cities
    (`geo.MOROCCAN_CITIES`, by the name shown): on-site projects then can find them."""

    __tablename__ = "on_site_windows"

    id: Mapped[int] = mapped_column(primary_key=True)
    expert_id: Mapped[int] = mapped_column(
        ForeignKey("expert_profiles.id", ondelete="CASCADE"), index=True
    )
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    city: Mapped[str] = mapped_column(String(64))

    expert: Mapped[ExpertProfile] = relationship(back_populates="on_site_windows")


class ExpertLanguage(db.Model):
    __tablename__ = "expert_languages"
    __table_args__ = (UniqueConstraint("expert_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    expert_id: Mapped[int] = mapped_column(
        ForeignKey("expert_profiles.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(3))
    level: Mapped[str] = mapped_column(String(6))

    expert: Mapped[ExpertProfile] = relationship(back_populates="languages")


class ExpertSkill(db.Model):
    """A skill as the expert typed it, with the taxonomy concept it was normalised to."""

    __tablename__ = "expert_skills"

    id: Mapped[int] = mapped_column(primary_key=True)
    expert_id: Mapped[int] = mapped_column(
        ForeignKey("expert_profiles.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[int] = mapped_column(default=3)
    concept_id: Mapped[str | None] = mapped_column(String(64), index=True)
    method: Mapped[str] = mapped_column(String(16), default="free")
    confidence: Mapped[float] = mapped_column(Float, default=0.0)

    expert: Mapped[ExpertProfile] = relationship(back_populates="skills")


class ExpertChange(db.Model):
    """One committed change to what the matching engine reads of an expert (profile, consent,
    pending invitations, erasure), numbered in commit order: each process's index applies the
    changes after the last it saw (services/expert_changes.py). No foreign key: an erased
    expert's id must stay, so that every index drops them. A NULL expert_id stands for many
    experts at once (a large import): every index is then built again."""

    __tablename__ = "expert_changes"

    # SQLite numbers rows itself only in a column declared INTEGER.
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    expert_id: Mapped[int | None]
