from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from diaspora.auth.forms import drop_control_characters, email_field
from diaspora.rules import text
from diaspora.services.contact import MESSAGE_MAX_LENGTH, TOPICS


def clean_message(value):
    return text.clean_text(value) if isinstance(value, str) else value


class EraseForm(FlaskForm):
    password = PasswordField(
        _l("Your password"),
        validators=[DataRequired(message=_l("Type your password."))],
        render_kw={"autocomplete": "current-password"},
    )


class ContactForm(FlaskForm):
    """A message to the administrators, from anyone (signed in or not)."""

    name = StringField(
        _l("Your name"),
        validators=[DataRequired(message=_l("Say who you are.")), Length(max=120)],
        filters=[drop_control_characters],
        render_kw={"autocomplete": "name"},
    )
    email = email_field(_l("Your email address, for the answer"))
    topic = SelectField(
        _l("About"), choices=[(k, _l(v)) for k, v in TOPICS.items()], default="help"
    )
    message = TextAreaField(
        _l("Your message"),
        validators=[
            DataRequired(message=_l("Write your message.")),
            Length(min=10, max=MESSAGE_MAX_LENGTH),
        ],
        filters=[clean_message],
        render_kw={"rows": 6},
    )
