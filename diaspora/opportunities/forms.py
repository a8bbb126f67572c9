"""Forms of the experts' side of discovery: an expression of interest, the alerts' bar and
frequency."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField
from wtforms.validators import DataRequired, Length

from diaspora.models import AlertFrequency
from diaspora.services.interest import MAX_NOTE
from diaspora.services.project_alerts import CHOICES

OFF = "off"


class InterestForm(FlaskForm):
    note = TextAreaField(
        _l("Why this project? A few words for the administrators"),
        validators=[
            DataRequired(message=_l("Write a few words for the administrators.")),
            Length(max=MAX_NOTE),
        ],
        description=_l(
            "At most %(n)d characters. For example: what you would bring, or when you could start.",
            n=MAX_NOTE,
        ),
        render_kw={"rows": 4, "maxlength": MAX_NOTE},
    )


class AlertsForm(FlaskForm):
    min_score = SelectField(
        _l("Email me about a new project when it fits me at least"),
        choices=[(OFF, _l("Never: no such emails"))]
        + [(str(n), _l("%(n)d out of 100", n=n)) for n in CHOICES],
    )
    # Not sent by an older page: the service keeps the current choice, and refuses odd ones.
    frequency = SelectField(
        _l("When"),
        validate_choice=False,
        choices=[
            (AlertFrequency.INSTANT, _l("At once, one email per project")),
            (AlertFrequency.WEEKLY, _l("In my weekly digest")),
        ],
    )


def alerts_initial(min_score: int | None, frequency: str) -> dict:
    """The form's values for the stored bar (None is "off") and frequency."""
    return {"min_score": OFF if min_score is None else str(min_score), "frequency": frequency}


def alerts_value(form: AlertsForm) -> int | None:
    """The bar the form chose, for the service (None is "off")."""
    return None if form.min_score.data == OFF else int(form.min_score.data)
