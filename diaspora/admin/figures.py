"""The admin dashboards' charts: the funnel month by month and exposure by country, drawn by
`diaspora.charts` beside the tables they come from."""

from datetime import date

from flask_babel import format_date, format_decimal
from flask_babel import gettext as _
from markupsafe import Markup

from diaspora import charts, geo
from diaspora.i18n import text_direction
from diaspora.services.insights import FunnelMonth


def month_label(month: str) -> str:
    """ "2026-11" as the reader's language names it ("nov. 2026")."""
    return format_date(date(int(month[:4]), int(month[5:]), 1), "MMM y")


def funnel_chart(months: list[FunnelMonth]) -> Markup:
    series = [_("Suggested"), _("Invited"), _("Accepted")]
    bars = [
        charts.Bar(
            month_label(m.month),
            (m.suggested, m.invited, m.accepted),
            tuple(format_decimal(n) for n in (m.suggested, m.invited, m.accepted)),
        )
        for m in months
    ]
    svg = charts.bar_chart(
        "chart-funnel-by-month",
        _("The funnel month by month"),
        _(
            "For the pairs suggested each month: how many were suggested, how many an "
            "administrator approved, and how many the expert accepted."
        ),
        bars,
        series,
        rtl=text_direction() == "rtl",
    )
    return Markup(svg)  # noqa: S704  # nosec B704  # drawsvg escapes every text it writes


def exposure_chart(rows: list[dict], locale: str) -> Markup:
    series = [_("Experts"), _("Invited")]
    bars = [
        charts.Bar(
            geo.country_name(row["country"], locale) if row["country"] else "—",
            (row["experts"], row["invited"]),
            (format_decimal(row["experts"]), format_decimal(row["invited"])),
        )
        for row in rows
    ]
    svg = charts.bar_chart(
        "chart-exposure",
        _("Experts and invitations by country of residence"),
        _(
            "For each country of residence: how many experts live there, and how many "
            "invitations are waiting for their answer."
        ),
        bars,
        series,
        rtl=text_direction() == "rtl",
    )
    return Markup(svg)  # noqa: S704  # nosec B704  # drawsvg escapes every text it writes
