"""Forms of the match page (its viewer's decisions) and of the answers to an invitation."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from diaspora.services.invitations import MAX_REASON_LENGTH


class ConfirmForm(FlaskForm):
    """A button and its CSRF token: approve, accept, bulk approve."""


class DeclineForm(FlaskForm):
    reason = TextAreaField(
        _l("A word for the institution (optional)"),
        validators=[Optional(), Length(max=MAX_REASON_LENGTH)],
        description=_l("For example: not available before June, or a colleague who would fit."),
        render_kw={"rows": 3},
    )


class RejectForm(FlaskForm):
    reason = TextAreaField(
        _l("Why is this suggestion rejected?"),
        validators=[
            DataRequired(message=_l("Say why this suggestion is rejected.")),
            Length(max=MAX_REASON_LENGTH),
        ],
        description=_l(
            "Kept in the audit log for the other administrators; never shown to the expert, "
            "unless they asked for this project themselves and you share it below."
        ),
        render_kw={"rows": 3},
    )
    # Offered for an expert's own interest only: they are told it was not taken forward.
    share_reason = BooleanField(_l("Share this reason with the expert in the email telling them"))
