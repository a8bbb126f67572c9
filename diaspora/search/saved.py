"""Saved searches: keep a search from the search page; list, run, rename, re-time, delete."""

from urllib.parse import parse_qsl

from flask import flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.datastructures import MultiDict

from diaspora.search import bp
from diaspora.search.forms import DeleteForm, SavedSearchForm
from diaspora.search_query import read_query
from diaspora.services import saved_searches
from diaspora.services.errors import ValidationFailed


def _flash_all(reasons: dict) -> None:
    for messages in reasons.values():
        for message in messages:
            flash(message, "danger")


def _page(status: int = 200):
    searches = saved_searches.list_for(current_user)
    forms = {s.id: SavedSearchForm(formdata=None, obj=s, prefix=f"s{s.id}") for s in searches}
    return render_template(
        "search/saved.html",
        searches=searches,
        forms=forms,
        delete_form=DeleteForm(),
        limit=saved_searches.MAX_PER_USER,
    ), status


@bp.route("/saved")
@login_required
def saved():
    """My saved searches."""
    return _page()


@bp.route("/saved", methods=["POST"])
@login_required
def save():
    """Keep the search of the query string (read as the search page reads it: what makes no
    sense is left out, as the page said)."""
    query, _notices = read_query(MultiDict(parse_qsl(request.form.get("query", "")[:4000])))
    form = SavedSearchForm()
    if form.validate_on_submit():
        try:
            saved_searches.save(
                current_user, form.name.data, query, form.frequency.data, str(get_locale())
            )
        except ValidationFailed as e:
            _flash_all(e.reasons)
        else:
            flash(_("The search is saved."), "success")
            return redirect(url_for("search.saved"))
    else:
        saved_searches.list_for(current_user)  # the permission first: 403 before a form error
        _flash_all(form.errors)
    return redirect(url_for("search.experts") + "?" + request.form.get("query", "")[:4000])


@bp.route("/saved/<int:saved_id>", methods=["POST"])
@login_required
def edit(saved_id: int):
    """Rename a saved search or change how often it emails."""
    saved_searches.get_own(current_user, saved_id)  # 404 for another person's
    form = SavedSearchForm(prefix=f"s{saved_id}")
    if form.validate_on_submit():
        try:
            saved_searches.update(current_user, saved_id, form.name.data, form.frequency.data)
        except ValidationFailed as e:
            _flash_all(e.reasons)
        else:
            flash(_("The saved search is changed."), "success")
            return redirect(url_for("search.saved"))
    _flash_all(form.errors)
    return _page(status=400)


@bp.route("/saved/<int:saved_id>/delete", methods=["POST"])
@login_required
def delete(saved_id: int):
    if DeleteForm().validate_on_submit():
        saved_searches.remove(current_user, saved_id)
        flash(_("The saved search is deleted."), "success")
    else:
        saved_searches.get_own(current_user, saved_id)
        flash(_("Your form expired. Please try again."), "danger")
    return redirect(url_for("search.saved"))
