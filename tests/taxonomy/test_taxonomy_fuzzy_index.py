"""The typo search compares a name with a few candidate keys only; it must answer exactly as
comparing it with every key of a similar length (`fuzzy_scan`) does."""

import random

import pytest

from diaspora.taxonomy import get_taxonomy


@pytest.fixture(scope="module")
def index():
    return get_taxonomy().normaliser.index


def typed(key: str, rng: random.Random) -> str:
    """The key with a letter dropped, two swapped or one doubled, sometimes twice."""
    for _ in range(1 + (rng.random() < 0.3)):
        i = rng.randrange(max(len(key) - 1, 1))
        key = rng.choice(
            (
                key[:i] + key[i + 1 :],
                key[:i] + key[i + 1 : i + 2] + key[i] + key[i + 2 :],
                key[:i] + key[i] + key[i:],
            )
        )
    return key


def test_fast_typo_search_gives_the_answers_of_the_full_scan(index):
    rng = random.Random(13)
    names = [typed(key, rng) for key in rng.sample(sorted(index.keys()), 600)]
    names += ["amchine learning", "aprentissage automatique", "tlaent management", "zzzz qqq"]

    answers = [index.fuzzy(name) for name in names]

    assert answers == [index.fuzzy_scan(name) for name in names]
    assert sum(a is not None for a in answers) > len(names) * 0.8


def test_a_typo_in_the_first_letters_is_still_found():
    tax = get_taxonomy()
    assert (
        tax.normalise("amchine learning").concept_id == tax.normalise("machine learning").concept_id
    )
    assert tax.normalise("amchine learning").method == "fuzzy"


def test_names_typed_again_get_the_same_answer(index):
    tax = get_taxonomy()
    first = tax.normaliser.normalise_many(
        ["Gestion de Projet", "gestoin de projet"], semantic=False
    )
    again = tax.normaliser.normalise_many(
        ["gestion de projet", "gestoin de projet"], semantic=False
    )
    assert first == again
    assert first[1].method == "fuzzy" and first[1].concept_id == first[0].concept_id
