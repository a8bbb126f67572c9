"""Reading and writing interchange files: round trips, line numbers, bad lines, CSV conventions."""

import io
import json
from datetime import UTC, date, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diaspora import vocabulary
from diaspora.interchange import (
    ExpertRecord,
    RecordError,
    count_lines,
    expert_to_dict,
    parse_expert,
    parse_project,
    project_to_dict,
    read_records,
    write_experts,
    write_projects,
)
from tests.conftest import DEV_SET as DEV  # noqa: E402

EXPERT_KEYS = [
    "ref", "full_name", "email", "residence", "languages", "skills", "sectors", "modes",
    "hours_per_month", "bio", "consent_matching", "headline", "linkedin", "years_experience",
    "available_from", "confirmed_at",
]  # fmt: skip
PROJECT_KEYS = [
    "ref", "institution", "title", "description", "sector", "skills", "languages", "mode",
    "location", "hours_per_month", "seats", "starts_on", "duration_months",
]  # fmt: skip


def good_expert(ref="E-1", **changes):
    obj = {
        "ref": ref,
        "full_name": "Youssef Alaoui",
        "email": "youssef@example.org",
        "residence": {"country": "FR", "city": "Paris"},
        "languages": [{"code": "ar", "level": "native"}, {"code": "fr", "level": "C2"}],
        "skills": [{"name": "machine learning", "level": 4}],
        "sectors": ["health"],
        "modes": ["remote"],
        "hours_per_month": 10,
        "bio": "",
        "consent_matching": True,
    }
    obj.update(changes)
    return obj


# --- strategies producing valid interchange objects, with the awkward characters on purpose ---

_single_line = st.text(
    alphabet=st.characters(
        exclude_categories=("Cc", "Cs", "Zl", "Zp"), include_characters=";:\\,\"'é ع"
    ),
    min_size=1,
    max_size=25,
).filter(lambda s: s.split())
_multi_line = st.text(
    alphabet=st.characters(exclude_categories=("Cc", "Cs"), include_characters='\n\t\r;,"'),
    max_size=60,
)
_refs = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._:/-]{0,15}", fullmatch=True)
_emails = st.from_regex(
    r"[a-z0-9]{1,10}(\.[a-z0-9]{1,5})?@[a-z]{2,10}\.(org|com|ma)", fullmatch=True
)
_countries = st.sampled_from(["FR", "MA", "US", "CA", "AE", "DE", "ES", "GB", "QA", "JP"])
_zones = st.sampled_from([None, "Europe/Paris", "America/New_York", "Asia/Dubai", "UTC"])
_levels = st.integers(1, 5)
_dates = st.dates(date(2020, 1, 1), date(2035, 12, 31))
_moments = st.datetimes(datetime(2020, 1, 1), datetime(2035, 1, 1), timezones=st.just(UTC))


def _maybe(strategy):
    return st.none() | strategy


@st.composite
def expert_objects(draw):
    obj = {
        "ref": draw(_refs),
        "full_name": draw(_single_line),
        "email": draw(_emails),
        "residence": {
            "country": draw(_countries),
            "city": draw(st.just("") | _single_line | st.sampled_from(["Montréal", "Dubai"])),
        },
        "languages": [
            {"code": code, "level": draw(st.sampled_from(vocabulary.CEFR_LEVELS))}
            for code in draw(st.lists(st.sampled_from(vocabulary.LANGUAGES), max_size=4))
        ],
        "skills": [
            {"name": name, "level": draw(_levels)}
            for name in draw(st.lists(_single_line, max_size=5))
        ],
        "sectors": draw(st.lists(st.sampled_from(vocabulary.SECTORS), max_size=3)),
        "modes": draw(st.lists(st.sampled_from(vocabulary.MODES), max_size=3)),
        "hours_per_month": draw(st.integers(0, 160)),
        "bio": draw(_multi_line),
        "consent_matching": draw(st.booleans()),
    }
    zone = draw(_zones)
    if zone:
        obj["residence"]["timezone"] = zone
    optional = {
        "headline": draw(_maybe(_single_line)),
        "linkedin": draw(_maybe(st.just("https://www.linkedin.com/in/someone"))),
        "years_experience": draw(_maybe(st.integers(0, 70))),
        "available_from": draw(_maybe(_dates.map(date.isoformat))),
        "confirmed_at": draw(_maybe(_moments.map(datetime.isoformat))),
    }
    obj.update({key: value for key, value in optional.items() if value is not None})
    return obj


@st.composite
def project_objects(draw):
    obj = {
        "ref": draw(_refs),
        "institution": draw(_single_line),
        "title": draw(_single_line),
        "description": draw(_multi_line),
        "sector": draw(st.sampled_from(vocabulary.SECTORS)),
        "skills": [
            {"name": name, "level": draw(_levels), "required": draw(st.booleans())}
            for name in draw(st.lists(_single_line, min_size=1, max_size=5))
        ],
        "languages": draw(st.lists(st.sampled_from(vocabulary.LANGUAGES), max_size=3)),
        "mode": draw(st.sampled_from(vocabulary.PROJECT_MODES)),
        "location": draw(st.just("") | _single_line),
        "hours_per_month": draw(st.integers(1, 160)),
        "seats": draw(st.integers(1, 50)),
    }
    if draw(st.booleans()):
        obj["starts_on"] = draw(_dates).isoformat()
    if draw(st.booleans()):
        obj["duration_months"] = draw(st.integers(1, 60))
    return obj


def _round_trip(records, write, kind, fmt):
    buffer = io.StringIO(newline="")
    assert write(records, buffer, fmt) == len(records)
    buffer.seek(0)
    return [record for _, record in read_records(buffer, kind, fmt)]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(expert_objects(), min_size=1, max_size=4), st.sampled_from(["jsonl", "csv"]))
def test_experts_written_then_read_are_equal(objects, fmt):
    records = [parse_expert(obj) for obj in objects]
    assert _round_trip(records, write_experts, "experts", fmt) == records


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(project_objects(), min_size=1, max_size=4), st.sampled_from(["jsonl", "csv"]))
def test_projects_written_then_read_are_equal(objects, fmt):
    records = [parse_project(obj) for obj in objects]
    assert _round_trip(records, write_projects, "projects", fmt) == records


@settings(max_examples=40, deadline=None)
@given(expert_objects())
def test_parsing_the_dict_of_a_record_gives_the_record(obj):
    record = parse_expert(obj)
    assert parse_expert(expert_to_dict(record)) == record
    assert list(expert_to_dict(record)) == [k for k in EXPERT_KEYS if k in expert_to_dict(record)]


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_dev_files_survive_a_round_trip_through_files(tmp_path, fmt):
    experts = [r for _, r in read_records(DEV / "experts.jsonl", "experts")]
    projects = [r for _, r in read_records(DEV / "projects.jsonl", "projects")]
    write_experts(experts, tmp_path / f"experts.{fmt}")
    write_projects(projects, tmp_path / f"projects.{fmt}")
    assert [r for _, r in read_records(tmp_path / f"experts.{fmt}", "experts")] == experts
    assert [r for _, r in read_records(tmp_path / f"projects.{fmt}", "projects")] == projects


def test_jsonl_output_is_the_dev_file_itself():
    buffer = io.StringIO()
    write_projects(
        (r for _, r in read_records(DEV / "projects.jsonl", "projects")), buffer, "jsonl"
    )
    written = [json.loads(line) for line in buffer.getvalue().splitlines()]
    original = [json.loads(line) for line in (DEV / "projects.jsonl").open(encoding="utf-8")]
    assert written == original
    assert all(list(obj) == [k for k in PROJECT_KEYS if k in obj] for obj in written)


def test_optional_fields_are_left_out_when_empty():
    obj = expert_to_dict(parse_expert(good_expert(headline="  ")))
    assert "headline" not in obj and "confirmed_at" not in obj
    project = project_to_dict(
        parse_project(
            {
                "ref": "P-1", "institution": "UM6P", "title": "t", "sector": "research",
                "skills": [{"name": "GIS", "level": 2}], "mode": "remote",
                "hours_per_month": 5, "seats": 1,
            }
        )
    )  # fmt: skip
    assert "starts_on" not in project and "duration_months" not in project
    assert project["languages"] == [] and project["description"] == ""


def test_writing_an_invalid_dict_raises_the_record_error():
    with pytest.raises(RecordError, match="hours_per_month"):
        write_experts([good_expert(hours_per_month=-3)], io.StringIO(), "jsonl")


# --- reading: line numbers and bad lines ---


def test_bad_jsonl_lines_are_reported_with_their_line_numbers_and_good_ones_go_through(tmp_path):
    lines = [
        json.dumps(good_expert("E-1")),
        "",
        "{not json",
        json.dumps(["a", "list"]),
        json.dumps(good_expert("E-5", email="broken")),
        "   ",
        json.dumps(good_expert("E-7")),
    ]
    path = tmp_path / "experts.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    results = list(read_records(path, "experts"))
    assert [line for line, _ in results] == [1, 3, 4, 5, 7]
    assert isinstance(results[0][1], ExpertRecord) and results[0][1].ref == "E-1"
    assert results[1][1].reasons[0].startswith("line is not valid JSON")
    assert results[2][1].reasons == ["a record must be a JSON object (got a list)"]
    assert results[3][1].ref == "E-5" and "email 'broken'" in results[3][1].reasons[0]
    assert results[4][1].ref == "E-7"
    assert count_lines(path) == 7


def test_a_line_that_is_not_utf8_is_reported_alone(tmp_path):
    path = tmp_path / "experts.jsonl"
    good = json.dumps(good_expert("E-1"), ensure_ascii=False).encode()
    path.write_bytes(good + b"\n" + b'{"ref": "E-\xff"}\n' + good.replace(b"E-1", b"E-3") + b"\n")
    results = list(read_records(path, "experts"))
    assert [(line, type(r).__name__) for line, r in results] == [
        (1, "ExpertRecord"),
        (2, "RecordError"),
        (3, "ExpertRecord"),
    ]
    assert results[1][1].reasons == ["line is not valid UTF-8 text"]


def test_csv_line_numbers_are_where_each_record_starts(tmp_path):
    path = tmp_path / "experts.csv"
    header = "ref,full_name,email,residence.country,residence.city,languages,skills,sectors,"
    header += "modes,hours_per_month,bio,consent_matching\n"
    rows = [
        "E-1,Amina Idrissi,amina@example.org,FR,Lyon,ar:native;fr:C2,ML:4,health,remote,8,"
        '"two\nline bio",true\n',
        "\n",
        "E-3,Omar Tazi,omar@example.org,ZZ,Paris,fr:C1,GIS:9,water,remote,8,,true\n",
        "E-4,Nadia Berrada,nadia@example.org,ma,Rabat,fr:c1,python:3,water,remote,-2,,maybe\n",
        "E-5,Said Amrani,said@example.org,CA,Montréal,fr:C1,NLP:5,research,remote,20,,true\n",
    ]
    path.write_text(header + "".join(rows), encoding="utf-8")
    results = list(read_records(path, "experts"))
    assert [line for line, _ in results] == [2, 5, 6, 7]
    first, bad_country, bad_values, last = (r for _, r in results)
    assert first.bio == "two\nline bio" and first.skills[0].name == "ML"
    assert bad_country.reasons == [
        "residence.country 'ZZ' is not an ISO 3166-1 alpha-2 code",
        "skills[0].level must be an integer from 1 to 5 (got 9)",
    ]
    assert bad_values.reasons == [
        "hours_per_month must be an integer from 0 to 160 (got -2)",
        "consent_matching must be true or false (got 'maybe')",
    ]
    assert last.residence.timezone == "America/Toronto"
    assert count_lines(path) == 7


def test_csv_from_a_french_spreadsheet_is_understood():
    """Semicolon delimiter, a byte-order mark, plain country/city columns, escaped names."""
    text = (
        "\ufeffRef;Full Name;Email;Country;City;Languages;Skills;Sectors;Modes;"
        "Hours_per_month;Consent_matching\n"
        'E-9;Hind Chraibi;hind@example.org;FR;Paris;"ar:native;fr:C2";'
        '"R\\;D:3;apprentissage automatique:4;Python:2";"health;education";remote;12;oui\n'
    )
    source = io.BytesIO(text.encode("utf-8"))
    [(line, record)] = list(read_records(source, "experts", fmt="csv"))
    assert line == 2
    assert [s.name for s in record.skills] == ["R;D", "apprentissage automatique", "Python"]
    assert record.residence.timezone == "Europe/Paris"
    assert record.sectors == ("health", "education")
    assert record.consent_matching is True
    assert not source.closed


def test_csv_project_skills_take_an_optional_required_flag():
    text = (
        "ref,institution,title,sector,skills,languages,mode,hours_per_month,seats\n"
        'P-1,ONEE,Prévision,energy,"time series:3:true;Python:2:false;SQL:2",fr;ar,hybrid,8,2\n'
    )
    [(_, record)] = list(read_records(io.StringIO(text), "projects", fmt="csv"))
    assert [(s.name, s.level, s.required) for s in record.skills] == [
        ("time series", 3, True),
        ("Python", 2, False),
        ("SQL", 2, True),
    ]
    assert record.languages == ("fr", "ar")


def test_a_csv_row_with_more_cells_than_the_header_is_refused():
    text = "ref,institution\nP-1,ONEE,extra\n"
    [(line, error)] = list(read_records(io.StringIO(text), "projects", fmt="csv"))
    assert line == 2 and error.reasons == ["line has 3 cells but the header names 2 columns"]


def test_the_format_comes_from_the_file_name_or_must_be_given():
    with pytest.raises(ValueError, match="cannot tell the format"):
        list(read_records(io.StringIO(""), "experts"))
    with pytest.raises(ValueError, match="unknown kind"):
        list(read_records(DEV / "experts.jsonl", "institutions"))


def test_projects_and_experts_in_csv_keep_arabic_text(tmp_path):
    record = parse_project(
        {
            "ref": "P-1", "institution": "المعهد الملكي للثقافة الأمازيغية", "title": "ⵜⴰⵎⴰⵣⵉⵖⵜ",
            "sector": "culture_language", "skills": [{"name": "معالجة اللغة الطبيعية", "level": 4}],
            "mode": "remote", "hours_per_month": 10, "seats": 1,
        }
    )  # fmt: skip
    write_projects([record], tmp_path / "p.csv")
    assert (tmp_path / "p.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert [r for _, r in read_records(tmp_path / "p.csv", "projects")] == [record]


def test_an_open_file_is_written_in_the_format_of_its_name(tmp_path):
    record = parse_expert(good_expert())
    with open(tmp_path / "out.csv", "w", encoding="utf-8", newline="") as f:
        write_experts([record], f)
    assert (tmp_path / "out.csv").read_text(encoding="utf-8").startswith("ref,full_name,")
    buffer = io.StringIO()
    write_experts([record], buffer)
    assert json.loads(buffer.getvalue())["ref"] == "E-1"
