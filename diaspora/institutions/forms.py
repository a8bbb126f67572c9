"""The institutions' forms: registering one with evidence, inviting, handing on, switching."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from diaspora.auth.forms import (
    LOCALE_CHOICES,
    NewInstitutionFields,
    confirm_field,
    drop_control_characters,
    email_field,
    new_password_field,
)


class InstitutionForm(NewInstitutionFields, FlaskForm):
    """/institutions/new: a member registers one more institution."""


class InviteForm(FlaskForm):
    email = email_field(_l("Colleague's email address"))


class HandOnForm(FlaskForm):
    stay_manager = BooleanField(_l("I stay a manager too"))


class JoinForm(FlaskForm):
    """The account of someone who follows an invitation (their address is the invited one)."""

    full_name = StringField(
        _l("Full name"),
        validators=[DataRequired(), Length(max=120)],
        filters=[drop_control_characters],
        render_kw={"autocomplete": "name"},
    )
    password = new_password_field()
    confirm = confirm_field()
    locale = SelectField(_l("Language for our emails"), choices=LOCALE_CHOICES, default="fr")


class ActingForm(FlaskForm):
    institution = SelectField(
        _l("Acting for"), coerce=int, validate_choice=False, validators=[Optional()]
    )


class ReviewNoteForm(FlaskForm):
    note = TextAreaField(
        _l("Note to the member"),
        validators=[Optional(), Length(max=2000)],
        render_kw={"rows": 2},
    )
