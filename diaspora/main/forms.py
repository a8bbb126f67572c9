from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField
from wtforms.validators import DataRequired


class EraseForm(FlaskForm):
    password = PasswordField(
        _l("Your password"),
        validators=[DataRequired(message=_l("Type your password."))],
        render_kw={"autocomplete": "current-password"},
    )
