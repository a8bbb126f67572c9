"""Countries, time zones and the fixed vocabularies."""

from datetime import datetime

import pytest

from diaspora import geo, vocabulary


@pytest.mark.parametrize(
    "country, city, zone",
    [
        ("AE", "Dubai", "Asia/Dubai"),
        ("AE", "أبوظبي", "Asia/Dubai"),
        ("QA", "Doha", "Asia/Qatar"),
        ("SA", "Jeddah", "Asia/Riyadh"),
        ("FR", "Marseille", "Europe/Paris"),
        ("FR", "a village", "Europe/Paris"),  # one zone for the whole country
        ("DE", "Köln", "Europe/Berlin"),  # Busingen keeps Berlin's clock
        ("DE", None, "Europe/Berlin"),
        ("CA", "Montréal", "America/Toronto"),
        ("CA", "MONTREAL (QC)", "America/Toronto"),
        ("CA", "Québec", "America/Toronto"),
        ("CA", "Vancouver", "America/Vancouver"),
        ("US", "New York, NY", "America/New_York"),
        ("US", "Washington DC", "America/New_York"),
        ("US", "Palo Alto", "America/Los_Angeles"),
        ("US", "mountain view", "America/Los_Angeles"),
        ("US", "Austin", "America/Chicago"),
        ("ES", "Barcelone", "Europe/Madrid"),
        ("PT", "Lisboa", "Europe/Lisbon"),
        ("CH", "Genève", "Europe/Zurich"),
        ("fr", "paris", "Europe/Paris"),
        ("MA", "", "Africa/Casablanca"),
        ("SG", "Singapore", "Asia/Singapore"),
        ("AU", "Sydney", "Australia/Sydney"),
        ("JP", "Tokyo", "Asia/Tokyo"),
    ],
)
def test_derive_timezone_finds_the_zone_of_known_places(country, city, zone):
    assert geo.derive_timezone(country, city) == zone


@pytest.mark.parametrize(
    "country, city",
    [
        ("US", "Springfield"),  # several offsets in the country, city unknown
        ("US", None),
        ("CA", ""),
        ("AU", "Alice Springs"),
        ("PT", "Funchal"),
        ("US", "Paris"),  # a city is only looked up in its own country
        ("XX", "Paris"),
        ("", "Paris"),
    ],
)
def test_derive_timezone_gives_none_when_ambiguous_or_unknown(country, city):
    assert geo.derive_timezone(country, city) is None


def test_every_city_zone_is_a_real_iana_zone():
    for country, zone, _ in geo._CITY_ZONES:
        assert geo.is_valid_country(country)
        assert geo.is_valid_timezone(zone)


def test_timezone_validation():
    assert geo.is_valid_timezone("Africa/Casablanca")
    assert geo.is_valid_timezone("America/Montreal")  # a link, still valid
    assert not geo.is_valid_timezone("Europe/Lyon")
    assert not geo.is_valid_timezone("")


def test_utc_offsets_follow_daylight_saving():
    assert geo.utc_offset_hours("Asia/Dubai", datetime(2027, 1, 15)) == 4.0
    assert geo.utc_offset_hours("America/New_York", datetime(2027, 1, 15)) == -5.0
    assert geo.utc_offset_hours("America/New_York", datetime(2027, 7, 15)) == -4.0
    assert geo.utc_offset_hours("Asia/Kolkata", datetime(2027, 7, 15)) == 5.5


def test_country_codes_and_names():
    assert len(geo.COUNTRY_CODES) == 249
    assert geo.is_valid_country("MA") and not geo.is_valid_country("ma")
    assert not geo.is_valid_country("EU")
    assert geo.normalise_country(" ma ") == "MA"
    assert geo.country_name("MA", "fr") == "Maroc"
    assert geo.country_name("MA", "ar") == "المغرب"
    assert geo.country_name("AE", "en") == "United Arab Emirates"
    choices = geo.country_choices("fr")
    assert len(choices) == 249
    names = [name for _, name in choices]
    assert names.index("Émirats arabes unis") < names.index("Espagne")


def test_fold_ignores_case_accents_and_punctuation():
    assert geo.fold("  Montréal (QC) ") == "montreal qc"
    assert geo.fold("SÃO-PAULO") == "sao paulo"


def test_there_are_fifteen_sectors_in_the_documented_order():
    documented = (
        "health education agriculture water energy tourism sport transport industry finance "
        "public_administration justice culture_language research security"
    )
    assert " ".join(vocabulary.SECTORS) == documented
    assert set(vocabulary.SECTOR_LABELS) == set(vocabulary.SECTORS)


def test_modes():
    assert vocabulary.MODES == ("remote", "short_mission", "long_term")
    assert vocabulary.PROJECT_MODES == ("remote", "short_mission", "long_term", "hybrid")
    assert set(vocabulary.MODE_LABELS) == set(vocabulary.PROJECT_MODES)


def test_cefr_ordering():
    assert vocabulary.cefr_at_least("C1", "B2")
    assert vocabulary.cefr_at_least("B2", "B2")
    assert vocabulary.cefr_at_least("native", "C2")
    assert not vocabulary.cefr_at_least("B1", "B2")
    with pytest.raises(ValueError):
        vocabulary.cefr_at_least("D1", "B2")


def test_language_names_in_the_three_interface_languages():
    assert vocabulary.language_name("ary", "fr") == "arabe marocain"
    assert vocabulary.language_name("ary", "ar") == "الدارجة المغربية"
    assert vocabulary.language_name("zgh", "en") == "Standard Moroccan Tamazight"
    assert vocabulary.language_name("qq", "en") == "qq"
    assert all(
        name != code
        for locale in ("fr", "ar", "en")
        for code, name in vocabulary.language_choices(locale)
    )
    assert len(vocabulary.LANGUAGES) >= 30
    assert all(vocabulary.is_known_language(code) for code in vocabulary.LANGUAGES)
