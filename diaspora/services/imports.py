"""Import and export of interchange files (shared/interchange.md): experts and projects.

Each line stands alone: a bad one is reported with its number and reasons and changes nothing,
the good ones are written. Importing is idempotent on `ref`: a record equal to what is stored is
counted as unchanged and not written at all (its `updated_at` stays as it was).

`import_and_rescore` is the use case every door calls (`flask import`, the admin upload page,
`flask seed-demo`): the import, then one batch rescoring, so that the stored suggestions are up
to date when it returns; or, from the upload page, that rescoring queued for the outbox worker.

Speed: lines are handled in chunks (one transaction each) with the existing rows of the chunk
loaded in two queries, skill names normalised once per distinct name, and new experts written
with bulk inserts, so that tens of thousands of lines import in seconds.
"""

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import IO

from flask import current_app
from sqlalchemy import insert, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import selectinload

from diaspora.extensions import db
from diaspora.interchange import (
    ExpertRecord,
    ProjectRecord,
    RecordError,
    count_lines,
    read_records,
    write_experts,
    write_projects,
)
from diaspora.models import (
    AuditEntry,
    ExpertLanguage,
    ExpertProfile,
    ExpertSkill,
    Institution,
    InstitutionKind,
    Project,
    ProjectSkill,
    ProjectStatus,
    Role,
    User,
)
from diaspora.models.base import utcnow
from diaspora.notifications.outbox import enqueue
from diaspora.services import accounts, audit, consent, expert_changes, rescore_jobs, rescoring
from diaspora.services.records import expert_record, project_record
from diaspora.services.skills import ResolvedSkill, normalise_skills, placement
from diaspora.services.suggestions import StageProgress
from diaspora.services.table_upkeep import after_bulk_write

KINDS = ("experts", "projects")
CHUNK_SIZE = 500
# Consent given to the registry the line comes from, not to our own consent text.
IMPORT_CONSENT_VERSION = consent.REGISTRY_VERSION
EMAIL_PROPOSED = "expert.import_email_proposed"

# Column widths of the database that the interchange format does not limit as tightly: a longer
# value is a rejected line, never a database error.
_EXPERT_LIMITS = {"full_name": 120, "residence.city": 120, "headline": 200, "linkedin": 255}
_PROJECT_LIMITS = {"institution": 200, "title": 200, "location": 120}

Progress = Callable[[int], None]
# The tables an import writes (the statistics of each are refreshed afterwards).
_WRITTEN = {
    "experts": (
        "users",
        "expert_profiles",
        "expert_skills",
        "expert_languages",
        "expert_changes",
        "audit_entries",
    ),
    "projects": ("institutions", "projects", "project_skills", "audit_entries"),
}
# The profile columns an expert line sets, read back to tell whether a line changes anything.
_PROFILE_COLUMNS = (*ExpertProfile.DESCRIPTION_COLUMNS, "consent_matching", "confirmed_at")


@dataclass
class ImportReport:
    """What an import did. `accepted` counts created and updated lines; `rejected` lists
    (line number, reasons) in file order; `notes` (line number, note) says what an imported
    line could not do (change the address of an account with a password)."""

    kind: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[tuple[int, list[str]]] = field(default_factory=list)
    notes: list[tuple[int, str]] = field(default_factory=list)
    # What rescoring after the import stored ({"projects": n, "suggestions": m}); None when no
    # line changed anything (nothing to rescore) or when rescoring failed (`rescore_failed`).
    rescored: dict[str, int] | None = None
    rescore_failed: bool = False
    # Rescoring left to the outbox worker: queued, or joining a job already waiting.
    rescore_queued: rescore_jobs.Queued | None = None

    @property
    def accepted(self) -> int:
        return self.created + self.updated

    @property
    def ok(self) -> bool:
        return not self.rejected

    def reject(self, line: int, reasons: list[str]) -> None:
        self.rejected.append((line, list(reasons)))

    def note(self, line: int, note: str) -> None:
        self.notes.append((line, note))

    def tally(self) -> tuple[int, ...]:
        return self.created, self.updated, self.unchanged, len(self.rejected), len(self.notes)

    def restore(self, tally: tuple[int, ...]) -> None:
        """Back to an earlier `tally()`: what an undone transaction had counted is forgotten."""
        self.created, self.updated, self.unchanged, rejected, notes = tally
        del self.rejected[rejected:]
        del self.notes[notes:]


class _Reject(Exception):
    """A line that parses but cannot be stored (an email of another account, too long...)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


# -- import ----------------------------------------------------------------------------------


def import_and_rescore(
    source: str | os.PathLike | IO,
    kind: str,
    progress: StageProgress | None = None,
    actor: User | None = None,
    fmt: str | None = None,
    in_background: bool = False,
) -> ImportReport:
    """Import an interchange file (see `import_records`), then bring the stored suggestions up
    to date when a line created or changed something: at once, or `in_background` by the
    outbox worker (a request cannot wait for it).

    `progress(stage, done, total)` follows the stages "import" (lines; total 0 when `source` is
    an open file), "embed" (profile texts) and "rank" (open projects). The import stands even
    if rescoring fails: the report says so, and `flask suggestions recompute` catches up.
    """
    counted = progress is not None and isinstance(source, (str, os.PathLike))
    total = count_lines(source) if counted else 0

    def on_line(line: int) -> None:
        if progress is not None:
            progress("import", line, total)

    report = import_records(source, kind, progress=on_line, actor=actor, fmt=fmt)
    if report.accepted and in_background:
        report.rescore_queued = rescore_jobs.ask()
        db.session.commit()
    elif report.accepted:
        # One batch rescoring, not one per line (20,000 rescorings).
        report.rescored = rescoring.rescore_all(progress)
        report.rescore_failed = report.rescored is None
    return report


def import_records(
    source: str | os.PathLike | IO,
    kind: str,
    progress: Progress | None = None,
    actor: User | None = None,
    fmt: str | None = None,
    chunk_size: int = CHUNK_SIZE,
) -> ImportReport:
    """Import an interchange file (path or open file, .jsonl or .csv, or `fmt`) of `kind`
    ("experts" or "projects"); `progress(line_number)` is called after each chunk.

    Experts get an account without password (email unverified, French emails) and a profile
    confirmed at import time unless the line says when. Projects are published, for an
    institution found by name or created verified (an admin imports them). Returns the report.
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}")
    report = ImportReport(kind)
    importer = (
        _ExpertImporter(report, actor) if kind == "experts" else _ProjectImporter(report, actor)
    )
    for batch, last_line in _chunks(read_records(source, kind, fmt), chunk_size):
        good = []
        for line, item in batch:
            if isinstance(item, RecordError):
                report.reject(line, item.reasons)
            else:
                good.append((line, item))
        for group in _without_repeats(good, importer.keys):
            _store(importer, report, group)
        if progress is not None:
            progress(last_line)
    report.rejected.sort()
    report.notes.sort()
    audit.record(
        actor,
        f"import.{kind}",
        None,
        created=report.created,
        updated=report.updated,
        unchanged=report.unchanged,
        rejected=len(report.rejected),
    )
    if kind == "experts" and report.accepted > expert_changes.BULK:
        expert_changes.note_all()  # every index is built again, not patched expert by expert
    db.session.commit()
    if report.accepted:
        after_bulk_write(*_WRITTEN[kind])
    return report


def _store(importer, report: ImportReport, group: list) -> None:
    """Write a group of lines in one transaction. Should the database refuse it (another
    account took an email meanwhile, a value no check foresaw), the lines are written one by
    one, so that only the line at fault is rejected and the others are still imported."""
    before = report.tally()
    try:
        importer.run(group)
        db.session.commit()
        return
    except (SQLAlchemyError, ValueError) as error:
        db.session.rollback()
        report.restore(before)
        importer.forget()
        reason = f"could not be stored ({type(getattr(error, 'orig', None) or error).__name__})"
    if len(group) == 1:
        report.reject(group[0][0], [reason])
        return
    for line in group:
        _store(importer, report, [line])


def _chunks(items: Iterator, size: int) -> Iterator[tuple[list, int]]:
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch, batch[-1][0]
            batch = []
    if batch:
        yield batch, batch[-1][0]


def _without_repeats(lines: list, keys: Callable) -> Iterator[list]:
    """Split a chunk so that no ref (or email) appears twice in a group: a later line for the
    same expert then sees the earlier one stored, as if the lines were imported one by one."""
    group: list = []
    seen: set = set()
    for line, record in lines:
        mine = set(keys(record))
        if mine & seen:
            yield group
            group, seen = [], set()
        group.append((line, record))
        seen |= mine
    if group:
        yield group


def _naive_utc(moment: datetime | None) -> datetime | None:
    return moment.astimezone(UTC).replace(tzinfo=None) if moment else None


def _check_lengths(record, limits: dict[str, int]) -> None:
    for path, limit in limits.items():
        value = record
        for part in path.split("."):
            value = getattr(value, part)
        if value and len(value) > limit:
            raise _Reject(f"{path} is too long ({len(value)} characters, at most {limit})")


class _SkillPlacer:
    """Skill names to taxonomy concepts, each distinct name normalised once per import."""

    def __init__(self) -> None:
        self._known: dict[str, ResolvedSkill] = {}

    def prepare(self, names: Iterable[str]) -> None:
        missing = list(dict.fromkeys(n for n in names if n not in self._known))
        self._known.update(zip(missing, normalise_skills(missing), strict=True))

    def fields(self, name: str) -> dict:
        return placement(self._known[name])


def _audit_rows(actor: User | None, action: str, subject_type: str, rows) -> list[dict]:
    now = utcnow()
    actor_id = getattr(actor, "id", None)
    return [
        {
            "created_at": now,
            "actor_id": actor_id,
            "action": action,
            "subject_type": subject_type,
            "subject_id": subject_id,
            "details": details,
        }
        for subject_id, details in rows
    ]


class _ExpertImporter:
    def __init__(self, report: ImportReport, actor: User | None) -> None:
        self.report = report
        self.actor = actor
        self.skills = _SkillPlacer()

    def forget(self) -> None:
        """Nothing to forget: each group reads what it compares with."""

    @staticmethod
    def keys(record: ExpertRecord) -> tuple:
        return (("ref", record.ref), ("email", record.email.lower()))

    def run(self, lines: list[tuple[int, ExpertRecord]]) -> None:
        refs = [r.ref for _, r in lines]
        emails = [r.email.lower() for _, r in lines]
        # Plain rows, not ORM objects: most lines of a re-import are unchanged, and comparing
        # rows is several times faster than loading profiles with their collections.
        stored = {
            row.ref: row
            for row in db.session.execute(
                select(
                    ExpertProfile.id,
                    ExpertProfile.ref,
                    User.full_name,
                    User.email,
                    User.password_hash.is_not(None).label("has_password"),
                    *(getattr(ExpertProfile, name) for name in _PROFILE_COLUMNS),
                )
                .join(User, User.id == ExpertProfile.user_id)
                .where(ExpertProfile.ref.in_(refs))
            )
        }
        ids = [row.id for row in stored.values()]
        languages: dict[int, list] = {}
        for expert_id, code, level in db.session.execute(
            select(ExpertLanguage.expert_id, ExpertLanguage.code, ExpertLanguage.level).where(
                ExpertLanguage.expert_id.in_(ids)
            )
        ):
            languages.setdefault(expert_id, []).append((code, level))
        skills: dict[int, list] = {}
        for expert_id, name, level in db.session.execute(
            select(ExpertSkill.expert_id, ExpertSkill.name, ExpertSkill.level)
            .where(ExpertSkill.expert_id.in_(ids))
            .order_by(ExpertSkill.id)
        ):
            skills.setdefault(expert_id, []).append((name, level))
        owners = {
            email: (user_id, ref)
            for email, user_id, ref in db.session.execute(
                select(User.email, User.id, ExpertProfile.ref)
                .outerjoin(ExpertProfile, ExpertProfile.user_id == User.id)
                .where(User.email.in_(emails))
            )
        }
        new: list[tuple[int, ExpertRecord]] = []
        changed: list[tuple[int, ExpertRecord, ExpertProfile]] = []
        proposed: list[tuple[int, int, str]] = []
        for line, record in lines:
            try:
                _check_lengths(record, _EXPERT_LIMITS)
                owner = owners.get(record.email.lower())
                row = stored.get(record.ref)
                if owner is not None and owner[1] != record.ref:
                    raise _Reject(f"email {record.email!r} belongs to another account")
                if row is not None and row.has_password and row.email != record.email.lower():
                    # The address someone logs in with, and where password resets go: an
                    # import may only propose another one (see _propose_email).
                    proposed.append((line, row.id, record.email.lower()))
                    record = replace(record, email=row.email)
                if row is None:
                    new.append((line, record))
                elif _expert_state(record) == _stored_expert_state(
                    row, languages.get(row.id, []), skills.get(row.id, []), record
                ):
                    self.report.unchanged += 1
                else:
                    changed.append((line, record, db.session.get(ExpertProfile, row.id)))
            except _Reject as rejected:
                self.report.reject(line, [rejected.reason])
        self.skills.prepare(s.name for _, record, *_rest in (*new, *changed) for s in record.skills)
        self._create([record for _, record in new])
        for _, record, profile in changed:
            self._update(record, profile)
        for line, profile_id, email in proposed:
            self._propose_email(line, db.session.get(ExpertProfile, profile_id).user, email)

    def _create(self, records: list[ExpertRecord]) -> None:
        if not records:
            return
        now = utcnow()
        user_ids = db.session.scalars(
            insert(User).returning(User.id, sort_by_parameter_order=True),
            [
                {
                    "email": r.email.lower(),
                    "full_name": r.full_name,
                    "role": Role.EXPERT,
                    "locale": "fr",
                    "password_hash": None,
                    "email_verified_at": None,
                    "created_at": now,
                }
                for r in records
            ],
        ).all()
        profile_ids = db.session.scalars(
            insert(ExpertProfile).returning(ExpertProfile.id, sort_by_parameter_order=True),
            [
                {
                    "user_id": user_id,
                    "ref": r.ref,
                    **_profile_fields(r, now),
                    "consent_version": IMPORT_CONSENT_VERSION if r.consent_matching else None,
                    "consent_at": now if r.consent_matching else None,
                    "created_at": now,
                    "updated_at": now,
                }
                for user_id, r in zip(user_ids, records, strict=True)
            ],
        ).all()
        expert_changes.note(*profile_ids)
        languages = [
            {"expert_id": pid, "code": lang.code, "level": lang.level}
            for pid, r in zip(profile_ids, records, strict=True)
            for lang in r.languages
        ]
        skills = [
            {"expert_id": pid, "name": s.name, "level": s.level, **self.skills.fields(s.name)}
            for pid, r in zip(profile_ids, records, strict=True)
            for s in r.skills
        ]
        if languages:
            db.session.execute(insert(ExpertLanguage), languages)
        if skills:
            db.session.execute(insert(ExpertSkill), skills)
        db.session.execute(
            insert(AuditEntry),
            _audit_rows(
                self.actor,
                "expert.imported",
                "expertprofile",
                [(pid, {"ref": r.ref}) for pid, r in zip(profile_ids, records, strict=True)],
            ),
        )
        self.report.created += len(records)

    def _update(self, record: ExpertRecord, profile: ExpertProfile) -> None:
        now = utcnow()
        user = profile.user
        user.full_name = record.full_name
        if user.email != record.email.lower():  # an account nobody has claimed yet
            user.email = record.email.lower()
            user.email_verified_at = None  # whatever was proven was the old address
        consent_before = profile.consent_matching
        for name, value in _profile_fields(record, now).items():
            setattr(profile, name, value)
        if record.consent_matching != consent_before:
            profile.consent_version = IMPORT_CONSENT_VERSION
            profile.consent_at = now
        wanted_languages = sorted((lang.code, lang.level) for lang in record.languages)
        if sorted((lang.code, lang.level) for lang in profile.languages) != wanted_languages:
            profile.languages.clear()
            db.session.flush()  # the unique (expert, code) pair must be free before re-adding
            profile.languages.extend(ExpertLanguage(code=c, level=lv) for c, lv in wanted_languages)
        wanted_skills = [(s.name, s.level) for s in record.skills]
        if [(s.name, s.level) for s in profile.skills] != wanted_skills:
            kept = {s.name: s for s in profile.skills}
            profile.skills = [
                ExpertSkill(
                    name=s.name,
                    level=s.level,
                    **(placement(kept[s.name]) if s.name in kept else self.skills.fields(s.name)),
                )
                for s in record.skills
            ]
        audit.record(self.actor, "expert.import_updated", profile, ref=profile.ref)
        expert_changes.note(profile.id)
        self.report.updated += 1

    def _propose_email(self, line: int, user: User, email: str) -> None:
        """Ask the owner of an account with a password to confirm a new address from an import:
        a confirmation link goes to the new address (the flow of the account page) and a word
        to the current one. Once per address while the link is valid, however often the file
        is imported again."""
        since = utcnow() - timedelta(seconds=current_app.config["VERIFY_TOKEN_MAX_AGE"])
        earlier = db.session.scalars(
            select(AuditEntry.details).where(
                AuditEntry.action == EMAIL_PROPOSED,
                AuditEntry.subject_type == "user",
                AuditEntry.subject_id == user.id,
                AuditEntry.created_at >= since,
            )
        )
        refused = f"email {email!r} not applied: the account has a password"
        if any(details.get("new") == email for details in earlier):
            self.report.note(line, f"{refused}, and the link sent to that address is pending")
            return
        accounts.send_verification(user, email)
        hours = current_app.config["VERIFY_TOKEN_MAX_AGE"] // 3600
        enqueue("email_change_proposed", user.email, user.locale, user=user, new_email=email,
                hours=hours)  # fmt: skip
        audit.record(self.actor, EMAIL_PROPOSED, user, new=email)
        told = "a confirmation link was sent to that address and the current one was told"
        self.report.note(line, f"{refused}, so {told}")


def _profile_fields(r: ExpertRecord, now: datetime) -> dict:
    return {
        "headline": r.headline or "",
        "bio": r.bio,
        "country": r.residence.country,
        "city": r.residence.city,
        "timezone": r.residence.timezone,
        "sectors": list(r.sectors),
        "modes": list(r.modes),
        "hours_per_month": r.hours_per_month,
        "linkedin": r.linkedin,
        "years_experience": r.years_experience,
        "available_from": r.available_from,
        "consent_matching": r.consent_matching,
        # An import confirms the profile as of now, unless the line says when it was.
        "confirmed_at": _naive_utc(r.confirmed_at) or now,
    }


def _expert_state(r: ExpertRecord) -> tuple:
    return (
        r.full_name,
        r.email.lower(),
        r.residence.country,
        r.residence.city,
        r.residence.timezone,
        tuple(sorted((lang.code, lang.level) for lang in r.languages)),
        tuple((s.name, s.level) for s in r.skills),
        tuple(r.sectors),
        tuple(r.modes),
        r.hours_per_month,
        r.bio,
        r.consent_matching,
        r.headline or "",
        r.linkedin,
        r.years_experience,
        r.available_from,
        _naive_utc(r.confirmed_at),
    )


def _stored_expert_state(row, languages: list, skills: list, r: ExpertRecord) -> tuple:
    # A line without confirmed_at says nothing about it: the stored date is not a difference.
    return (
        row.full_name,
        row.email,
        row.country,
        row.city,
        row.timezone,
        tuple(sorted(languages)),
        tuple(skills),
        tuple(row.sectors or ()),
        tuple(row.modes or ()),
        row.hours_per_month,
        row.bio,
        row.consent_matching,
        row.headline or "",
        row.linkedin,
        row.years_experience,
        row.available_from,
        row.confirmed_at if r.confirmed_at is not None else None,
    )


class _ProjectImporter:
    def __init__(self, report: ImportReport, actor: User | None) -> None:
        self.report = report
        self.actor = actor
        self.skills = _SkillPlacer()
        self.forget()

    def forget(self) -> None:
        """Read the institutions again: those created by an undone transaction are gone."""
        self.institutions = {i.name.casefold(): i for i in db.session.scalars(select(Institution))}

    @staticmethod
    def keys(record: ProjectRecord) -> tuple:
        return (("ref", record.ref),)

    def run(self, lines: list[tuple[int, ProjectRecord]]) -> None:
        refs = [r.ref for _, r in lines]
        stored = {
            p.ref: p
            for p in db.session.scalars(
                select(Project)
                .where(Project.ref.in_(refs))
                .options(selectinload(Project.skills), selectinload(Project.institution))
            )
        }
        todo = []
        for line, record in lines:
            try:
                _check_lengths(record, _PROJECT_LIMITS)
            except _Reject as rejected:
                self.report.reject(line, [rejected.reason])
                continue
            project = stored.get(record.ref)
            stored_state = None if project is None else _project_state(project_record(project))
            if _project_state(record) == stored_state:
                self.report.unchanged += 1
            else:
                todo.append((record, project))
        self.skills.prepare(s.name for record, _ in todo for s in record.skills)
        for record, project in todo:
            self._write(record, project)

    def _institution(self, name: str) -> Institution:
        institution = self.institutions.get(name.casefold())
        if institution is None:
            # Imported by an admin from an official registry: verified from the start.
            institution = Institution(
                name=name,
                kind=InstitutionKind.OTHER,
                verified_at=utcnow(),
                verified_by_id=getattr(self.actor, "id", None),
            )
            db.session.add(institution)
            db.session.flush()
            audit.record(self.actor, "institution.imported", institution, name=name)
            self.institutions[name.casefold()] = institution
        return institution

    def _write(self, record: ProjectRecord, project: Project | None) -> None:
        institution = self._institution(record.institution)
        creating = project is None
        if creating:
            project = Project(
                ref=record.ref,
                status=ProjectStatus.PUBLISHED,
                published_at=utcnow(),
                created_by_id=getattr(self.actor, "id", None),
            )
            db.session.add(project)
        project.institution = institution
        project.title = record.title
        project.description = record.description
        project.sector = record.sector
        project.mode = record.mode
        project.location = record.location
        project.languages = list(record.languages)
        project.hours_per_month = record.hours_per_month
        project.seats = record.seats
        project.starts_on = record.starts_on
        project.duration_months = record.duration_months
        wanted = [(s.name, s.level, s.required) for s in record.skills]
        if creating or [(s.name, s.level, s.required) for s in project.skills] != wanted:
            kept = {s.name: s for s in project.skills} if not creating else {}
            project.skills = [
                ProjectSkill(
                    name=name,
                    level=level,
                    required=required,
                    **(placement(kept[name]) if name in kept else self.skills.fields(name)),
                )
                for name, level, required in wanted
            ]
        db.session.flush()
        audit.record(
            self.actor,
            "project.imported" if creating else "project.import_updated",
            project,
            ref=project.ref,
        )
        if creating:
            self.report.created += 1
        else:
            self.report.updated += 1


def _project_state(r: ProjectRecord) -> tuple:
    return (
        r.institution.casefold(),
        r.title,
        r.description,
        r.sector,
        tuple((s.name, s.level, s.required) for s in r.skills),
        tuple(r.languages),
        r.mode,
        r.location,
        r.hours_per_month,
        r.seats,
        r.starts_on,
        r.duration_months,
    )


# -- export ----------------------------------------------------------------------------------


def _exportable_experts() -> Iterator[ExpertRecord]:
    # Profiles still being filled in (no country yet) are not records of the format.
    query = (
        select(ExpertProfile)
        .where(ExpertProfile.country != "")
        .options(
            selectinload(ExpertProfile.user),
            selectinload(ExpertProfile.languages),
            selectinload(ExpertProfile.skills),
        )
        .order_by(ExpertProfile.id)
        .execution_options(yield_per=CHUNK_SIZE)
    )
    for profile in db.session.scalars(query):
        yield expert_record(profile)


def _exportable_projects() -> Iterator[ProjectRecord]:
    # Drafts belong to their institution until published.
    query = (
        select(Project)
        .where(Project.status != ProjectStatus.DRAFT)
        .where(Project.skills.any())
        .options(selectinload(Project.skills), selectinload(Project.institution))
        .order_by(Project.id)
    )
    for project in db.session.scalars(query):
        yield project_record(project)


def export_records(kind: str, target: str | os.PathLike | IO, fmt: str | None = None) -> int:
    """Write every expert (with a residence) or every published or closed project to `target`
    as JSON Lines or CSV (from its extension, or `fmt`); return how many were written."""
    if kind == "experts":
        return write_experts(_exportable_experts(), target, fmt)
    if kind == "projects":
        return write_projects(_exportable_projects(), target, fmt)
    raise ValueError(f"kind must be one of {KINDS}")
