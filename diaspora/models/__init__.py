"""SQLAlchemy models, one module per aggregate; importing this package registers them all."""

from diaspora.models.api_tokens import ApiToken, TokenScope
from diaspora.models.audit import AuditEntry
from diaspora.models.collaborations import (
    Collaboration,
    CollaborationRating,
    CollaborationStatus,
    HoursEntry,
    HoursStatus,
    Side,
)
from diaspora.models.contests import Contest, ContestOutcome
from diaspora.models.cvs import AttachedCv
from diaspora.models.digests import DigestItem
from diaspora.models.experts import (
    ExpertChange,
    ExpertLanguage,
    ExpertProfile,
    ExpertSkill,
    OnSiteWindow,
    ProfileSection,
    Visibility,
)
from diaspora.models.institutions import (
    Evidence,
    EvidenceLetter,
    Institution,
    InstitutionKind,
    InvitationStatus,
    MemberInvitation,
    MemberRole,
    Membership,
)
from diaspora.models.matches import Match, MatchSource, MatchStatus
from diaspora.models.notifications import Notification, NotificationPreference
from diaspora.models.outbox import OutboxMessage, OutboxStatus
from diaspora.models.projects import Project, ProjectSkill, ProjectStatus
from diaspora.models.saved_searches import AlertFrequency, SavedSearch, SavedSearchSeen
from diaspora.models.users import LoginSession, Role, User
from diaspora.models.weight_sets import WeightSet, WeightSetStatus

__all__ = [
    "AlertFrequency",
    "ApiToken",
    "AttachedCv",
    "AuditEntry",
    "Collaboration",
    "CollaborationRating",
    "CollaborationStatus",
    "Contest",
    "ContestOutcome",
    "DigestItem",
    "Evidence",
    "EvidenceLetter",
    "ExpertChange",
    "ExpertLanguage",
    "ExpertProfile",
    "ExpertSkill",
    "HoursEntry",
    "HoursStatus",
    "Institution",
    "InstitutionKind",
    "InvitationStatus",
    "LoginSession",
    "Match",
    "MatchSource",
    "MatchStatus",
    "MemberInvitation",
    "MemberRole",
    "Membership",
    "OnSiteWindow",
    "Notification",
    "NotificationPreference",
    "OutboxMessage",
    "OutboxStatus",
    "ProfileSection",
    "Project",
    "ProjectSkill",
    "ProjectStatus",
    "Role",
    "SavedSearch",
    "SavedSearchSeen",
    "Side",
    "TokenScope",
    "User",
    "WeightSet",
    "WeightSetStatus",
    "Visibility",
]
