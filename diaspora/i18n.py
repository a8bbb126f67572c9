"""Which language a page is in, and the helpers templates use to say it."""

from collections.abc import Callable

from babel import support
from flask import Flask, current_app, has_request_context, request, session
from flask_babel import Domain, get_locale, get_translations
from flask_login import current_user
from jinja2 import pass_context
from markupsafe import Markup

RTL_LANGUAGES = {"ar"}
LANGUAGE_NAMES = {"fr": "Français", "ar": "العربية", "en": "English", "zgh": "ⵜⴰⵎⴰⵣⵉⵖⵜ"}
# Standard Moroccan Tamazight (Tifinagh) covers the public pages only: the others, and any
# message its catalogue lacks, are in French. Emails are never in it (accounts keep a full one).
PARTIAL_LANGUAGES = ("zgh",)
PARTIAL_FALLBACK = "fr"
PARTIAL_PAGES = frozenset(
    {
        "/",
        "/statistics",
        "/how-matching-works",
        "/privacy",
        "/terms",
        "/accessibility",
        "/auth/login",
        "/auth/signup",
        "/auth/signup/expert",
        "/auth/signup/institution",
    }
)


def offered_languages() -> tuple[str, ...]:
    """Every language a visitor may choose: the full ones, then the partial ones."""
    return (*current_app.config["LANGUAGES"], *PARTIAL_LANGUAGES)


def select_locale() -> str:
    """The visitor's explicit choice first, then their account's, then the browser's."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # commands and workers: the default, unless forced
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = session.get("lang")
    if chosen not in offered_languages() and (
        current_user and current_user.is_authenticated and current_user.locale in languages
    ):
        return current_user.locale
    return visitor_locale()


def visitor_locale() -> str:
    """The visitor's explicit choice, then the browser's: the language of a page that must not
    read the database (as the account's language does), such as the "database down" page."""
    offered = offered_languages()
    chosen = session.get("lang")
    if chosen not in offered:
        chosen = request.accept_languages.best_match(offered)
    if chosen in PARTIAL_LANGUAGES and request.path not in PARTIAL_PAGES:
        return PARTIAL_FALLBACK
    return chosen or current_app.config["BABEL_DEFAULT_LOCALE"]


class PartialLanguagesDomain(Domain):
    """Flask-Babel's catalogues, where a partial language reads French for what it lacks."""

    def get_translations(self):
        translations = super().get_translations()
        if str(get_locale()) in PARTIAL_LANGUAGES and translations._fallback is None:
            for directory in self.translation_directories:
                translations.add_fallback(
                    support.Translations.load(directory, [PARTIAL_FALLBACK], self.domain[0])
                )
        return translations


def use_partial_languages(babel) -> None:
    """Make `babel` look messages up through `PartialLanguagesDomain` (the default domain)."""
    babel.domain_instance = PartialLanguagesDomain()


def text_direction() -> str:
    return "rtl" if str(get_locale()) in RTL_LANGUAGES else "ltr"


def N_(string: str) -> str:  # the name Babel's extractor knows
    """Mark `string` for translation where it is defined; it is translated where it is said."""
    return string


def bound_gettext() -> Callable[..., str]:
    """`gettext` of the current language, looked up once: for code that says many sentences at
    once (Flask-Babel looks the locale and the catalogue up again on every call)."""
    catalogue = get_translations()

    def gettext(string: str, **variables) -> str:
        text = catalogue.ugettext(string)
        return text % variables if variables else text

    return gettext


# The template context's name for the catalogue its render looked up (see `_template_catalogue`).
CATALOGUE = "_catalogue"


def _template_catalogue(context):
    # Imported macros do not see the page's context: they look the catalogue up themselves.
    catalogue = context.get(CATALOGUE)
    return catalogue if catalogue is not None else get_translations()


# Jinja's own newstyle wrappers reach these through two more `context.call`s per `_()` (the
# `_` alias, then the wrapper): a third of what saying a sentence costs a page. These do what
# the wrappers do (a Markup string under autoescape, always formatted with its variables) in
# one call.


def _said(context, text: str, variables: dict) -> str:
    if context.eval_ctx.autoescape:
        text = Markup(text)  # nosec B704  # our catalogue's text; `%` escapes the variables
    return text % variables


@pass_context
def _template_gettext(context, string, /, **variables):
    return _said(context, _template_catalogue(context).ugettext(string), variables)


@pass_context
def _template_ngettext(context, singular, plural, num, /, **variables):
    variables.setdefault("num", num)
    text = _template_catalogue(context).ungettext(singular, plural, num)
    return _said(context, text, variables)


@pass_context
def _template_pgettext(context, message_context, string, /, **variables):
    variables.setdefault("context", message_context)
    text = _template_catalogue(context).upgettext(message_context, string)
    return _said(context, text, variables)


@pass_context
def _template_npgettext(context, message_context, singular, plural, num, /, **variables):
    variables.setdefault("context", message_context)
    variables.setdefault("num", num)
    text = _template_catalogue(context).unpgettext(message_context, singular, plural, num)
    return _said(context, text, variables)


def register_template_helpers(app: Flask) -> None:
    # Flask-Babel's own template callables find the locale and the catalogue again for each
    # `_()`; a page says hundreds (thousands with explained suggestions). These read the
    # catalogue the page's context holds, looked up once per render, in the language that
    # render is in (an email rendered under `force_locale` included).
    app.jinja_env.newstyle_gettext = True  # how `{% trans %}` blocks are compiled
    app.jinja_env.globals.update(
        _=_template_gettext,
        gettext=_template_gettext,
        ngettext=_template_ngettext,
        pgettext=_template_pgettext,
        npgettext=_template_npgettext,
    )

    @app.context_processor
    def inject_language():
        locale = str(get_locale())
        return {
            "current_lang": locale,
            "text_dir": "rtl" if locale in RTL_LANGUAGES else "ltr",
            "language_names": LANGUAGE_NAMES,
            CATALOGUE: get_translations(),
        }
