"""Folding: the comparison key shared by labels and typed names."""

from diaspora.taxonomy import fold
from diaspora.taxonomy.folding import fold_display, strip_parenthetical


def test_case_accents_punctuation_and_spacing_fold_away():
    assert fold("  Bases de  DONNÉES ") == fold("base de donnees")
    assert fold("Machine-Learning") == "machine learning"
    assert fold("apprentissage_automatique") == "apprentissage automatique"


def test_simple_english_and_french_plurals_share_a_key():
    assert fold("databases") == fold("database")
    assert fold("technologies") == fold("technology")
    assert fold("réseaux") == fold("réseau")
    # words whose final s is not a plural keep it
    assert fold("analysis") == "analysis"
    assert fold("process") == "process"


def test_programming_language_symbols_are_kept():
    assert fold("C++") != fold("C#") != fold("C")


def test_french_elision_is_ignored():
    assert fold("l’apprentissage automatique") == fold("apprentissage automatique")
    assert fold("gestion d'entreprise") == fold("gestion entreprise")


def test_arabic_spelling_variants_share_a_key():
    # diacritics, alef with hamza/madda, taa marbuta, tatweel, definite article
    assert fold("التَّعَلُّم الآلي") == fold("التعلم الالي")
    assert fold("تعلّم الآلة") == fold("تعلم الاله")
    assert fold("الرؤيـــة") == fold("الرؤية")
    assert fold("إدارة") == fold("اداره")
    assert fold("الحوسبة") == fold("حوسبة")


def test_prefix_folding_keeps_half_typed_words():
    assert fold("statis", singular=False) == "statis"
    assert fold("Statistics", singular=False).startswith(fold("statis", singular=False))


def test_display_fold_and_parenthetical():
    assert fold_display("  Cuisine   Marocaine ") == "cuisine marocaine"
    assert strip_parenthetical("Python (computer programming)") == "Python"
    assert strip_parenthetical("SQL") == "SQL"
