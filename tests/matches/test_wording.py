"""Explanations the engine wrote, read in words in the reader's language (fr, ar, en)."""

from datetime import date

import pytest
from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from diaspora.matching import FACTORS, Candidate, Index, ProjectNeed
from diaspora.matching.inputs import OnSiteWindow
from diaspora.matching.relatedness import METHOD_NAMES
from diaspora.taxonomy import get_taxonomy
from diaspora.wording import FACTOR_LABELS, HOW_LABELS, describe, unmet_for_expert
from tests.explanations import engine_explanation, key

LANGUAGES = ("fr", "ar", "en")
ENGLISH_FACTORS = [
    "Required skills",
    "Nice-to-have skills",
    "Profile and project descriptions",
    "Interest in the sector",
    "Hours available",
    "Working hours overlap with Morocco",
]


def label(name, lang):
    """The taxonomy's label, in ``lang``, of the concept a typed skill name stands for."""
    return get_taxonomy().label(key(name), lang)


@pytest.fixture
def read_in(app):
    """read_in(lang, explanation) -> the Reasons a reader of ``lang`` gets."""

    def read(lang, explanation):
        # A context of its own per reader: the locale is remembered per context.
        with app.app_context(), app.test_request_context(headers={"Accept-Language": lang}):
            return describe(explanation)

    return read


def test_words_exist_for_every_factor_and_every_way_a_skill_is_met():
    assert set(FACTOR_LABELS) == set(FACTORS)
    assert set(HOW_LABELS) == set(METHOD_NAMES) - {"exact"}


def test_english_reasons_say_which_skill_met_which_requirement_and_how(read_in):
    reasons = read_in("en", engine_explanation())
    assert reasons.skills == [
        "Meets «computer vision» (required, level 3) at level 4.",
        f"Meets «deep learning» (required, level 3) through «{label('machine learning', 'en')}» "
        "level 4, a related skill of the same family.",
        f"Does not show «{label('Python', 'en')}» (nice to have, level 2).",
    ]


def test_french_reasons_read_in_french(read_in):
    reasons = read_in("fr", engine_explanation())
    assert reasons.skills == [
        "Maîtrise «\xa0vision par ordinateur\xa0» (obligatoire, niveau 3) au niveau 4.",
        "Répond à «\xa0apprentissage profond\xa0» (obligatoire, niveau 3) grâce à "
        f"«\xa0{label('machine learning', 'fr')}\xa0» niveau 4, une compétence voisine de la même "
        "famille.",
        "Ne fait pas état de «\xa0Python\xa0» (souhaitable, niveau 2).",
    ]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_skills_are_named_by_their_label_in_the_readers_language(read_in, lang):
    met, related, missing = read_in(lang, engine_explanation()).skills
    assert label("computer vision", lang) in met
    assert label("deep learning", lang) in related and label("machine learning", lang) in related
    assert label("Python", lang) in missing
    # Concept ids never reach a reader.
    assert not any(
        key(name) in sentence
        for sentence in (met, related, missing)
        for name in ("computer vision", "deep learning", "machine learning", "Python")
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_free_skill_reads_as_it_was_typed(read_in, lang):
    explanation = engine_explanation(
        held=(("zellige restoration", 4),), required=(("zellige restoration", 3),), nice=()
    )
    [sentence] = read_in(lang, explanation).skills
    assert "zellige restoration" in sentence and "free:" not in sentence


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_factor_is_named_with_its_value_and_weight(app, read_in, lang):
    reasons = read_in(lang, engine_explanation(text_similarity=0.6))
    with app.test_request_context(), force_locale(lang):
        names = [_(english) for english in ENGLISH_FACTORS]
    assert [name for name, _value, _weight in reasons.factors] == names
    if lang != "en":
        assert not set(names) & set(ENGLISH_FACTORS)  # translated, every one
    values = {name: (value, weight) for name, value, weight in reasons.factors}
    assert values[names[2]] == (60, 10)  # descriptions: cosine 0.6, weight 10 %
    assert values[names[4]] == (100, 5)  # hours: the 8 wanted


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_factor_unknown_for_the_pair_is_left_out_and_the_weights_rescaled(read_in, lang):
    reasons = read_in(lang, engine_explanation())  # no texts to compare, a remote project
    assert len(reasons.factors) == len(FACTORS) - 2  # nor presence in Morocco
    weights = [weight for _name, _value, weight in reasons.factors]
    assert weights[0] == 67 and sum(weights) == pytest.approx(100, abs=2)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize(("pending", "lowered"), [(0, None), (2, None), (3, 9), (5, 23)])
def test_the_exposure_note_says_how_much_waiting_invitations_lowered_the_score(
    read_in, lang, pending, lowered
):
    notes = read_in(lang, engine_explanation(pending=pending)).notes
    if lowered is None:
        assert notes == []  # the first two waiting invitations cost nothing
    else:
        [note] = notes
        assert f"{lowered} %" in note


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_invitation_email_gives_every_reason(app, read_in, lang):
    explanation = engine_explanation(pending=5, text_similarity=0.6)
    reasons = read_in(lang, explanation)
    with app.test_request_context(), force_locale(lang):
        text = render_template("email/_reasons.txt", explanation=explanation)
        html = render_template("email/_reasons.html", explanation=explanation)
    for sentence in reasons.skills:
        assert f"- {sentence}" in text
    for name, value, _weight in reasons.factors:
        assert f"- {name}: {value} %" in text and f"<li>{name}: {value} %</li>" in html


def test_a_match_stored_without_an_explanation_has_no_reasons(read_in):
    assert not read_in("en", {})


def capacity_explanation(flexible=True, committed=4.0):
    """The engine's explanation for an expert offering 12 h a month (some committed), free
    from September and in Rabat for three weeks of July, for an on-site project in Casablanca
    needing 16 h a month from 1 July."""
    expert = Candidate(
        id=1,
        ref="E-1",
        languages={"fr": "C1"},
        modes=frozenset({"remote", "short_mission"}),
        hours_per_month=12,
        committed_hours=committed,
        available_from=date(2026, 9, 1),
        confirmed_at=date(2026, 6, 1),
        on_site=(OnSiteWindow(date(2026, 7, 1), date(2026, 7, 21), "Rabat", 34.020, -6.841),),
    )
    project = ProjectNeed(
        id=1,
        ref="P-1",
        languages=("fr",),
        mode="short_mission",
        hours_per_month=16,
        hours_margin=0.25,
        starts_on=date(2026, 7, 1),
        ends_on=date(2026, 7, 30),
        flexible_start=flexible,
        latitude=33.573,
        longitude=-7.590,
    )
    return Index.build([expert]).explain(project, 1, date(2026, 6, 1)).explanation


@pytest.mark.parametrize("lang", LANGUAGES)
def test_hours_start_and_presence_are_said_in_words(app, read_in, lang):
    reasons = read_in(lang, capacity_explanation())
    english = read_in("en", capacity_explanation()).notes
    hours, start, presence = reasons.notes
    assert all(n in hours for n in ("12", "4", "16"))
    city = "الرباط" if lang == "ar" else "Rabat"  # a Moroccan city in the reader's script
    assert "2026" in start and "21" in presence and city in presence and "85" in presence
    if lang != "en":
        assert not set(reasons.notes) & set(english)  # translated, every one
    else:
        assert hours == "Offers 12 h a month, 4 of them already committed; the project needs 16."
    with app.test_request_context(), force_locale(lang):
        presence_label = _("Presence in Morocco during the project")
    assert presence_label in [name for name, _value, _weight in reasons.factors]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_an_expert_reads_why_their_hours_or_dates_do_not_fit(app, lang):
    explanation = capacity_explanation(flexible=False, committed=8.0)  # 4 h left of 12
    assert not explanation["constraints"]["capacity"]
    assert not explanation["constraints"]["start_date"]
    with app.test_request_context(headers={"Accept-Language": lang}):
        hours, start = unmet_for_expert(explanation, ["fr"], "short_mission")
    assert all(n in hours for n in ("16", "4", "12")) and "2026" in start
    if lang == "fr":
        assert hours.startswith("Le projet demande 16 h par mois")
