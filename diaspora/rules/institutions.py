"""Which email domains may stand for an institution: its official domain, never a mailbox
anyone can open (a free-mail domain proves nothing about who acts for an institution)."""

# The free-mail providers Moroccan and diaspora users most often have, with their country
# variants. A domain under one of them (mail.yahoo.fr) is refused too.
FREE_MAIL_DOMAINS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "yahoo.com",
        "yahoo.fr",
        "yahoo.co.uk",
        "ymail.com",
        "hotmail.com",
        "hotmail.fr",
        "outlook.com",
        "outlook.fr",
        "live.com",
        "live.fr",
        "msn.com",
        "aol.com",
        "icloud.com",
        "me.com",
        "mac.com",
        "proton.me",
        "protonmail.com",
        "gmx.com",
        "gmx.fr",
        "gmx.de",
        "web.de",
        "mail.com",
        "yandex.com",
        "yandex.ru",
        "zoho.com",
        "laposte.net",
        "orange.fr",
        "wanadoo.fr",
        "free.fr",
        "sfr.fr",
        "menara.ma",
        "tutanota.com",
        "qq.com",
        "163.com",
    }
)


def is_free_mail(domain: str) -> bool:
    """Whether `domain` (lower case) is a free-mail provider's or under one."""
    return any(domain == free or domain.endswith("." + free) for free in FREE_MAIL_DOMAINS)


def address_domain(address: str) -> str:
    """The domain of an email address, lower case ("" when there is no @)."""
    return address.rpartition("@")[2].strip().lower() if "@" in address else ""
