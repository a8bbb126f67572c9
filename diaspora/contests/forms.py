"""Asking for a human review of a decision, and an admin's answer."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField
from wtforms.validators import DataRequired

from diaspora.forms_support import required_text_area
from diaspora.models import ContestOutcome
from diaspora.services.contests import MAX_MESSAGE


class ContestForm(FlaskForm):
    message = required_text_area(
        _l("What do you think is wrong with this decision?"),
        _l("Say what you think is wrong with this decision."),
        MAX_MESSAGE,
        description=_l("An administrator reads it with the decision and its history."),
        rows=5,
    )


class AnswerForm(FlaskForm):
    answer = required_text_area(
        _l("Your answer"),
        _l("Write the answer the person will read."),
        MAX_MESSAGE,
        description=_l("Sent to the person by email and shown to them on the platform."),
        rows=5,
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
