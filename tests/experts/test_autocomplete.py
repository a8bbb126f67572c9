"""The skill autocomplete endpoint, used by the profile form's script."""

import pytest

from diaspora.taxonomy import get_taxonomy

MACHINE_LEARNING = get_taxonomy().normalise("machine learning").concept_id


def suggest(client, **params):
    response = client.get("/api/skills", query_string=params)
    assert response.status_code == 200 and response.mimetype == "application/json"
    return response.get_json()


@pytest.mark.parametrize(
    ("query", "lang"), [("apprentissage auto", "fr"), ("تعلم الآ", "ar"), ("machine lear", "en")]
)
def test_suggestions_come_labelled_in_the_asked_language(client, query, lang):
    answers = suggest(client, q=query, lang=lang)
    assert all(set(a) == {"id", "label", "matched"} for a in answers)
    ml = [a for a in answers if a["id"] == MACHINE_LEARNING]
    assert ml, answers
    assert ml[0]["label"] == get_taxonomy().label(MACHINE_LEARNING, lang)


def test_without_a_language_the_page_language_is_used(client):
    client.post("/language", data={"lang": "ar"})
    answers = suggest(client, q="apprentissage auto")
    ml = next(a for a in answers if a["id"] == MACHINE_LEARNING)
    assert ml["label"] == get_taxonomy().label(MACHINE_LEARNING, "ar")


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": ""},
        {"q": "   "},
        {"q": "x" * 10000},
        {"q": "%_*(\x00"},
        {"q": "ml", "lang": "xx"},
        {"q": "data", "limit": "abc"},
        {"q": "data", "limit": "-5"},
        {"q": "data", "limit": "99999999999999999999"},
        {"q": "data", "limit": "0"},
    ],
)
def test_odd_queries_get_a_short_list_never_an_error(client, params):
    answers = suggest(client, **params)
    assert isinstance(answers, list) and len(answers) <= 20


def test_limit_caps_the_number_of_answers(client):
    assert len(suggest(client, q="data", limit="3")) <= 3


@pytest.mark.parametrize(
    ("label", "typed"),
    [
        ("تعلم الآلة", ["تعلم ا", "تعلم ال", "تعلم الآ", "التعلم ال", "التعلم الآل"]),
        ("الطاقة الشمسية", ["الطاقة ا", "الطاقة ال", "الطاقة الش", "طاقة ال", "طاقة الشم"]),
        ("التطوير التدريجي", ["التطوير ال", "التطوير الت", "تطوير التد"]),
    ],
)
def test_an_arabic_skill_stays_suggested_while_the_next_words_article_is_typed(
    client, label, typed
):
    concept = get_taxonomy().normalise(label).concept_id
    for query in typed:
        answers = suggest(client, q=query, lang="ar")
        assert concept in [a["id"] for a in answers], (query, [a["label"] for a in answers])
