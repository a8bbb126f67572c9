"""Normalising free-typed names: each step, free skills, and measured accuracy floors."""

import pytest

from diaspora.taxonomy import Normalised, Taxonomy, get_taxonomy
from diaspora.taxonomy.evaluate import build_cases, naive_baseline, run_pipeline
from diaspora.taxonomy.normalise import Normaliser

ML = "8369c2d6-c100-4cf6-bd83-9668d8678433"  # ESCO "utilise machine learning"
PYTHON = "ccd0a1d9-afda-43d9-b901-96344886e14d"
STATISTICS = "7ee4c2ea-b349-4bd2-81a3-ec31475d4833"
NLP = "fff0e2cd-d0bd-4b02-9daf-158b79d9688a"
ICT_SECURITY_STANDARDS = "3ff589b7-68df-4ea5-ae41-b395bdb2378f"
PROJECT_MANAGEMENT = "7111b95d-0ce3-441a-9d92-4c75d05c4388"


@pytest.fixture(scope="module")
def tax() -> Taxonomy:
    return get_taxonomy()


def lexical(tax: Taxonomy, name: str) -> Normalised:
    """The pipeline without the semantic step (which needs the encoder and its cache)."""
    return tax.normaliser.normalise_many([name], semantic=False)[0]


def test_english_preferred_label_is_exact(tax):
    n = lexical(tax, "Statistics")
    assert n == Normalised(STATISTICS, "statistics", "exact", 1.0)


@pytest.mark.parametrize(
    ("name", "concept_id"),
    [
        ("statistiques", STATISTICS),  # French label
        ("الإحصاء", STATISTICS),  # our Arabic label
        ("تعلم الآلة", ML),
        ("التعلم الآلي", ML),
        ("ML", ML),  # our abbreviation, preferred over the "ML" programming language
        ("apprentissage automatique", ML),
        ("NLP", NLP),
        ("TALN", NLP),
        ("Python", PYTHON),  # parenthetical qualifier dropped
        ("IT security standards", ICT_SECURITY_STANDARDS),  # IT -> ICT word rule
        ("gestion de projets", PROJECT_MANAGEMENT),
    ],
)
def test_synonyms_translations_and_abbreviations_are_aliases(tax, name, concept_id):
    n = lexical(tax, name)
    assert (n.concept_id, n.method) == (concept_id, "alias")
    assert 0.8 <= n.confidence <= 1.0


def test_label_is_the_english_preferred_label(tax):
    assert lexical(tax, "vision par ordinateur").label == "computer vision"


def test_our_own_concepts_are_reachable_and_marked(tax):
    for name in ("LLM", "MLOps", "deep learning", "K8s", "CI/CD"):
        n = lexical(tax, name)
        assert n.concept_id is not None and n.concept_id.startswith("diaspora:"), name
        assert tax.get(n.concept_id).source == "diaspora"


@pytest.mark.parametrize(
    ("typo", "concept_id"),
    [("project managment", PROJECT_MANAGEMENT), ("statisitcs", STATISTICS)],
)
def test_typos_are_fuzzy_matches(tax, typo, concept_id):
    n = lexical(tax, typo)
    assert (n.concept_id, n.method) == (concept_id, "fuzzy")
    assert 0.5 <= n.confidence < 1.0


def test_short_names_are_never_fuzzy_matched(tax):
    assert lexical(tax, "SQM").method == "free"


@pytest.mark.parametrize("name", ["zzzz", "cuisine marocaine", "qwerty uiop", ""])
def test_nonsense_stays_a_free_skill(tax, name):
    n = tax.normalise(name)
    assert n.concept_id is None and n.method == "free" and n.confidence == 0.0


def test_free_skill_label_is_the_trimmed_input(tax):
    assert tax.normalise("  Cuisine  Marocaine ").label == "cuisine marocaine"


def test_lexical_steps_place_typos_without_the_semantic_step(tax):
    # How fast this runs is measured by bench/taxonomy.py, never asserted here: a timing in a
    # test fails on a loaded machine.
    names = ["vision par ordinateru", "machine learning", "maintainn database performance"]
    placed = tax.normaliser.normalise_many(names, semantic=False)
    assert [n.method for n in placed] != ["free"] * len(names)
    assert all(n.method != "semantic" for n in placed)
    assert placed[1].method in {"exact", "alias"} and placed[1].concept_id


def test_without_encoder_the_semantic_step_degrades_to_free(tax):
    normaliser = Normaliser(tax.concepts, tax.normaliser.index, {}, lambda: None)
    [n] = normaliser.normalise_many(["a skill nobody ever listed anywhere"])
    assert n.method == "free"


def test_accuracy_is_well_above_naive_exact_match(tax):
    cases = build_cases(tax, per_category=40, seed=7)
    results = run_pipeline(tax, cases, semantic=False)
    baseline = naive_baseline(tax)
    by_category: dict[str, list[bool]] = {}
    naive: dict[str, list[bool]] = {}
    for case, result in zip(cases, results, strict=True):
        by_category.setdefault(case.category, []).append(result.concept_id == case.expected)
        naive.setdefault(case.category, []).append(baseline(case) == case.expected)

    def rate(hits: list[bool]) -> float:
        return sum(hits) / len(hits)

    assert rate(by_category["typo"]) >= 0.95 > 0.2 >= rate(naive["typo"])
    assert rate(by_category["variant"]) >= 0.95 > rate(naive["variant"])
    assert rate(by_category["abbreviation"]) >= 0.95
    assert rate(by_category["french"]) >= 0.95
    assert rate(by_category["nonsense"]) >= 0.95
    # held-out synonyms need the semantic step for most; typo search alone finds some
    assert rate(by_category["held_out_synonym"]) >= 0.1 > rate(naive["held_out_synonym"])
    overall = rate([h for hits in by_category.values() for h in hits])
    overall_naive = rate([h for hits in naive.values() for h in hits])
    assert overall >= 0.8 and overall >= overall_naive + 0.2
