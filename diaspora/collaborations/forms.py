"""Forms of the collaboration page (each side's actions) and of the public certificate check."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from diaspora.forms_support import DayField, required_text_area
from diaspora.services.collaborations import MAX_HOURS_PER_MONTH, MAX_TEXT_LENGTH


class StartForm(FlaskForm):
    started_on = DayField(
        _l("Date the work started"),
        validators=[InputRequired(message=_l("Give the date the work started."))],
    )


class CancelForm(FlaskForm):
    reason = required_text_area(
        _l("Why is the collaboration cancelled?"),
        _l("Say why the collaboration is cancelled."),
        MAX_TEXT_LENGTH,
        description=_l("The other side reads it."),
        rows=3,
    )


class HoursForm(FlaskForm):
    month = SelectField(_l("Month"), choices=[], validate_choice=False)
    hours = IntegerField(
        _l("Hours given that month"),
        validators=[
            InputRequired(message=_l("Give a number of hours.")),
            NumberRange(min=1, max=MAX_HOURS_PER_MONTH),
        ],
        render_kw={"min": 1, "max": MAX_HOURS_PER_MONTH},
    )


class ReviewHoursForm(FlaskForm):
    note = TextAreaField(
        _l("If you dispute them, say what does not match"),
        validators=[Optional(), Length(max=MAX_TEXT_LENGTH)],
        render_kw={"rows": 2},
    )


class CompleteForm(FlaskForm):
    outcome = required_text_area(
        _l("What was delivered?"),
        _l("Say in a few words what was delivered."),
        MAX_TEXT_LENGTH,
        description=_l("A few sentences; the expert's certificate quotes them."),
        rows=4,
    )


class RateForm(FlaskForm):
    score = RadioField(
        _l("Your rating, from 1 (poor) to 5 (excellent)"),
        choices=[(str(n), str(n)) for n in range(1, 6)],
        validators=[Optional()],
    )
    comment = TextAreaField(
        _l("A comment (optional)"),
        validators=[Optional(), Length(max=MAX_TEXT_LENGTH)],
        description=_l("Only the platform's administrators read your rating."),
        render_kw={"rows": 3},
    )


class VerifyForm(FlaskForm):
    class Meta:
        csrf = False  # a GET form anyone may fill in

    code = StringField(
        _l("Verification code"),
        validators=[DataRequired(message=_l("Type the code printed on the certificate."))],
        description=_l("For example ABCD-EFGH-JKMN."),
        render_kw={"autocomplete": "off", "maxlength": 40},
    )
