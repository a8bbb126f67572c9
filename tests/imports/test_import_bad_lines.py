"""Lines built to break the importer (deep nesting, huge numbers, dates out of range, numbers
for text, NUL bytes, invalid UTF-8) are each rejected with their reason, on the command line
and on the upload page: the lines around them are imported and the audit log records the
import. Nothing answers 500 and nothing is half written."""

import io
import json

import pytest
from sqlalchemy import event, insert

from diaspora.extensions import db
from diaspora.models import AuditEntry, ExpertProfile, Institution, Project, Role, User
from diaspora.models.base import utcnow
from tests.interchange.test_interchange_files import good_expert


def expert_line(ref: str, /, **changes) -> bytes:
    obj = {**good_expert(ref=ref, email=f"{ref.lower()}@example.org"), **changes}
    return json.dumps(obj).encode()


def bad(**changes) -> bytes:
    return expert_line("E-2", **changes)


def spliced(field: str, raw: str) -> bytes:
    """A good line whose `field` holds `raw`, written as is (not valid JSON on purpose)."""
    return bad().replace(b'"hours_per_month": 10', f'"{field}": {raw}'.encode())


DEEP = 100_000
JSONL_CASES = {
    "nested arrays": ("[" * DEEP + "]" * DEEP).encode(),
    "nested in a field": spliced("skills", "[" * DEEP + "]" * DEEP),
    "nested objects": spliced("bio", '{"a":' * DEEP + "1" + "}" * DEEP),
    "a number of 5000 digits": spliced("hours_per_month", "9" * 5000),
    "a number of 4000 digits": spliced("hours_per_month", "9" * 4000),
    "a float beyond range": spliced("hours_per_month", "1e999"),
    "date 99999-01-01": bad(available_from="99999-01-01"),
    "timestamp 99999-01-01": bad(confirmed_at="99999-01-01T00:00:00Z"),
    "timestamp past year 9999 in UTC": bad(confirmed_at="9999-12-31T23:59:59-05:00"),
    "timestamp before year 1 in UTC": bad(confirmed_at="0001-01-01T00:00:00+05:00"),
    "timestamp in year 9999": bad(confirmed_at="9999-12-31T23:30:00Z"),
    "date in year 0226": bad(available_from="0226-03-01"),
    "a number for the name": bad(full_name=5),
    "a number for the email": bad(email=5),
    "a number for the ref": bad(ref=12345),
    "a number for the city": bad(residence={"country": "FR", "city": 75}),
    "a number for a skill": bad(skills=[{"name": 42, "level": 3}]),
    "a number for the bio": bad(bio=7),
    "NUL in the name": bad(full_name="Salma\u0000 Bennani"),
    "NUL in the bio": bad(bio="line one\u0000\nline two"),
    "NUL in a skill": bad(skills=[{"name": "python\u0000", "level": 3}]),
    "NUL in the ref": bad(ref="E-\u00002"),
    "a raw NUL byte": bad().replace(b'"Youssef', b'"You\x00ssef'),
    "invalid UTF-8 bytes": bad().replace(b"Youssef", b"Yous\xff\xfesef"),
    "a lone high surrogate": bad().replace(b"Youssef", b"Yous\\ud800sef"),
    "a lone low surrogate in a skill": bad().replace(b"machine", b"mach\\udc80ine"),
}
CSV_HEADER = (
    b"ref,full_name,email,residence.country,languages,skills,sectors,modes,"
    b"hours_per_month,consent_matching,available_from,confirmed_at\n"
)


def csv_row(ref: str, hours=b"10", available=b"", confirmed=b"", name=b"Youssef Alaoui") -> bytes:
    email = f"{ref.lower()}@example.org".encode()
    cells = [
        ref.encode(),
        name,
        email,
        b"FR",
        b"fr:C2",
        b"python:3",
        b"health",
        b"remote",
        hours,
        b"true",
        available,
        confirmed,
    ]
    return b",".join(cells)


CSV_CASES = {
    "a number of 5000 digits": csv_row("E-2", hours=b"9" * 5000),
    "a number of 4000 digits": csv_row("E-2", hours=b"9" * 4000),
    "date 99999-01-01": csv_row("E-2", available=b"99999-01-01"),
    "timestamp past year 9999 in UTC": csv_row("E-2", confirmed=b"9999-12-31T23:59:59-05:00"),
    "a raw NUL byte": csv_row("E-2", name=b"You\x00ssef"),
    "invalid UTF-8 bytes": csv_row("E-2", name=b"Yous\xff\xfesef"),
}


def jsonl_file(bad_line: bytes) -> bytes:
    return b"\n".join([expert_line("E-1"), bad_line, expert_line("E-3")]) + b"\n"


def csv_file(bad_row: bytes) -> bytes:
    return CSV_HEADER + b"\n".join([csv_row("E-1"), bad_row, csv_row("E-3")]) + b"\n"


def assert_only_the_bad_line_rejected(rejected_reason: str) -> None:
    assert sorted(p.ref for p in ExpertProfile.query) == ["E-1", "E-3"]
    assert User.query.filter(User.email == "e-2@example.org").count() == 0
    [entry] = AuditEntry.query.filter_by(action="import.experts").all()
    assert entry.details["created"] == 2 and entry.details["rejected"] == 1
    assert rejected_reason.strip(), "the reason says what is wrong"


BAD_LINE = {"jsonl": 2, "csv": 3}  # a CSV file's line 1 is its header
CASES = [(name, "jsonl", line) for name, line in JSONL_CASES.items()] + [
    (name, "csv", row) for name, row in CSV_CASES.items()
]


@pytest.mark.parametrize(("case", "fmt", "line"), CASES, ids=[f"{f}: {n}" for n, f, _ in CASES])
def test_the_command_rejects_the_bad_line_alone(runner, tmp_path, case, fmt, line):
    path = tmp_path / f"experts.{fmt}"
    path.write_bytes(jsonl_file(line) if fmt == "jsonl" else csv_file(line))
    result = runner.invoke(args=["import", "experts", str(path)])
    assert result.exit_code == 1, result.output
    assert "experts: 2 created, 0 updated, 0 unchanged, 1 rejected" in result.output
    number = BAD_LINE[fmt]
    [reason] = [out for out in result.output.splitlines() if out.startswith("line ")]
    assert reason.startswith(f"line {number}: ")
    assert len(reason) < 300  # a reason to read, not the line echoed back
    assert_only_the_bad_line_rejected(reason.removeprefix(f"line {number}: "))


@pytest.fixture
def admin(make_user, auth):
    user = make_user("admin@example.org", role=Role.ADMIN)
    auth.login(user.email)
    return user


@pytest.mark.parametrize(("case", "fmt", "line"), CASES, ids=[f"{f}: {n}" for n, f, _ in CASES])
def test_the_upload_page_reports_the_bad_line_alone(client, admin, case, fmt, line):
    content = jsonl_file(line) if fmt == "jsonl" else csv_file(line)
    data = {"kind": "experts", "upload": (io.BytesIO(content), f"experts.{fmt}")}
    response = client.post("/admin/imports", data=data, content_type="multipart/form-data")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "2 lines imported (2 new, 0 updated), 0 unchanged, 1 rejected." in page
    row = f"<tr><td>{BAD_LINE[fmt]}</td>"
    assert row in page
    assert_only_the_bad_line_rejected(page.split(row, 1)[1].split("</tr>", 1)[0])


def test_an_account_created_during_the_import_rejects_only_its_line(runner, tmp_path, app):
    """Someone signs up with an address of the file while the import is writing it."""
    path = tmp_path / "experts.jsonl"
    path.write_bytes(b"\n".join(expert_line(f"E-{i}") for i in (1, 2, 3)) + b"\n")
    done = []

    def sign_up_first(conn, cursor, statement, *args):
        if done or not statement.lstrip().upper().startswith("INSERT INTO USERS"):
            return
        done.append(True)
        with db.engine.begin() as other:  # another request, its own connection
            other.execute(
                insert(User).values(
                    email="e-2@example.org",
                    full_name="Early Bird",
                    role="expert",
                    locale="en",
                    active=True,
                    created_at=utcnow(),
                )
            )

    event.listen(db.engine, "before_cursor_execute", sign_up_first)
    try:
        result = runner.invoke(args=["import", "experts", str(path)])
    finally:
        event.remove(db.engine, "before_cursor_execute", sign_up_first)
    assert done
    assert result.exit_code == 1, result.output
    assert "line 2: email 'e-2@example.org' belongs to another account" in result.output
    assert "experts: 2 created, 0 updated, 0 unchanged, 1 rejected" in result.output
    assert sorted(p.ref for p in ExpertProfile.query) == ["E-1", "E-3"]
    assert User.query.filter_by(email="e-2@example.org").one().full_name == "Early Bird"
    assert AuditEntry.query.filter_by(action="import.experts").count() == 1


def test_a_project_created_during_the_import_leaves_the_others_imported(
    runner, tmp_path, make_institution
):
    """Another import publishes one of the file's refs between the check and the write."""
    elsewhere = make_institution(name="Agence du Développement Digital", domain="add.gov.ma")
    path = tmp_path / "projects.jsonl"
    lines = [
        {"ref": f"P-{i}", "institution": "Université Mohammed V", "title": f"Archives {i}",
         "sector": "culture_language", "skills": [{"name": "OCR", "level": 3}],
         "mode": "remote", "hours_per_month": 6, "seats": 1}
        for i in (1, 2, 3)
    ]  # fmt: skip
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    done = []

    def publish_p2(conn, cursor, statement, *args):
        if done or "FROM projects" not in statement:
            return
        done.append(True)
        with db.engine.begin() as other:  # another import, its own connection
            other.execute(
                insert(Project).values(
                    ref="P-2",
                    institution_id=elsewhere.id,
                    title="Published elsewhere",
                    description="",
                    sector="health",
                    mode="remote",
                    location="",
                    languages=[],
                    hours_per_month=4,
                    seats=1,
                    status="published",
                    created_at=utcnow(),
                    updated_at=utcnow(),
                )
            )

    event.listen(db.engine, "after_cursor_execute", publish_p2)
    try:
        result = runner.invoke(args=["import", "projects", str(path)])
    finally:
        event.remove(db.engine, "after_cursor_execute", publish_p2)
    assert done
    assert result.exit_code == 0, result.output
    assert "projects: 2 created, 1 updated, 0 unchanged, 0 rejected" in result.output
    db.session.expire_all()
    assert {p.ref: p.title for p in Project.query} == {f"P-{i}": f"Archives {i}" for i in (1, 2, 3)}
    assert Institution.query.filter_by(name="Université Mohammed V").count() == 1
    assert AuditEntry.query.filter_by(action="import.projects").count() == 1
