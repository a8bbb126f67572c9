"""Which LinkedIn addresses a profile may show: one rule for the profile page and the import.

The address is read the way a browser reads it (the WHATWG URL standard), not only the way
Python's urlsplit does. The two disagree on backslashes (a browser takes one as "/" in http
and https addresses) and on what counts as user information before "@": in
``https://evil.com\\@www.linkedin.com/in/x`` Python finds the host www.linkedin.com and a
browser opens evil.com. So the rule refuses what could make them disagree (backslashes,
whitespace, control characters, user information, ports, anything but plain letters, digits,
hyphens and dots in the host) and then asks for a host that is linkedin.com or one of its
subdomains.
"""

import re
from urllib.parse import urlsplit

MAX_LENGTH = 255  # the column that stores it
_HOST = re.compile(r"(?:[a-z0-9-]+\.)*linkedin\.com")
# Bytes a browser drops from inside an address, or strips from its ends, before reading it.
_AMBIGUOUS = re.compile(r"[\x00-\x20\x7f\\]")


def linkedin_url(value: str) -> str | None:
    """The profile address as stored (``https://`` added when typed without a scheme), or None
    when it is not one a browser would open on linkedin.com with a page after the host."""
    url = value.strip()
    if "://" not in url:
        url = "https://" + url
    if len(url) > MAX_LENGTH or _AMBIGUOUS.search(url) or any(ch.isspace() for ch in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:  # an unclosed "[" of an IPv6 host
        return None
    host = parts.netloc.lower()
    valid = (
        parts.scheme in ("http", "https")
        # No user information and no port: the authority is the host and nothing else.
        and _HOST.fullmatch(host) is not None
        and parts.path.strip("/") != ""
    )
    return url if valid else None
