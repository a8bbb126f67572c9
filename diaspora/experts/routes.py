from flask import flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from diaspora import geo, vocabulary
from diaspora.auth.session_loader import role_required
from diaspora.experts import bp
from diaspora.experts.forms import (
    SECTION_LABELS,
    ProfileForm,
    add_asked_row,
    add_spare_rows,
    initial_data,
    prepare,
    profile_input,
)
from diaspora.forms_support import sector_label, show_errors
from diaspora.main import personal_data
from diaspora.models import Role
from diaspora.services import collaborations, consent, cv, experts, on_site, permissions
from diaspora.services.errors import ValidationFailed


def _locale() -> str:
    return str(get_locale())


def _render_profile(profile, own: bool):
    locale = _locale()
    return render_template(
        "experts/profile.html",
        profile=profile,
        own=own,
        # Contact details wait for an accepted invitation; admins need them to reach people.
        show_contact=own or current_user.role == Role.ADMIN,
        country=geo.country_name(profile.country, locale) if profile.country else "",
        languages=[
            (
                vocabulary.language_name(lang.code, locale),
                _(vocabulary.CEFR_LABELS.get(lang.level, lang.level)),
            )
            for lang in profile.languages
        ],
        sectors=[sector_label(s) for s in profile.sectors or ()],
        modes=[_(vocabulary.MODE_LABELS.get(m, m)) for m in profile.modes or ()],
        skills=experts.skill_views(profile, locale),
        completeness=experts.completeness(profile),
        stale=experts.is_stale(profile),
        # What institutions do not see; the expert and admins see it all, and are told.
        hidden=permissions.hidden_from(current_user, profile),
        kept_from_institutions=[
            SECTION_LABELS[s] for s in profile.hidden_sections or () if s in SECTION_LABELS
        ],
        attached_cv=cv.attached_cv_for(current_user, profile),
        collaboration_history=collaborations.history(current_user, profile),
        stays=on_site.upcoming(profile),
    )


@bp.route("/profile")
@role_required(Role.EXPERT)
def profile():
    """The expert's own profile (empty until the first save)."""
    return _render_profile(experts.own_profile_or_blank(current_user), own=True)


@bp.route("/profiles/<ref>")
@login_required
def show(ref: str):
    """Someone's profile, for those allowed to see it (owner, admins, verified institutions)."""
    profile = experts.profile_for_viewer(current_user, ref)
    return _render_profile(profile, own=profile.user_id == current_user.id)


@bp.route("/profile/edit", methods=["GET", "POST"])
@role_required(Role.EXPERT)
def edit():
    profile = experts.own_profile_or_blank(current_user)
    locale = _locale()
    if request.method == "POST":
        form = ProfileForm()
    else:
        form = ProfileForm(data=initial_data(profile))
        add_spare_rows(form)
    adding = add_asked_row(form, request.form.get("add"))
    prepare(form, locale, profile.timezone or "")
    if not adding and form.validate_on_submit():
        try:
            experts.update_profile(current_user, profile_input(form), locale)
        except ValidationFailed as e:
            show_errors(form, e)
        else:
            flash(_("Your profile is saved."), "success")
            return redirect(url_for("experts.profile"))
    recognised = {s.name.casefold(): s for s in experts.skill_views(profile, locale)}
    return render_template(
        "experts/edit.html", form=form, profile=profile, recognised=recognised, adding=adding
    )


@bp.route("/profile/confirm", methods=["POST"])
@role_required(Role.EXPERT)
def confirm():
    experts.confirm_profile(current_user)
    flash(_("Thank you: your profile is marked as up to date."), "success")
    if request.form.get("from") == "dashboard":
        return redirect(url_for("main.dashboard"))
    return redirect(url_for("experts.profile"))


@bp.route("/consent")
@role_required(Role.EXPERT)
def consent_text():
    """Where the email about a new consent text leads (through the log-in page): what changed
    and the button to accept it; with nothing to accept, the profile's consent section."""
    changes = consent.changes_to_accept(experts.own_profile(current_user), _locale())
    if changes is None:
        return redirect(url_for("experts.profile", _anchor="consent-title"))
    return render_template("experts/consent.html", changes=changes)


@bp.route("/consent/accept", methods=["POST"])
@role_required(Role.EXPERT)
def accept_consent():
    experts.accept_consent_text(current_user)
    flash(_("Thank you: you can be suggested for projects again."), "success")
    return redirect(url_for("main.dashboard"))


# The experts' address of the personal-data page since the start (in their menu and emails);
# members of institutions reach the same page at /my-data.
@bp.route("/data", methods=["GET", "POST"])
@role_required(Role.EXPERT)
def data():
    """Personal data: download everything, or erase the account."""
    return personal_data.data_page()


@bp.route("/data/export", methods=["POST"])
@role_required(Role.EXPERT)
def export():
    return personal_data.download()
