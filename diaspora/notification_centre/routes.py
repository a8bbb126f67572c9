"""The notification centre: the bell on every page, the list, "mark all read", opening one,
and the choice of how each optional kind is emailed."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from diaspora.auth.redirects import safe_next
from diaspora.notification_centre import bp
from diaspora.notification_centre.forms import MarkAllReadForm, NotificationPreferencesForm
from diaspora.services import notifications
from diaspora.services.errors import NotFound, ValidationFailed


@bp.app_context_processor
def inject_bell():
    # A callable, so that only pages that show the bell (signed in) run its one COUNT.
    def unread_notifications() -> int:
        if not current_user.is_authenticated:
            return 0
        return notifications.unread_count(current_user)

    return {"unread_notifications": unread_notifications}


@bp.route("/notifications")
@login_required
def index():
    return render_template(
        "notifications/list.html",
        items=notifications.latest(current_user),
        form=MarkAllReadForm(),
    )


@bp.route("/notifications/read", methods=["POST"])
@login_required
def mark_all_read():
    if MarkAllReadForm().validate_on_submit():
        notifications.mark_all_read(current_user)
        flash(_("All your notifications are marked as read."), "success")
    return redirect(url_for("notification_centre.index"))


@bp.route("/notifications/<int:notification_id>")
@login_required
def open_one(notification_id: int):
    """Follow a notification's link, marking it read."""
    try:
        link = notifications.open_notification(current_user, notification_id)
    except NotFound:
        abort(404)
    return redirect(safe_next(link, fallback="notification_centre.index"))


@bp.route("/notifications/preferences", methods=["POST"])
@login_required
def preferences():
    if NotificationPreferencesForm().validate_on_submit():
        # Every kind named is handed on: the service refuses those not the reader's to choose.
        choices = {
            key.removeprefix("kind-"): value
            for key, value in request.form.items()
            if key.startswith("kind-")
        }
        try:
            notifications.set_preferences(current_user, choices)
        except ValidationFailed:
            flash(_("Choose one of the options offered for each kind of email."), "danger")
        else:
            flash(_("Your email preferences are saved."), "success")
    return redirect(url_for("auth.account") + "#emails")
