"""The import takes as many skills and languages as the pages show and save again: one more is
a line error, so that no imported profile or project has a form it cannot be edited in."""

import pytest

from diaspora.interchange import parse_expert, parse_project
from diaspora.rules import profiles as profile_rules
from diaspora.rules import projects as project_rules
from diaspora.vocabulary import LANGUAGES
from tests.interchange.test_interchange_parsing import expert, project, reasons_for


def _skills(n: int) -> list[dict]:
    return [{"name": f"skill {i}", "level": 3} for i in range(n)]


def _languages(n: int) -> list[dict]:
    return [{"code": code, "level": "B2"} for code in LANGUAGES[:n]]


# (parser, list name, most the page holds, object with a list of `n` items)
CASES = {
    "expert skills": (
        parse_expert, "skills", profile_rules.MAX_SKILLS, lambda n: expert(skills=_skills(n)),
    ),
    "expert languages": (
        parse_expert, "languages", profile_rules.MAX_LANGUAGES,
        lambda n: expert(languages=_languages(n)),
    ),
    "project skills": (
        parse_project, "skills", project_rules.MAX_SKILLS, lambda n: project(skills=_skills(n)),
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", CASES)
def test_lists_up_to_the_page_limit_are_imported_and_one_more_is_refused(case):
    parse, key, most, build = CASES[case]
    parse(build(most))
    assert f"{key} lists {most + 1} {key}, at most {most}" in reasons_for(parse, build(most + 1))
