"""Spotting the taxonomy's skills in CV text: what counts as a skill, in which language, with
which words and level."""

import ast
from pathlib import Path

import pytest

import diaspora.cv
from diaspora.cv.levels import level_for_years
from diaspora.cv.spotting import for_taxonomy
from diaspora.taxonomy import get_taxonomy


def concept(english_label: str) -> str:
    (found,) = [c.id for c in get_taxonomy().concepts if c.labels["en"] == english_label]
    return found


ML = concept("utilise machine learning")
GIS = concept("geographic information systems")
PYTHON = concept("Python (computer programming)")
R = concept("R")
SQL = concept("SQL")


def label(concept_id: str) -> str:
    return get_taxonomy().label(concept_id, "en")


def spot(text: str, kind: str = "text"):
    return for_taxonomy(get_taxonomy()).spot(text, kind)


def found(text: str, kind: str = "text") -> set[str]:
    return {label(p.concept_id) for p in spot(text, kind)}


def by_label(text: str) -> dict:
    return {label(p.concept_id): p for p in spot(text)}


@pytest.mark.parametrize(
    "line",
    [
        "Built machine learning models for hospitals.",
        "Conception de modèles d'apprentissage automatique pour les hôpitaux.",
        "تطوير نماذج التعلم الآلي للمستشفيات.",
        "Skills: ML, Python",
    ],
    ids=["English", "French", "Arabic", "abbreviation"],
)
def test_a_skill_is_found_in_any_language(line):
    assert "utilise machine learning" in found(line)


@pytest.mark.parametrize(
    ("line", "skill"),
    [
        ("Expert SIG et télédétection", "geographic information systems"),
        ("Research in NLP for Arabic dialects", "natural language processing"),
        ("Responsable TALN au laboratoire", "natural language processing"),
        ("خبرة في نظم المعلومات الجغرافية", "geographic information systems"),
        ("الإحصاء والتعلم العميق", "deep learning"),  # "and deep learning", joined
    ],
)
def test_abbreviations_and_joined_arabic_words(line, skill):
    assert skill in found(line)


@pytest.mark.parametrize(
    ("line", "not_meant"),
    [
        ("Dose: 5 ml twice a day", "utilise machine learning"),  # millilitres
        ("sig. illegible", "geographic information systems"),  # lower case: a word
        ("Please find my CV attached.", "computer vision"),  # the document itself
        ("Amina R. Benali, Rabat", "R"),  # an initial
        ("Responsable R&D chez OCP", "R"),  # research and development
        ("Audits under IFRS for banks", "pre-flight procedures for IFR flights"),
        ("Based in Paris, France", "betting"),  # a city, not the French word for bets
        ("Languages: Arabic, French, English", "Arabic"),  # the profile has a section for them
        ("Lead a team of four analysts", "lead a team"),  # a job described, not a skill claimed
        ("Household survey in 300 villages", "surveying"),  # a word several skills share
        ("Semantic segmentation of street images", "semantics"),  # the adjective
        ("Google Cloud and Google Earth Engine", "search engines"),  # a name of products
    ],
)
def test_ordinary_words_are_not_taken_for_skills(line, not_meant):
    assert not_meant not in found(line)


def test_generic_words_count_when_listed_as_skills():
    assert "communication" not in found("Worked with the communications team on campaigns.")
    assert "communication" in found("Skills\nCommunication, leadership, statistics")


def test_soft_skills_count_when_listed():
    assert "lead others" in found("Key skills\nLeadership, negotiation, project management")


def test_interests_and_languages_sections_are_not_read():
    text = "Skills\nPython, statistics\nInterests\nPhotography, chess, cooking"
    assert found(text) == {"Python (computer programming)", "statistics"}


def test_a_skill_line_is_not_taken_for_a_heading():
    text = "Compétences\nSIG (QGIS, ArcGIS)\nGestion de projet\nLangues\nFrançais, arabe"
    assert found(text) == {"geographic information systems", "project management"}


def test_each_proposal_carries_the_line_that_names_it():
    line = "Built demand forecasting models with Python and SQL on a data warehouse."
    proposals = by_label(line)
    assert proposals["SQL"].phrase == line
    assert proposals["SQL"].matched == "SQL"
    assert proposals["data warehouse"].matched == "data warehouse"


def test_a_long_line_is_shortened_around_the_words_found():
    line = "word " * 60 + "machine learning " + "word " * 60
    (proposal,) = spot(line)
    assert "machine learning" in proposal.phrase
    assert proposal.phrase.startswith("…") and proposal.phrase.endswith("…")
    assert len(proposal.phrase) < 200


def test_one_proposal_per_skill_however_often_named():
    text = "Python developer\nPython, SQL\nScripts in Python"
    proposals = [p for p in spot(text) if p.concept_id == PYTHON]
    assert len(proposals) == 1 and proposals[0].mentions == 3


@pytest.mark.parametrize(
    ("line", "levels"),
    [
        ("Python (advanced, 8 years), R (intermediate), SQL", {PYTHON: 4, R: 3, SQL: None}),
        ("Advanced: Python, SQL", {PYTHON: 4, SQL: 4}),
        ("SIG (QGIS, ArcGIS) – niveau expert, 11 ans", {GIS: 5}),
        ("Python (notions), SQL", {PYTHON: 1, SQL: None}),
        ("12 years of experience in SQL", {SQL: 5}),
        ("لغات البرمجة: Python (مستوى متقدم)، SQL", {PYTHON: 4, SQL: None}),
        ("خبرة 3 سنوات في التعلم الآلي", {ML: 3}),
    ],
)
def test_the_level_a_cv_states_is_proposed(line, levels):
    proposals = {p.concept_id: p for p in spot(line)}
    assert {cid: proposals[cid].level for cid in levels} == levels
    for cid, level in levels.items():
        assert bool(proposals[cid].level_cue) == (level is not None)


@pytest.mark.parametrize(
    ("years", "level"), [(0, 1), (1, 2), (2, 2), (3, 3), (5, 3), (6, 4), (9, 4), (10, 5), (30, 5)]
)
def test_years_of_practice_on_the_profiles_scale(years, level):
    assert level_for_years(years) == level


def test_a_pdf_line_broken_by_the_page_is_joined():
    text = (
        "Built tools to extract adverse drug events from clinical notes with natural language\n"
        "processing and rules written with the pharmacists of the hospital over two years.\n"
        "Short line."
    )
    assert "natural language processing" in found(text, kind="pdf")
    assert "natural language processing" not in found(text, kind="docx")


def test_text_without_skills_gives_nothing():
    assert spot("") == []
    assert spot("Lorem ipsum dolor sit amet, consectetur adipiscing elit.") == []


def test_the_package_is_pure():
    """diaspora.cv imports no web framework, no database layer and no service."""
    forbidden = ("flask", "sqlalchemy", "diaspora.models", "diaspora.services")
    for path in Path(diaspora.cv.__file__).parent.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            assert not [n for n in names if n.startswith(forbidden)], (path.name, names)
