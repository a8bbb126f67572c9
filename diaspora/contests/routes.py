"""Contesting a decision: the person's side (ask, read the answer) and the admins' queue."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from diaspora.auth.session_loader import role_required
from diaspora.contests import bp
from diaspora.contests.forms import AnswerForm, ContestForm
from diaspora.forms_support import show_errors
from diaspora.models import ContestOutcome, Role
from diaspora.services import contests
from diaspora.services.errors import ValidationFailed
from diaspora.services.match_states import now


@bp.route("/contests/")
@login_required
def mine():
    return render_template("contests/mine.html", contests=contests.mine(current_user))


@bp.route("/contests/match/<int:match_id>", methods=["GET", "POST"])
@login_required
def new(match_id: int):
    page = contests.contest_form(current_user, match_id)
    if page.open is not None and page.open.opened_by_id == current_user.id:
        return redirect(url_for("contests.show", contest_id=page.open.id))
    form = ContestForm()
    if form.validate_on_submit():
        try:
            contest = contests.open_contest(current_user, match_id, form.message.data)
        except ValidationFailed as e:
            show_errors(form, e)
        else:
            flash(
                _(
                    "Your request is sent. An administrator will answer by %(date)s.",
                    date=contest.deadline.strftime("%Y-%m-%d"),
                ),
                "success",
            )
            return redirect(url_for("contests.show", contest_id=contest.id))
    status = 400 if form.errors else 200
    return render_template("contests/new.html", page=page, form=form), status


@bp.route("/contests/<int:contest_id>")
@login_required
def show(contest_id: int):
    contest = contests.get_contest(current_user, contest_id)
    return render_template("contests/show.html", contest=contest, now=now())


# -- admins ------------------------------------------------------------------------------------


@bp.route("/admin/contests")
@role_required(Role.ADMIN)
def queue():
    return render_template("contests/queue.html", queue=contests.queue(current_user))


@bp.route("/admin/contests/<int:contest_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def case(contest_id: int):
    contest = contests.get_contest(current_user, contest_id)
    form = AnswerForm()
    if contest.answered_at is None and form.validate_on_submit():
        try:
            contests.answer(
                current_user,
                contest.id,
                form.answer.data,
                change=form.outcome.data == ContestOutcome.CHANGED,
            )
        except ValidationFailed as e:
            show_errors(form, e)
        else:
            flash(_("Your answer is sent to the person."), "success")
            return redirect(url_for("contests.queue"))
    return render_template(
        "contests/case.html",
        contest=contest,
        form=form,
        history=contests.history(contest),
        can_change=contests.can_change(contest),
        why_it_stands=contests.why_it_stands(contest),
        now=now(),
    ), 400 if form.errors else 200
