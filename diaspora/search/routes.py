"""Institutions find experts: the search page, and proposing an expert for a project."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from diaspora.forms_support import show_errors
from diaspora.search import bp
from diaspora.search.forms import ProposalForm, SavedSearchForm, filter_choices
from diaspora.search_query import query_args, query_string, read_query
from diaspora.services import expert_search, proposals
from diaspora.services.errors import ValidationFailed


@bp.route("/experts")
@login_required
def experts():
    """The search form and its results; every value lives in the query string."""
    query, notices = read_query(request.args)
    locale = str(get_locale())
    result = expert_search.search(current_user, query, locale)
    return render_template(
        "search/experts.html",
        result=result,
        notices=notices,
        args=query_args(query),
        choices=filter_choices(result, locale),
        save_form=SavedSearchForm(formdata=None),
        saved_query=query_string(query),
    )


@bp.route("/experts/<ref>/propose", methods=["GET", "POST"])
@login_required
def propose(ref: str):
    """Propose the expert for one of the member's published projects, with a note; the
    search it came from is kept in the query string, to go back to it."""
    page = proposals.proposal_page(current_user, ref)
    back = url_for("search.experts", **query_args(read_query(request.args)[0]))
    form = ProposalForm()
    form.project_id.choices = [("", "—")] + [(str(p.id), p.title) for p in page.projects]
    if form.validate_on_submit():
        chosen = form.project_id.data or ""
        try:
            proposals.propose(
                current_user,
                ref,
                int(chosen)
                if chosen.isascii() and chosen.isdecimal() and len(chosen) < 10
                else None,
                form.note.data or "",
            )
        except ValidationFailed as e:
            show_errors(form, e)
        else:
            flash(
                _(
                    "Your proposal is in the administrators' review queue. The expert hears "
                    "nothing of it before an administrator approves it."
                ),
                "success",
            )
            return redirect(back)
    status = 400 if form.errors or form.form_errors else 200
    return render_template("search/propose.html", page=page, form=form, back=back), status
