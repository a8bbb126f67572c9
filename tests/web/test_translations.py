"""The French, Arabic and English catalogues: complete, safe to format, and used by the pages,
the forms (ours and WTForms' built-in messages) and the emails.

The messages are extracted from the source at test time (with babel.cfg), so a string added
to a page or a service and not yet translated is noticed here. Such gaps are listed but only
fail the suite beyond a small share, because translation follows development; a placeholder
that differs between a message and its translation always fails, since it breaks at runtime.
"""

import html
import os
import re
import warnings
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask_babel import force_locale, ngettext

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "diaspora" / "translations"
TRANSLATED = ("fr", "ar")
ALLOWED_MISSING_SHARE = 0.02
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
PLACEHOLDER = re.compile(r"%\([^)]*\)[-#0 +]*\d*(?:\.\d+)?[a-zA-Z%]|%[a-zA-Z%]")
ARABIC_PLURALS = (
    "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : "
    "n%100>=11 ? 4 : 5);"
)


def read_catalogue(lang):
    with open(TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po", "rb") as f:
        return read_po(f, locale=lang)


def source_messages() -> set:
    """Every msgid the code and templates use now (plurals as (singular, plural))."""
    with open(ROOT / "babel.cfg") as f:
        method_map, options_map = parse_mapping_cfg(f)

    def wanted(path):
        name = os.path.basename(path)
        return not name.startswith((".", "_")) and name not in ("node_modules", "instance")

    return {
        message
        for _, _, message, _, _ in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=KEYWORDS, directory_filter=wanted
        )
    }


def is_translated(message) -> bool:
    if message is None or message.fuzzy:
        return False
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return all(strings)


def placeholders(text):
    return sorted(PLACEHOLDER.findall(text))


def placeholder_errors(message) -> list[str]:
    if isinstance(message.id, tuple):
        # A plural form may leave the number out ("شهران": two months), never add a name.
        allowed = set(placeholders(message.id[1]))
        return [s for s in message.string if s and not set(placeholders(s)) <= allowed]
    if message.string and placeholders(message.string) != placeholders(message.id):
        return [message.string]
    return []


@pytest.fixture(scope="module", autouse=True)
def compiled_catalogues():
    """Compile the .po files the pages below read, as `make translations` does, when the .mo
    files are missing or older (they are build output, not kept in git)."""
    for lang in ("fr", "ar", "en"):
        po = TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po"
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            with open(po, "rb") as f:
                catalogue = read_po(f, locale=lang)
            with open(mo, "wb") as f:
                write_mo(f, catalogue)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_message_of_the_site_is_translated(lang):
    catalogue = read_catalogue(lang)
    used = source_messages()
    missing = sorted(
        (
            m if isinstance(m, str) else m[0]
            for m in used
            if not is_translated(catalogue.get(m if isinstance(m, str) else m[0]))
        ),
    )
    if not missing:
        return
    listing = "\n".join(f"  {m!r}" for m in missing)
    report = f"{len(missing)} of {len(used)} messages have no {lang} translation:\n{listing}"
    assert len(missing) <= ALLOWED_MISSING_SHARE * len(used), report
    warnings.warn(report, stacklevel=1)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_translations_keep_the_placeholders_of_their_message(lang):
    catalogue = read_catalogue(lang)
    wrong = [(m.id, s) for m in catalogue if m.id for s in placeholder_errors(m)]
    assert not wrong, "placeholders differ from the message:\n" + "\n".join(
        f"  {msgid!r} -> {text!r}" for msgid, text in wrong
    )


@pytest.mark.parametrize("lang", ("fr", "ar", "en"))
def test_catalogue_compiles_without_errors_or_fuzzy_entries(lang):
    catalogue = read_catalogue(lang)
    assert str(catalogue.locale) == lang
    assert not catalogue.fuzzy
    assert [m.id for m in catalogue if m.id and m.fuzzy] == []
    problems = [(m.id, [str(e) for e in errors]) for m, errors in catalogue.check()]
    assert problems == []


def test_arabic_catalogue_declares_the_six_arabic_plural_forms():
    assert read_catalogue("ar").plural_forms == ARABIC_PLURALS


def test_arabic_plurals_follow_arabic_grammar(app):
    with force_locale("ar"):
        seats = {n: ngettext("%(num)d seat", "%(num)d seats", n) for n in (1, 2, 5, 11, 100)}
    assert seats == {1: "مقعد واحد", 2: "مقعدان", 5: "5 مقاعد", 11: "11 مقعدًا", 100: "100 مقعد"}


def page_text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def test_home_page_is_in_french_by_default(app):
    browser = app.test_client()  # no Accept-Language: a visitor we know nothing about
    text = page_text(browser.get("/"))
    assert '<html lang="fr" dir="ltr">' in text
    assert "Les talents marocains du monde au service des projets d'IA du Maroc" in text
    assert "Se connecter" in text


def test_choosing_arabic_shows_the_home_page_in_arabic_right_to_left(client):
    client.post("/language", data={"lang": "ar"})
    text = page_text(client.get("/"))
    assert '<html lang="ar" dir="rtl">' in text
    assert "bootstrap.rtl.min.css" in text
    assert "الكفاءات المغربية في الخارج في خدمة مشاريع الذكاء الاصطناعي بالمغرب" in text
    assert "Moroccan talent abroad" not in text


def test_choosing_english_shows_the_english_messages(app):
    browser = app.test_client()
    browser.post("/language", data={"lang": "en"})
    text = page_text(browser.get("/"))
    assert '<html lang="en" dir="ltr">' in text
    assert "Moroccan talent abroad, working on Morocco's AI projects" in text


def test_form_errors_are_in_arabic_for_an_arabic_reader(client):
    client.post("/language", data={"lang": "ar"})
    text = page_text(client.post("/auth/login", data={"email": "not an address", "password": ""}))
    assert "أدخل عنوان بريد إلكتروني صالحًا." in text  # our message
    assert "هذا الحقل مطلوب." in text  # WTForms' own "This field is required."
    assert "This field is required." not in text


def test_built_in_form_messages_are_in_french_by_default(app):
    text = page_text(app.test_client().post("/auth/login", data={"email": "", "password": ""}))
    assert "Ce champ est requis." in text
    assert "This field is required." not in text


@pytest.mark.parametrize(
    ("locale", "direction", "subject", "sentence"),
    [
        (
            "ar",
            "rtl",
            "أكّد عنوان بريدك الإلكتروني",
            "يُرجى تأكيد عنوان بريدك الإلكتروني بفتح هذا الرابط:",
        ),
        (
            "fr",
            "ltr",
            "Confirmez votre adresse e-mail",
            "Veuillez confirmer votre adresse e-mail en ouvrant ce lien\u00a0:",
        ),
    ],
    ids=["ar", "fr"],
)
def test_emails_are_written_in_the_language_the_person_chose(
    client, outbox, locale, direction, subject, sentence
):
    client.post(
        "/auth/signup/expert",
        data={
            "full_name": "Salma Bennani",
            "email": "salma@example.org",
            "password": "a long enough password",
            "confirm": "a long enough password",
            "locale": locale,
        },
    )
    (message,) = outbox(kind="verify_email", to="salma@example.org")
    assert message.locale == locale
    assert message.subject == subject
    assert sentence in message.body_text
    assert sentence in html.unescape(message.body_html)
    assert f'<html lang="{locale}" dir="{direction}">' in message.body_html
