from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
)
from wtforms.validators import DataRequired, EqualTo, Length, Optional, ValidationError

from diaspora.models import Evidence, InstitutionKind, TokenScope
from diaspora.rules import text
from diaspora.services import api_tokens
from diaspora.services.accounts import MIN_PASSWORD_LENGTH, email_address_problem
from diaspora.services.institution_evidence import MAX_LETTER_BYTES, EvidenceInfo

LOCALE_CHOICES = [("fr", "Français"), ("ar", "العربية"), ("en", "English")]


# Invisible characters come from pasting, not typing; PostgreSQL refuses NUL outright. Lengths
# are checked on the cleaned line.
def drop_control_characters(value):
    return text.clean_line(value) if isinstance(value, str) else value


def valid_email_address(form, field):
    """The accounts' rule for addresses, which `flask create-admin` applies too."""
    problem = email_address_problem(field.data or "")
    if problem:
        raise ValidationError(problem)


def email_field(label=None):
    return EmailField(
        label or _l("Email address"),
        validators=[DataRequired(), valid_email_address, Length(max=254)],
        render_kw={"autocomplete": "email"},
    )


def new_password_field(label=None):
    return PasswordField(
        label or _l("Password"),
        validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=200)],
        description=_l("At least %(n)d characters.", n=MIN_PASSWORD_LENGTH),
        render_kw={"autocomplete": "new-password"},
    )


def confirm_field():
    return PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
        render_kw={"autocomplete": "new-password"},
    )


class LoginForm(FlaskForm):
    email = email_field()
    password = PasswordField(
        _l("Password"), validators=[DataRequired()], render_kw={"autocomplete": "current-password"}
    )
    remember = BooleanField(_l("Keep me logged in on this device"))


class ExpertSignupForm(FlaskForm):
    full_name = StringField(
        _l("Full name"),
        validators=[DataRequired(), Length(max=120)],
        filters=[drop_control_characters],
        render_kw={"autocomplete": "name"},
    )
    email = email_field()
    password = new_password_field()
    confirm = confirm_field()
    locale = SelectField(_l("Language for our emails"), choices=LOCALE_CHOICES, default="fr")


KIND_LABELS = {
    InstitutionKind.MINISTRY: _l("Ministry"),
    InstitutionKind.UNIVERSITY: _l("University or school"),
    InstitutionKind.AGENCY: _l("Public agency"),
    InstitutionKind.PUBLIC_COMPANY: _l("Public company"),
    InstitutionKind.OTHER: _l("Other public body"),
}


class EvidenceFields:
    """How the member shows they work at the institution they register (sign-up and
    /institutions/new)."""

    evidence = RadioField(
        _l("How do you show that you work there?"),
        choices=[
            (Evidence.DOMAIN, _l("My email address is at the institution's official domain")),
            (Evidence.LETTER, _l("I upload a letter from the institution (PDF, 5 MB at most)")),
        ],
        default=Evidence.DOMAIN,
    )
    letter = FileField(
        _l("Letter (PDF)"),
        description=_l(
            "On the institution's letterhead, saying that you act for it. Only administrators "
            "read it."
        ),
        render_kw={"accept": ".pdf,application/pdf"},
    )


def evidence_info(form) -> EvidenceInfo:
    """The evidence as posted; the letter read up to one byte past the limit."""
    upload = form.letter.data
    data = upload.read(MAX_LETTER_BYTES + 1) if hasattr(upload, "read") else None
    kind = form.evidence.data if form.evidence.data in Evidence.ALL else ""
    return EvidenceInfo(kind=kind, letter=data or None)


class NewInstitutionFields(EvidenceFields):
    """A new institution as its first member describes it, with their evidence (sign-up and
    /institutions/new). The name is optional here because sign-up may join an existing
    institution instead: `institutions.checked_application` requires it for a new one."""

    institution_name = StringField(
        _l("Name of the institution"),
        validators=[Optional(), Length(max=200)],
        filters=[drop_control_characters],
    )
    institution_kind = SelectField(
        _l("Kind"), choices=list(KIND_LABELS.items()), default=InstitutionKind.MINISTRY
    )
    email_domain = StringField(
        _l("Official email domain of its staff"),
        validators=[Optional(), Length(max=120)],
        filters=[drop_control_characters],
        description=_l("For example sante.gov.ma: colleagues with this address can join."),
    )


class InstitutionSignupForm(NewInstitutionFields, ExpertSignupForm):
    join = RadioField(
        _l("Your institution"),
        choices=[
            ("existing", _l("It is already on the platform")),
            ("new", _l("Register it (an administrator will verify it)")),
        ],
        default="existing",
    )
    institution_id = SelectField(
        _l("Institution"), coerce=int, validators=[Optional()], validate_choice=False
    )


class EmailForm(FlaskForm):
    email = email_field()


class ResetPasswordForm(FlaskForm):
    password = new_password_field(_l("New password"))
    confirm = confirm_field()


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired()],
        render_kw={"autocomplete": "current-password"},
    )
    password = new_password_field(_l("New password"))
    confirm = confirm_field()


class ChangeEmailForm(FlaskForm):
    email = email_field(_l("New email address"))
    password = PasswordField(
        _l("Current password"),
        validators=[DataRequired()],
        render_kw={"autocomplete": "current-password"},
    )


class PreferencesForm(FlaskForm):
    locale = SelectField(_l("Language"), choices=LOCALE_CHOICES)


class ApiTokenForm(FlaskForm):
    name = StringField(
        _l("Name"),
        validators=[DataRequired(), Length(max=api_tokens.MAX_NAME)],
        filters=[drop_control_characters],
        description=_l("The tool that will use it, e.g. “HR export”."),
    )
    scope = RadioField(
        _l("Access"),
        choices=[
            (TokenScope.READ, _l("Read only")),
            (TokenScope.WRITE, _l("Read and write")),
        ],
        default=TokenScope.READ,
    )
    lifetime_days = SelectField(
        _l("Expires after"),
        choices=[(str(d), _l("%(n)d days", n=d)) for d in api_tokens.LIFETIMES_DAYS],
        default=str(api_tokens.LIFETIMES_DAYS[1]),
    )


class RevokeTokenForm(FlaskForm):
    token_id = HiddenField(validators=[DataRequired()])
