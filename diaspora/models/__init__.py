"""SQLAlchemy models, one module per aggregate; importing this package registers them all."""

from diaspora.models.api_tokens import ApiToken, TokenScope
from diaspora.models.audit import AuditEntry
from diaspora.models.cvs import AttachedCv
from diaspora.models.experts import (
    ExpertChange,
    ExpertLanguage,
    ExpertProfile,
    ExpertSkill,
    OnSiteWindow,
    ProfileSection,
    Visibility,
)
from diaspora.models.institutions import Institution, InstitutionKind, Membership
from diaspora.models.matches import Match, MatchSource, MatchStatus
from diaspora.models.outbox import OutboxMessage, OutboxStatus
from diaspora.models.projects import Project, ProjectSkill, ProjectStatus
from diaspora.models.users import LoginSession, Role, User

__all__ = [
    "ApiToken",
    "AttachedCv",
    "AuditEntry",
    "ExpertChange",
    "ExpertLanguage",
    "ExpertProfile",
    "ExpertSkill",
    "Institution",
    "InstitutionKind",
    "LoginSession",
    "Match",
    "MatchSource",
    "MatchStatus",
    "Membership",
    "OnSiteWindow",
    "OutboxMessage",
    "OutboxStatus",
    "ProfileSection",
    "Project",
    "ProjectSkill",
    "ProjectStatus",
    "Role",
    "TokenScope",
    "User",
    "Visibility",
]
