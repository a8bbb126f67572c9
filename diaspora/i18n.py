"""Which language a page is in, and the helpers templates use to say it."""

from flask import Flask, current_app, has_request_context, request, session
from flask_babel import get_locale
from flask_login import current_user

RTL_LANGUAGES = {"ar"}
LANGUAGE_NAMES = {"fr": "Français", "ar": "العربية", "en": "English"}


def select_locale() -> str:
    """The visitor's explicit choice first, then their account's, then the browser's."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # commands and workers: the default, unless forced
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = session.get("lang")
    if chosen not in languages and (
        current_user and current_user.is_authenticated and current_user.locale in languages
    ):
        return current_user.locale
    return visitor_locale()


def visitor_locale() -> str:
    """The visitor's explicit choice, then the browser's: the language of a page that must not
    read the database (as the account's language does), such as the "database down" page."""
    languages = current_app.config["LANGUAGES"]
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    return (
        request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]
    )


def text_direction() -> str:
    return "rtl" if str(get_locale()) in RTL_LANGUAGES else "ltr"


def register_template_helpers(app: Flask) -> None:
    @app.context_processor
    def inject_language():
        locale = str(get_locale())
        return {
            "current_lang": locale,
            "text_dir": "rtl" if locale in RTL_LANGUAGES else "ltr",
            "language_names": LANGUAGE_NAMES,
        }
