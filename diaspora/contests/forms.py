"""Asking for a human review of a decision, and an admin's answer."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, TextAreaField
from wtforms.validators import DataRequired, Length

from diaspora.models import ContestOutcome
from diaspora.services.contests import MAX_MESSAGE


class ContestForm(FlaskForm):
    message = TextAreaField(
        _l("What do you think is wrong with this decision?"),
        validators=[
            DataRequired(message=_l("Say what you think is wrong with this decision.")),
            Length(max=MAX_MESSAGE),
        ],
        description=_l("An administrator reads it with the decision and its history."),
        render_kw={"rows": 5},
    )


class AnswerForm(FlaskForm):
    answer = TextAreaField(
        _l("Your answer"),
        validators=[
            DataRequired(message=_l("Write the answer the person will read.")),
            Length(max=MAX_MESSAGE),
        ],
        description=_l("Sent to the person by email and shown to them on the platform."),
        render_kw={"rows": 5},
    )
    outcome = RadioField(
        _l("Outcome"),
        choices=[
            (ContestOutcome.UPHELD, _l("The decision stands")),
            (ContestOutcome.CHANGED, _l("The decision is changed")),
        ],
        default=ContestOutcome.UPHELD,
        validators=[DataRequired()],
    )
