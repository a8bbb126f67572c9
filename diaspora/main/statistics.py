"""The open statistics page: each table of `services.open_statistics` in the reader's language,
drawn as a chart, shown as a table and downloadable as CSV (the same cells everywhere, small
counts hidden alike)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, replace

from flask import Response, abort, render_template
from flask_babel import format_decimal, get_locale
from flask_babel import gettext as _
from markupsafe import Markup

from diaspora import charts, geo
from diaspora.forms_support import sector_label
from diaspora.i18n import text_direction
from diaspora.interchange.csv_format import neutralise
from diaspora.main import bp
from diaspora.services import collaboration_states, open_statistics
from diaspora.services.skills import concept_label
from diaspora.services.small_counts import MIN_CELL, Cell
from diaspora.template_helpers import mode_label


@dataclass(frozen=True)
class Table:
    """One figure of the page: its chart, its table and its CSV file."""

    key: str
    title: str
    description: str
    headers: list[str]
    rows: list[list[str]]  # the label column(s), then the figures in words
    values: list[tuple[float | None, ...]]  # the figures to draw (None: hidden)
    series: list[str]
    note: str = ""
    empty: str = ""  # said instead of the table when it has no rows ("No figure yet." if none)
    drawn_rows: int | None = None  # the first rows drawn (None: all); a total is not

    def chart(self, rtl: bool) -> Markup:
        label_columns = len(self.headers) - len(self.series)
        bars = [
            charts.Bar(row[0], values, tuple(row[label_columns:]))
            for row, values in zip(
                self.rows[: self.drawn_rows], self.values[: self.drawn_rows], strict=True
            )
        ]
        svg = charts.bar_chart(
            f"chart-{self.key}", self.title, self.description, bars, self.series, rtl
        )
        return Markup(svg)  # noqa: S704  # nosec B704  # drawsvg escapes every text it writes


def shown(cell: Cell | int) -> str:
    """A figure in words: the number, or why it is hidden."""
    if isinstance(cell, int):
        return format_decimal(cell)
    if cell.value is not None:
        return format_decimal(cell.value)
    if cell.at_least_min:
        return _("%(n)s or more", n=MIN_CELL)
    return f"< {MIN_CELL}"


def drawn(cell: Cell | int) -> float | None:
    return cell if isinstance(cell, int) else cell.value


def _one_series(key, title, description, header, series, rows: list[tuple[str, Cell | int]]):
    return Table(
        key,
        title,
        description,
        [header, series],
        [[label, shown(cell)] for label, cell in rows],
        [(drawn(cell),) for _, cell in rows],
        [series],
    )


def _tables(stats: open_statistics.Statistics, locale: str) -> list[Table]:
    def country(code: str) -> str:
        return geo.country_name(code, locale) if code else _("Not stated")

    steps = {
        "suggested": _("Suggested by the engine or an administrator"),
        "approved": _("Approved by an administrator (invitation sent)"),
        "accepted": _("Accepted by the expert"),
        "completed": _("Collaboration completed"),
    }
    delays = {
        "week": _("Within a week"),
        "month": _("8 to 30 days"),
        "quarter": _("31 to 90 days"),
        "later": _("More than 90 days"),
    }
    skills = Table(
        "skills",
        _("Skills: what projects need and what the diaspora offers"),
        _(
            "For each skill most required by open projects, the number of open projects that "
            "require it and the number of experts who offer it and agreed to be matched."
        ),
        [_("Skill"), _("Open projects"), _("Experts")],
        [
            [concept_label(row.concept_id, locale), shown(row.projects), shown(row.experts)]
            for row in stats.skills
        ],
        [(row.projects, drawn(row.experts)) for row in stats.skills],
        [_("Open projects"), _("Experts")],
    )
    countries = _one_series(
        "countries",
        _("Experts by country of residence"),
        _("The number of experts registered on the platform in each country where they live."),
        _("Country"),
        _("Experts"),
        [(country(code), cell) for code, cell in stats.countries],
    )
    countries = replace(
        countries,
        rows=[*countries.rows, [_("Total"), shown(stats.experts_total)]],
        values=[*countries.values, (None,)],
        drawn_rows=len(countries.rows),
    )
    cities = Table(
        "cities",
        _("Cities with the most experts"),
        _("Cities of residence with at least %(n)s experts.", n=MIN_CELL),
        [_("City"), _("Country"), _("Experts")],
        [[city, country(code), shown(cell)] for code, city, cell in stats.cities],
        [(drawn(cell),) for _, _, cell in stats.cities],
        [_("Experts")],
    )
    sectors = _one_series(
        "sectors",
        _("Projects by sector"),
        _("Projects published by institutions, open or closed, in each sector."),
        _("Sector"),
        _("Projects"),
        [(sector_label(code), n) for code, n in stats.sectors],
    )
    modes = _one_series(
        "modes",
        _("Projects by way of working"),
        _("Projects published by institutions, open or closed, by way of working."),
        _("Way of working"),
        _("Projects"),
        [(mode_label(code), n) for code, n in stats.modes],
    )
    funnel = _one_series(
        "funnel",
        _("From suggestion to collaboration"),
        _(
            "How many expert and project pairs were suggested, approved by an administrator, "
            "accepted by the expert, and completed as a collaboration."
        ),
        _("Step"),
        _("Pairs"),
        [(steps[step], cell) for step, cell in stats.funnel],
    )
    days = stats.median_days_to_invitation
    first = _one_series(
        "first-invitation",
        _("Time to a first invitation"),
        _("How long experts who were invited waited from signing up to their first invitation."),
        _("Time after signing up"),
        _("Experts"),
        [(delays[key], cell) for key, cell in stats.first_invitation],
    )
    first = replace(
        first,
        note=_("Half of the invited experts waited %(days)s days or less.", days=round(days))
        if days is not None
        else "",
    )
    hours = stats.confirmed_hours
    collaborations = _one_series(
        "collaborations",
        _("Collaborations"),
        _("Collaborations between experts and institutions, by where they stand."),
        _("Status"),
        _("Collaborations"),
        [(collaboration_states.label(status), cell) for status, cell in stats.collaborations],
    )
    collaborations = replace(
        collaborations,
        note=_("Hours given and confirmed by the institutions: %(hours)s.", hours=shown(hours))
        if hours is not None
        else "",
    )
    # A breakdown of fewer than MIN_CELL in all is not published (services/small_counts.py).
    too_few = _(
        "Fewer than %(n)s in all: not broken down, so that no one can be singled out.", n=MIN_CELL
    )
    first, collaborations = (
        t if t.rows else replace(t, empty=too_few) for t in (first, collaborations)
    )
    return [skills, countries, cities, sectors, modes, funnel, first, collaborations]


def _current_tables() -> list[Table]:
    return _tables(open_statistics.statistics(), str(get_locale()))


@bp.route("/statistics")
def statistics():
    return render_template(
        "main/statistics.html", tables=_current_tables(), rtl=text_direction() == "rtl"
    )


@bp.route("/statistics/<key>.csv")
def statistics_csv(key: str):
    table = next((t for t in _current_tables() if t.key == key), None)
    if table is None:
        abort(404)
    return Response(
        _csv(table.headers, table.rows),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="statistics-{key}.csv"'},
    )


def _csv(headers: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    for line in [headers, *rows]:
        # A spreadsheet must not run a label as a formula ("< 5" is safe as it is).
        writer.writerow([neutralise(cell) for cell in line])
    return "\ufeff" + out.getvalue()  # the BOM makes spreadsheets read UTF-8 (Arabic names)
