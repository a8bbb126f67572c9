"""CSV exports open in spreadsheets: no cell may start as a formula, and every value still comes
back exactly when the file is imported again."""

import csv
import io
import json

import pytest

from diaspora.interchange import (
    parse_expert,
    parse_project,
    read_records,
    write_experts,
    write_projects,
)
from diaspora.interchange.csv_format import neutralise, restore
from tests.interchange.test_interchange_files import good_expert

TRIGGERS = ["=", "+", "-", "@", "\t", "\r"]
# What a spreadsheet would run, one per trigger character (tab and carriage return start the
# cell and a formula follows them).
PAYLOADS = [
    '=HYPERLINK("http://evil.example","CV")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
]


def good_project(**changes):
    obj = {
        "ref": "P-1",
        "institution": "Université Mohammed V",
        "title": "Tri des archives",
        "sector": "culture_language",
        "skills": [{"name": "OCR", "level": 3}],
        "mode": "remote",
        "hours_per_month": 6,
        "seats": 1,
    }
    obj.update(changes)
    return obj


def cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def first_characters(text: str) -> set[str]:
    return {cell[:1] for cell in cells(text)}


@pytest.mark.parametrize("value", PAYLOADS)
def test_no_exported_cell_starts_like_a_formula_and_import_gives_it_back(value):
    expert = parse_expert(
        good_expert(
            full_name=value,
            bio=value + "\nand more",
            headline=value,
            residence={"country": "FR", "city": value},
            skills=[{"name": value, "level": 3}, {"name": "-" + value, "level": 2}],
        )
    )
    project = parse_project(
        good_project(
            institution=value,
            title=value,
            description=value,
            location=value,
            skills=[{"name": value, "level": 3, "required": False}],
        )
    )
    for record, write, kind in (
        (expert, write_experts, "experts"),
        (project, write_projects, "projects"),
    ):
        out = io.StringIO()
        write([record], out, "csv")
        assert not first_characters(out.getvalue()) & set(TRIGGERS), out.getvalue()
        [(_, back)] = read_records(io.StringIO(out.getvalue()), kind, "csv")
        assert back == record


@pytest.mark.parametrize("trigger", TRIGGERS)
def test_every_trigger_gets_one_quote_which_reading_takes_away(trigger):
    for value in (trigger, trigger + "1+1", "'" + trigger, "''" + trigger + "x"):
        assert neutralise(value) == "'" + value
        assert restore(neutralise(value)) == value


def test_values_that_are_not_formulas_are_written_as_they_are():
    for value in ("Salma", "'quoted", "a-b", "x=1", " =1", "", "''", "1-2"):
        assert neutralise(value) == value
        assert restore(value) == value


def test_the_jsonl_export_keeps_values_exact():
    expert = parse_expert(good_expert(full_name="=1+1", bio="- first\n- second"))
    out = io.StringIO()
    write_experts([expert], out, "jsonl")
    obj = json.loads(out.getvalue())
    assert obj["full_name"] == "=1+1" and obj["bio"] == "- first\n- second"


def test_flask_export_csv_neutralises_and_flask_import_finds_nothing_changed(runner, tmp_path):
    source = tmp_path / "in.jsonl"
    lines = [
        good_expert(
            ref=f"E-{i}",
            email=f"e{i}@example.org",
            full_name=f"{t}cmd|' /C calc'!A0",
            bio=f"{t} bullet\n- another",
            headline=f"{t}headline",
        )
        for i, t in enumerate("=+-@")
    ]
    source.write_text("".join(json.dumps(line) + "\n" for line in lines))
    assert runner.invoke(args=["import", "experts", str(source)]).exit_code == 0

    exported = tmp_path / "out.csv"
    result = runner.invoke(args=["export", "experts", str(exported)])
    assert result.exit_code == 0, result.output
    text = exported.read_text(encoding="utf-8-sig")
    assert not first_characters(text) & set(TRIGGERS)
    assert "'=cmd|' /C calc'!A0" in cells(text)

    again = runner.invoke(args=["import", "experts", str(exported)])
    assert again.exit_code == 0, again.output
    assert "0 created, 0 updated, 4 unchanged, 0 rejected" in again.output
