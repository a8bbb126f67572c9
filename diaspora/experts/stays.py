"""The expert's stays in Morocco (on-site windows): listed, added, changed and removed on one
page, without JavaScript."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.validators import Optional

from diaspora import geo
from diaspora.auth.session_loader import role_required
from diaspora.experts import bp
from diaspora.forms_support import DayField, show_errors
from diaspora.models import Role
from diaspora.services import experts, on_site
from diaspora.services.errors import ValidationFailed


class StayForm(FlaskForm):
    starts_on = DayField(_l("First day"), validators=[Optional()])
    ends_on = DayField(_l("Last day"), validators=[Optional()])
    city = SelectField(_l("City"), validators=[Optional()], validate_choice=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.city.choices = geo.moroccan_city_choices(str(get_locale()))


def _form_for(window) -> StayForm:
    return StayForm(prefix=f"w{window.id}", obj=window, formdata=None)


def _page(failed: StayForm | None = None, failed_id: int | None = None, status: int = 200):
    profile = experts.own_profile_or_blank(current_user)
    windows = on_site.upcoming(profile)
    forms = [
        (w, failed if failed_id == w.id and failed is not None else _form_for(w)) for w in windows
    ]
    new = failed if failed_id is None and failed is not None else StayForm(prefix="new")
    page = render_template("experts/stays.html", profile=profile, forms=forms, new=new)
    return page, status


def _save(form: StayForm, save, window_id: int | None):
    if not form.validate_on_submit():
        if form.csrf_token.errors:
            abort(400)
        return _page(form, window_id, 422)
    try:
        save(form.starts_on.data, form.ends_on.data, form.city.data or "")
    except ValidationFailed as e:
        show_errors(form, e)
        return _page(form, window_id, 422)
    flash(_("Your stays in Morocco are saved."), "success")
    return redirect(url_for("experts.stays"))


@bp.route("/profile/stays")
@role_required(Role.EXPERT)
def stays():
    """When the expert will be in Morocco, for on-site projects to find them."""
    return _page()


@bp.route("/profile/stays", methods=["POST"])
@role_required(Role.EXPERT)
def stay_add():
    def save(start, end, city):
        on_site.add_window(current_user, start, end, city)

    return _save(StayForm(prefix="new"), save, None)


@bp.route("/profile/stays/<int:window_id>", methods=["POST"])
@role_required(Role.EXPERT)
def stay_update(window_id: int):
    def save(start, end, city):
        on_site.update_window(current_user, window_id, start, end, city)

    return _save(StayForm(prefix=f"w{window_id}"), save, window_id)


@bp.route("/profile/stays/<int:window_id>/delete", methods=["POST"])
@role_required(Role.EXPERT)
def stay_delete(window_id: int):
    if not FlaskForm().validate_on_submit():
        abort(400)
    on_site.delete_window(current_user, window_id)
    flash(_("The stay is removed."), "success")
    return redirect(url_for("experts.stays"))
