"""The import takes text only as long as the pages take it, so an imported profile or project
can be saved again by its owner: one character more is a line error naming the same limit the
page names."""

import pytest

from diaspora.interchange import parse_expert, parse_project
from tests.interchange.test_interchange_parsing import expert, project, reasons_for

# (parser, path in the message, largest length on the page, object with a text of `n` chars)
CASES = {
    "expert headline": (parse_expert, "headline", 200, lambda n: expert(headline="h" * n)),
    "expert bio": (parse_expert, "bio", 5000, lambda n: expert(bio="b" * n)),
    "expert city": (
        parse_expert, "residence.city", 120,
        lambda n: expert(residence={"country": "FR", "city": "c" * n, "timezone": "Europe/Paris"}),
    ),
    "project title": (parse_project, "title", 200, lambda n: project(title="t" * n)),
    "project location": (parse_project, "location", 120, lambda n: project(location="l" * n)),
    "project description": (
        parse_project, "description", 20_000, lambda n: project(description="d" * n),
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", CASES)
def test_text_up_to_the_page_limit_is_imported_and_one_more_is_refused(case):
    parse, path, largest, build = CASES[case]
    parse(build(largest))
    message = f"{path} is too long ({largest + 1} characters, at most {largest})"
    assert message in reasons_for(parse, build(largest + 1))
