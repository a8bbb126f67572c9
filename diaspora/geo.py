"""Countries and time zones: ISO 3166-1 codes, localised country names, IANA zone derivation.

Pure Python: the IANA database comes from the system (``/usr/share/zoneinfo``) or, when that is
absent, from the ``tzdata`` or ``pytz`` packages; country names from Babel's CLDR data.
"""

from __future__ import annotations

import importlib.resources
import re
import unicodedata
import zoneinfo
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from pathlib import Path

from diaspora import vocabulary

MOROCCO_TIMEZONE = "Africa/Casablanca"

# ISO 3166-1 alpha-2, officially assigned codes (the 249 of iso3166.tab), kept here so that
# validation does not depend on the installed CLDR or tz data.
_ISO_3166_ALPHA2 = """
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR
    BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ
    EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW
    GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY
    KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV
    MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY
    QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG
    TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM
    ZW
"""
COUNTRY_CODES: frozenset[str] = frozenset(_ISO_3166_ALPHA2.split())

# Cities where the country alone does not settle the zone, and the diaspora's usual cities
# (so that common spellings in French, English and Arabic resolve). Format:
# country, zone, aliases separated by "|". Aliases are folded (case, accents) before lookup.
_CITY_ZONES: tuple[tuple[str, str, str], ...] = (
    (
        "AE",
        "Asia/Dubai",
        "Dubai|Dubaï|دبي|Abu Dhabi|Abou Dabi|Abu Zabi|أبوظبي|أبو ظبي|Sharjah|Charjah|الشارقة|Ajman",
    ),
    ("QA", "Asia/Qatar", "Doha|الدوحة"),
    (
        "SA",
        "Asia/Riyadh",
        "Riyadh|Riyad|Riad|الرياض|Jeddah|Djeddah|Jiddah|جدة|Dammam|الدمام"
        "|Mecca|La Mecque|مكة|Medina|Médine|المدينة المنورة|Khobar",
    ),
    ("KW", "Asia/Kuwait", "Kuwait City|Koweït|الكويت"),
    ("BH", "Asia/Bahrain", "Manama|المنامة"),
    ("OM", "Asia/Muscat", "Muscat|Mascate|مسقط"),
    (
        "FR",
        "Europe/Paris",
        "Paris|باريس|Lyon|ليون|Marseille|مرسيليا|Toulouse|Lille|Bordeaux"
        "|Nantes|Strasbourg|Montpellier|Nice|Grenoble|Rennes|Saclay|Orsay|Sophia Antipolis",
    ),
    (
        "BE",
        "Europe/Brussels",
        "Brussels|Bruxelles|Brussel|بروكسل|Antwerp|Anvers|Antwerpen"
        "|Liège|Ghent|Gand|Gent|Louvain|Leuven|Louvain-la-Neuve",
    ),
    (
        "NL",
        "Europe/Amsterdam",
        "Amsterdam|أمستردام|Rotterdam|روتردام|The Hague|La Haye"
        "|Den Haag|Utrecht|Eindhoven|Delft|Leiden",
    ),
    ("LU", "Europe/Luxembourg", "Luxembourg"),
    (
        "DE",
        "Europe/Berlin",
        "Berlin|برلين|Munich|München|Muenchen|ميونخ|Frankfurt"
        "|Frankfurt am Main|Francfort|فرانكفورت|Hamburg|Hambourg|Cologne|Köln|Koeln|Düsseldorf"
        "|Duesseldorf|Stuttgart|Karlsruhe|Aachen|Darmstadt",
    ),
    (
        "GB",
        "Europe/London",
        "London|Londres|لندن|Manchester|Birmingham|Edinburgh|Édimbourg"
        "|Cambridge|Oxford|Glasgow|Bristol|Leeds",
    ),
    ("IE", "Europe/Dublin", "Dublin|دبلن|Cork"),
    (
        "ES",
        "Europe/Madrid",
        "Madrid|مدريد|Barcelona|Barcelone|برشلونة|Valencia|Valence"
        "|Seville|Sevilla|Séville|Malaga|Málaga|Bilbao|Granada|Grenade|Zaragoza|Saragosse"
        "|Murcia|Alicante|Almeria|Almería",
    ),
    ("ES", "Africa/Ceuta", "Ceuta|سبتة|Melilla|مليلية"),
    (
        "ES",
        "Atlantic/Canary",
        "Las Palmas|Las Palmas de Gran Canaria|Santa Cruz de Tenerife|Tenerife",
    ),
    ("PT", "Europe/Lisbon", "Lisbon|Lisbonne|Lisboa|لشبونة|Porto|Oporto|Coimbra|Faro"),
    (
        "IT",
        "Europe/Rome",
        "Rome|Roma|روما|Milan|Milano|ميلانو|Turin|Torino|Bologna|Bologne"
        "|Florence|Firenze|Naples|Napoli|Genoa|Genova|Gênes|Pisa|Padua|Padova",
    ),
    (
        "CH",
        "Europe/Zurich",
        "Geneva|Genève|Geneve|Genf|جنيف|Zurich|Zürich|Zuerich|زيورخ|Lausanne|Basel|Bâle|Bern|Berne",
    ),
    ("AT", "Europe/Vienna", "Vienna|Vienne|Wien"),
    ("SE", "Europe/Stockholm", "Stockholm|ستوكهولم|Gothenburg|Göteborg|Malmö|Malmo"),
    ("NO", "Europe/Oslo", "Oslo"),
    ("DK", "Europe/Copenhagen", "Copenhagen|Copenhague|København"),
    ("FI", "Europe/Helsinki", "Helsinki"),
    ("PL", "Europe/Warsaw", "Warsaw|Varsovie|Warszawa"),
    ("TR", "Europe/Istanbul", "Istanbul|إسطنبول|Ankara"),
    (
        "CA",
        "America/Toronto",
        "Montreal|Montréal|مونتريال|Toronto|تورونتو|Ottawa|أوتاوا"
        "|Quebec|Québec|Quebec City|Ville de Québec|Québec City|Gatineau|Laval|Sherbrooke"
        "|Longueuil|Waterloo|Mississauga|Kingston|Hamilton|Trois-Rivières",
    ),
    ("CA", "America/Vancouver", "Vancouver|فانكوفر|Victoria|Burnaby"),
    ("CA", "America/Edmonton", "Calgary|Edmonton"),
    ("CA", "America/Winnipeg", "Winnipeg"),
    ("CA", "America/Halifax", "Halifax|Moncton"),
    ("CA", "America/Regina", "Regina|Saskatoon"),
    (
        "US",
        "America/New_York",
        "New York|New York City|NYC|نيويورك|Boston|بوسطن|Washington"
        "|Washington DC|Washington D C|واشنطن|Philadelphia|Philadelphie|Atlanta|Miami|Pittsburgh"
        "|Baltimore|Cambridge MA|Princeton|New Haven|Arlington|Charlotte|Orlando|Raleigh",
    ),
    ("US", "America/Detroit", "Detroit|Ann Arbor"),
    (
        "US",
        "America/Chicago",
        "Chicago|شيكاغو|Austin|أوستن|Houston|هيوستن|Dallas|San Antonio"
        "|Minneapolis|New Orleans|Nashville|St Louis|Saint Louis|Kansas City",
    ),
    ("US", "America/Denver", "Denver|Boulder|Salt Lake City"),
    ("US", "America/Phoenix", "Phoenix|Tempe"),
    (
        "US",
        "America/Los_Angeles",
        "San Francisco|سان فرانسيسكو|San Jose|San José|Palo Alto"
        "|Mountain View|Los Angeles|لوس أنجلوس|Seattle|سياتل|San Diego|Sunnyvale|Santa Clara"
        "|Menlo Park|Cupertino|Redmond|Bellevue|Oakland|Berkeley|Stanford|Portland|Las Vegas"
        "|Irvine",
    ),
    ("SG", "Asia/Singapore", "Singapore|Singapour|سنغافورة"),
    ("JP", "Asia/Tokyo", "Tokyo|طوكيو|Osaka|Kyoto"),
    ("KR", "Asia/Seoul", "Seoul|Séoul"),
    ("CN", "Asia/Shanghai", "Beijing|Pékin|Shanghai|Shenzhen|Guangzhou|Hangzhou"),
    ("HK", "Asia/Hong_Kong", "Hong Kong"),
    ("IN", "Asia/Kolkata", "Bangalore|Bengaluru|Mumbai|Delhi|New Delhi|Hyderabad|Chennai"),
    ("AU", "Australia/Sydney", "Sydney|سيدني|Canberra"),
    ("AU", "Australia/Melbourne", "Melbourne"),
    ("AU", "Australia/Brisbane", "Brisbane"),
    ("AU", "Australia/Perth", "Perth"),
    ("AU", "Australia/Adelaide", "Adelaide"),
    ("NZ", "Pacific/Auckland", "Auckland|Wellington"),
    ("BR", "America/Sao_Paulo", "São Paulo|Sao Paulo|Rio de Janeiro|Rio|Brasília|Brasilia"),
    ("MX", "America/Mexico_City", "Mexico City|Mexico|Ciudad de México|Guadalajara"),
    ("RU", "Europe/Moscow", "Moscow|Moscou|Moskva|Saint Petersburg|Saint-Pétersbourg"),
    ("EG", "Africa/Cairo", "Cairo|Le Caire|القاهرة"),
    ("SN", "Africa/Dakar", "Dakar|داكار"),
    ("CI", "Africa/Abidjan", "Abidjan"),
    ("TN", "Africa/Tunis", "Tunis|تونس"),
)

# Moroccan cities: the name shown, latitude and longitude (degrees, city centre), and other
# spellings (French, English, Arabic). Experts' on-site windows name one of them; a project's
# location is looked up among them to measure distances.
MOROCCAN_CITIES: tuple[tuple[str, float, float, str], ...] = (
    ("Casablanca", 33.573, -7.590, "الدار البيضاء"),
    ("Rabat", 34.020, -6.841, "الرباط"),
    ("Marrakech", 31.629, -7.981, "Marrakesh|مراكش"),
    ("Fès", 34.033, -5.000, "Fes|Fez|فاس"),
    ("Tanger", 35.759, -5.834, "Tangier|Tangiers|طنجة"),
    ("Agadir", 30.427, -9.598, "أكادير"),
    ("Benguerir", 32.236, -7.954, "Ben Guerir|بنجرير"),
    ("Ifrane", 33.533, -5.110, "إفران"),
    ("Oujda", 34.681, -1.908, "وجدة"),
    ("Meknès", 33.895, -5.555, "Meknes|مكناس"),
    ("Tétouan", 35.578, -5.368, "Tetouan|تطوان"),
    ("Kénitra", 34.261, -6.580, "Kenitra|القنيطرة"),
    ("Laâyoune", 27.125, -13.162, "Laayoune|العيون"),
    ("Dakhla", 23.684, -15.958, "الداخلة"),
    ("Essaouira", 31.513, -9.770, "الصويرة"),
    ("El Jadida", 33.231, -8.500, "الجديدة"),
    ("Nador", 35.168, -2.933, "الناظور"),
)
_CITY_ZONES += (
    (
        "MA",
        MOROCCO_TIMEZONE,
        "|".join(f"{name}|{aliases}" for name, _lat, _lon, aliases in MOROCCAN_CITIES),
    ),
)


def fold(text: str) -> str:
    """Fold case, accents and punctuation so that "Montréal" and "MONTREAL " compare equal."""
    if text.isascii():
        bare = text
    else:
        decomposed = unicodedata.normalize("NFKD", text)
        bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[\W_]+", " ", bare.casefold()).split())


@lru_cache(maxsize=1)
def _moroccan_city_index() -> dict[str, tuple[str, float, float]]:
    index = {}
    for name, lat, lon, aliases in MOROCCAN_CITIES:
        for alias in (name, *aliases.split("|")):
            index[fold(alias)] = (name, lat, lon)
    return index


def moroccan_city(text: str) -> tuple[str, float, float] | None:
    """The Moroccan city a name stands for, in any of its spellings ("fez", "فاس", "Fès,
    Maroc"): its name shown, latitude and longitude; None when it is not one of ours."""
    index = _moroccan_city_index()
    for candidate in (text or "", re.split(r"[,(/]", text or "", maxsplit=1)[0]):
        found = index.get(fold(candidate))
        if found:
            return found
    return None


def moroccan_city_names() -> list[str]:
    """The names shown of the Moroccan cities, in alphabetical order (accents ignored)."""
    return sorted((name for name, *_ in MOROCCAN_CITIES), key=fold)


ARABIC_LETTER = re.compile(r"[\u0600-\u06FF]")


@lru_cache(maxsize=1)
def _arabic_city_names() -> dict[str, str]:
    return {
        name: next(a for a in aliases.split("|") if ARABIC_LETTER.search(a))
        for name, _lat, _lon, aliases in MOROCCAN_CITIES
    }


def city_label(city: str, locale: str) -> str:
    """A place as a reader of `locale` writes it: one of our Moroccan cities in Arabic script
    on Arabic pages (what is stored is its French name), any other place as it was typed."""
    if locale != "ar" or not city:
        return city
    found = moroccan_city(city)
    return _arabic_city_names()[found[0]] if found else city


def moroccan_city_choices(locale: str) -> list[tuple[str, str]]:
    """(the name stored, the name shown to a reader of `locale`) for every Moroccan city, in
    the reader's alphabetical order."""
    pairs = ((name, city_label(name, locale)) for name, *_ in MOROCCAN_CITIES)
    return sorted(pairs, key=lambda pair: fold(pair[1]))


def normalise_country(code: str) -> str:
    """Strip and upper-case a country code ("fr " → "FR"); the result may still be invalid."""
    return code.strip().upper()


def is_valid_country(code: str) -> bool:
    """True for an officially assigned ISO 3166-1 alpha-2 code in upper case ("MA", "FR")."""
    return code in COUNTRY_CODES


@lru_cache(maxsize=8)
def _territories(locale: str) -> dict[str, str]:
    return dict(vocabulary.cldr_locale(locale).territories)


def country_name(code: str, locale: str = "fr") -> str:
    """Display name of a country in ``locale`` (fr, ar, en…); the code itself if unknown."""
    return _territories(locale).get(code) or code


def country_choices(locale: str = "fr") -> list[tuple[str, str]]:
    """(code, display name) for every ISO country, sorted by name as a reader of ``locale``
    would expect (accents ignored)."""
    pairs = [(code, country_name(code, locale)) for code in COUNTRY_CODES]
    return sorted(pairs, key=lambda pair: fold(pair[1]))


@lru_cache(maxsize=1)
def _available_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def is_valid_timezone(name: str) -> bool:
    """True for a canonical or linked IANA zone name known to this system ("Europe/Paris")."""
    return name in _available_zones()


def _zone_tab_text() -> str:
    """The IANA ``zone.tab`` file: from the system tz database, else a Python package's copy."""
    for directory in zoneinfo.TZPATH:
        path = Path(directory) / "zone.tab"
        if path.is_file():
            return path.read_text(encoding="utf-8")
    for package in ("tzdata", "pytz"):
        try:
            resource = importlib.resources.files(package).joinpath("zoneinfo", "zone.tab")
            return resource.read_text(encoding="utf-8")
        except (ModuleNotFoundError, FileNotFoundError):
            continue
    return ""


@lru_cache(maxsize=1)
def country_zones() -> dict[str, tuple[str, ...]]:
    """Country code → its IANA zones, principal zone first, as listed in ``zone.tab``."""
    zones: dict[str, list[str]] = defaultdict(list)
    for line in _zone_tab_text().splitlines():
        if not line or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) >= 3:
            zones[fields[0]].append(fields[2])
    return {country: tuple(names) for country, names in zones.items()}


@lru_cache(maxsize=1)
def _city_index() -> dict[tuple[str, str], str]:
    index: dict[tuple[str, str], str] = {}
    for country, zone, aliases in _CITY_ZONES:
        for alias in aliases.split("|"):
            index[(country, fold(alias))] = zone
    return index


@lru_cache(maxsize=512)
def _country_zone(country: str) -> str | None:
    """The zone of a country whose zones all keep the same clock (e.g. Germany's Busingen
    follows Zurich, which keeps Berlin's time), else None."""
    zones = country_zones().get(country, ())
    if not zones:
        return None
    if len(zones) == 1:
        return zones[0]
    # The same UTC offset every day of this year and the next: no one would notice a difference.
    start = datetime(date.today().year, 1, 1, 12, tzinfo=UTC)
    infos = [zoneinfo.ZoneInfo(zone) for zone in zones]
    for day in range(731):
        instant = start + timedelta(days=day)
        offsets = {instant.astimezone(info).utcoffset() for info in infos}
        if len(offsets) > 1:
            return None
    return zones[0]


def derive_timezone(country: str, city: str | None = None) -> str | None:
    """The IANA zone for a place when it is unambiguous, else None.

    A known city of that country decides ("CA", "Montréal" → "America/Toronto"); otherwise the
    country's zone when all its zones keep the same time ("FR" → "Europe/Paris", "DE" →
    "Europe/Berlin"); a country spanning several offsets with an unknown city gives None
    ("US", "Springfield"). Case, accents and suffixes such as ", NY" or "(QC)" are ignored.
    """
    country = normalise_country(country or "")
    if not is_valid_country(country):
        return None
    if city:
        index = _city_index()
        for candidate in (city, re.split(r"[,(/]", city, maxsplit=1)[0]):
            zone = index.get((country, fold(candidate)))
            if zone:
                return zone
    return _country_zone(country)


def utc_offset_hours(tz: str, at: datetime | None = None) -> float:
    """Offset from UTC in hours of zone ``tz`` at instant ``at`` (now if None; a naive ``at`` is
    taken as UTC), e.g. 4.0 for Asia/Dubai, -4.0 for America/New_York in July."""
    if at is None:
        at = datetime.now(UTC)
    elif at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    offset = at.astimezone(zoneinfo.ZoneInfo(tz)).utcoffset() or timedelta(0)
    return offset.total_seconds() / 3600
