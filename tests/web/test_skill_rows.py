"""Experts and institutions list skills with one row design (templates/macros/rows.html): the
same cells, each with its numbered label, a Remove box, empty rows to type into and an add
button that works without JavaScript, and the same script when there is JavaScript."""

from html.parser import HTMLParser

import pytest

from diaspora.models import Role

VOID = {"input", "br", "hr", "img", "meta", "link", "source", "wbr"}


class SkillRows(HTMLParser):
    """The rows inside ``data-rows="skills"``: each control's part of the field name (name,
    level…) with its attributes, and the text of each label by the id it is for."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.container: dict | None = None
        self._container_depth = self._row_depth = None
        self.rows: list[dict] = []
        self.add_button: dict | None = None
        self.scripts: list[str] = []
        self._label: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and attrs.get("src"):
            self.scripts.append(attrs["src"].split("?")[0])
        if tag == "button" and attrs.get("data-add-row") == "skills":
            self.add_button = attrs
        if tag not in VOID:
            self.depth += 1
            if attrs.get("data-rows") == "skills":
                self.container, self._container_depth = attrs, self.depth
            elif self._container_depth and self._row_depth is None and "data-row" in attrs:
                self._row_depth = self.depth
                self.rows.append({"class": attrs.get("class"), "controls": [], "labels": {}})
        if self._row_depth is None:
            return
        row = self.rows[-1]
        if tag in ("input", "select"):
            part = attrs["name"].rsplit("-", 1)[-1]
            row["controls"].append((part, tag, attrs))
        elif tag == "label":
            self._label = attrs["for"]
            row["labels"][self._label] = ""

    def handle_data(self, data):
        if self._label is not None:
            self.rows[-1]["labels"][self._label] += data

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if tag == "label":
            self._label = None
        if self.depth == self._row_depth:
            self._row_depth = None
        if self.depth == self._container_depth:
            self._container_depth = None
        self.depth -= 1


def skill_rows(client, url) -> SkillRows:
    response = client.get(url)
    assert response.status_code == 200
    parsed = SkillRows()
    parsed.feed(response.get_data(as_text=True))
    assert parsed.rows, url
    return parsed


@pytest.fixture
def pages(client, auth, make_user, make_institution):
    """The skill rows of the profile form and of the new project form."""
    make_user("salma@example.org", role=Role.EXPERT)
    make_user("nadia@sante.gov.ma", role=Role.INSTITUTION, institution=make_institution())
    auth.login("salma@example.org")
    expert = skill_rows(client, "/expert/profile/edit")
    auth.logout()
    auth.login("nadia@sante.gov.ma")
    return {"expert": expert, "project": skill_rows(client, "/projects/new")}


def test_both_forms_draw_the_same_skill_row(pages):
    expert, project = pages["expert"], pages["project"]
    parts = {
        name: [[part for part, _tag, _attrs in row["controls"]] for row in page.rows]
        for name, page in pages.items()
    }
    assert set(map(tuple, parts["expert"])) == {("name", "level", "remove")}
    assert set(map(tuple, parts["project"])) == {("name", "level", "need", "remove")}
    assert {row["class"] for row in expert.rows} == {row["class"] for row in project.rows}
    for page in (expert, project):
        assert page.container["data-max-rows"].isdigit()
        button = page.add_button
        assert button["type"] == "submit" and button["name"] and button["value"]
        assert "formnovalidate" in button
        assert {"/static/js/form-rows.js", "/static/js/skill-autocomplete.js"} <= set(page.scripts)


def test_every_cell_has_a_label_that_names_its_row(pages):
    for page in pages.values():
        for n, row in enumerate(page.rows, start=1):
            for part, _tag, attrs in row["controls"]:
                label = " ".join(row["labels"][attrs["id"]].split())
                assert label.endswith(str(n)), (part, label)


def test_skill_names_offer_suggestions_in_both_forms(pages):
    for page in pages.values():
        for row in page.rows:
            name = next(attrs for part, _tag, attrs in row["controls"] if part == "name")
            assert name["list"] == "skill-suggestions" and name["data-skill-autocomplete"]
            assert name["autocomplete"] == "off"


def test_both_forms_start_with_empty_rows_to_type_into(pages):
    for page in pages.values():
        empty = [
            row
            for row in page.rows
            if not any(attrs.get("value") for part, _t, attrs in row["controls"] if part == "name")
        ]
        assert len(empty) >= 3
