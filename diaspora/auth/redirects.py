"""Where to go after logging in: only ever somewhere on our own site."""

from urllib.parse import urlsplit

from flask import url_for


def safe_next(target: str | None, fallback: str = "main.dashboard") -> str:
    """`target` if it is a path on this site, else the fallback page.

    Refuses absolute URLs, scheme-relative `//evil.example`, backslash tricks browsers normalise
    into `//`, and control characters.
    """
    if target:
        cleaned = target.strip()
        parts = urlsplit(cleaned.replace("\\", "/"))
        if (
            cleaned.startswith("/")
            and not cleaned.replace("\\", "/").startswith("//")
            and not parts.scheme
            and not parts.netloc
            and all(ch.isprintable() for ch in cleaned)
        ):
            return cleaned
    return url_for(fallback)
