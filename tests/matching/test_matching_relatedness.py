"""Related skills earn partial credit: learnt co-occurrence first, taxonomy priors as fallback."""

import numpy as np
import pytest
import scipy.sparse as sp
from conftest import TODAY, build_candidate, build_project

from diaspora.matching import Index, SkillSpace
from diaspora.matching.relatedness import RELATED_CREDIT, Relatedness, cooccurrence_vectors


def two_trades(n=40):
    """Data people and web people: skills of one trade go together in profiles."""
    data = ["python", "sql", "statistics", "machine learning"]
    web = ["javascript", "css", "html", "react"]
    people = []
    for i in range(n):
        trade = data if i % 2 else web
        dropped = trade[(i // 2) % 4]  # everyone lists three of their trade's four skills
        people.append(build_candidate(i, skills=tuple((k, 3) for k in trade if k != dropped)))
    return people


def test_cooccurrence_vectors_separate_trades():
    index = Index.build(two_trades())
    related = index.relatedness.related("python")
    assert set(related) <= {"sql", "statistics", "machine learning"}
    assert related and all(0 < credit <= RELATED_CREDIT for credit, _ in related.values())


def test_cooccurrence_of_tiny_or_empty_data_is_no_evidence():
    assert cooccurrence_vectors(sp.csr_matrix((0, 0))).shape == (0, 0)
    vectors = cooccurrence_vectors(sp.csr_matrix(np.eye(4)))
    assert vectors.shape[0] == 4 and not vectors.any()


def test_several_related_skills_add_up_but_stay_below_the_skill_itself():
    people = two_trades()
    one = build_candidate(100, skills=(("sql", 3),))
    many = build_candidate(101, skills=(("sql", 3), ("statistics", 3), ("machine learning", 3)))
    exact = build_candidate(102, skills=(("python", 3),))
    index = Index.build([*people, one, many, exact])
    project = build_project(required=(("python", 3),))
    cover = {
        c: index.explain(project, c, TODAY).factors["required_skills"] for c in (100, 101, 102)
    }
    assert 0 < cover[100] < cover[101] < cover[102] == 1.0
    details = index.explain(project, 101, TODAY).explanation["required"][0]
    assert details["how"] == "co-occurrence" and details["also"] >= 1


def test_semantic_vectors_relate_skills_without_usage_data():
    space = SkillSpace(
        vectors={
            "gis": np.array([1.0, 0.0]),
            "cartography": np.array([0.8, 0.6]),
            "cooking": np.array([0.0, 1.0]),
        }
    )
    index = Index.build([build_candidate(1, skills=(("cartography", 4),))], skill_space=space)
    suggestion = index.explain(build_project(required=(("gis", 2),)), 1, TODAY)
    assert suggestion.explanation["required"][0]["how"] == "semantic"
    assert suggestion.factors["required_skills"] == pytest.approx(RELATED_CREDIT * 0.8)


def test_added_keys_extend_the_vocabulary_without_cooccurrence():
    rel = Relatedness(["a"], np.zeros((1, 0), dtype=np.float32), SkillSpace())
    rel.add_keys(["b", "a"])
    assert rel.keys == ["a", "b"] and rel.related("b") == {}
