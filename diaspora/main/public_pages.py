"""The pages every public service owes its users: terms of use, accessibility, contact."""

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from diaspora.extensions import limiter
from diaspora.main import bp
from diaspora.main.forms import ContactForm
from diaspora.services import contact as contact_service


@bp.route("/terms")
def terms():
    return render_template("main/terms.html")


@bp.route("/accessibility")
def accessibility():
    return render_template("main/accessibility.html")


@bp.route("/contact", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["CONTACT_LIMIT"], methods=["POST"])
def contact():
    form = ContactForm()
    if form.validate_on_submit():
        contact_service.send_to_admins(
            contact_service.ContactMessage(
                name=form.name.data,
                email=form.email.data,
                topic=form.topic.data,
                message=form.message.data,
                sender_id=current_user.id if current_user.is_authenticated else None,
            )
        )
        # The same words whoever the address belongs to: the form reveals no account.
        flash(_("Thank you: your message reached the administrators. They answer by email."))
        return redirect(url_for("main.contact"))
    status = 400 if form.errors else 200
    return render_template("main/contact.html", form=form), status
