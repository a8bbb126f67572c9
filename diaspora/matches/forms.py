from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from diaspora.main.converters import LARGEST_ID
from diaspora.services.invitations import MAX_REASON_LENGTH


class ConfirmForm(FlaskForm):
    """A button and its CSRF token: approve, accept, bulk approve."""


class RejectForm(FlaskForm):
    reason = TextAreaField(
        _l("Why is this suggestion rejected?"),
        validators=[
            DataRequired(message=_l("Say why this suggestion is rejected.")),
            Length(max=MAX_REASON_LENGTH),
        ],
        description=_l(
            "Kept in the audit log for the other administrators; never shown to the expert."
        ),
        render_kw={"rows": 3},
    )


class DeclineForm(FlaskForm):
    reason = TextAreaField(
        _l("A word for the institution (optional)"),
        validators=[Optional(), Length(max=MAX_REASON_LENGTH)],
        description=_l("For example: not available before June, or a colleague who would fit."),
        render_kw={"rows": 3},
    )


class AddExpertForm(FlaskForm):
    expert_id = IntegerField(
        _l("Expert"),
        validators=[
            DataRequired(message=_l("Choose an expert from the search results.")),
            NumberRange(
                min=1, max=LARGEST_ID, message=_l("Choose an expert from the search results.")
            ),
        ],
    )
