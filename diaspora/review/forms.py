"""Forms of the review queue: adding an expert by hand."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField
from wtforms.validators import DataRequired, NumberRange

from diaspora.main.converters import LARGEST_ID


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
