from datetime import date, datetime

from sqlalchemy import JSON, Float, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from diaspora.extensions import db
from diaspora.models.base import TextVectorMixin, utcnow


class ProjectStatus:
    DRAFT = "draft"
    PUBLISHED = "published"
    CLOSED = "closed"
    ALL = (DRAFT, PUBLISHED, CLOSED)


class Project(TextVectorMixin, db.Model):
    __tablename__ = "projects"

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(64), unique=True)
    institution_id: Mapped[int] = mapped_column(
        ForeignKey("institutions.id", ondelete="CASCADE"), index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    sector: Mapped[str] = mapped_column(String(32))
    mode: Mapped[str] = mapped_column(String(16))
    location: Mapped[str] = mapped_column(String(120), default="")
    languages: Mapped[list] = mapped_column(JSON, default=list)
    hours_per_month: Mapped[int] = mapped_column(default=0)
    seats: Mapped[int] = mapped_column(default=1)
    starts_on: Mapped[date | None]
    duration_months: Mapped[int | None]
    # The project can start later than `starts_on` for the right expert: experts available only
    # after that day are still proposed.
    flexible_start: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(16), default=ProjectStatus.DRAFT, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    published_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]

    institution: Mapped["Institution"] = relationship()  # noqa: F821
    created_by: Mapped["User | None"] = relationship()  # noqa: F821
    skills: Mapped[list["ProjectSkill"]] = relationship(
        back_populates="project", cascade="all, delete-orphan", order_by="ProjectSkill.id"
    )

    @property
    def required_skills(self):
        return [s for s in self.skills if s.required]

    @property
    def nice_skills(self):
        return [s for s in self.skills if not s.required]


class ProjectSkill(db.Model):
    __tablename__ = "project_skills"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[int] = mapped_column(default=3)
    required: Mapped[bool] = mapped_column(default=True)
    concept_id: Mapped[str | None] = mapped_column(String(64), index=True)
    method: Mapped[str] = mapped_column(String(16), default="free")
    confidence: Mapped[float] = mapped_column(Float, default=0.0)

    project: Mapped[Project] = relationship(back_populates="skills")
