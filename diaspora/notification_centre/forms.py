from flask_wtf import FlaskForm


class MarkAllReadForm(FlaskForm):
    """A button: its CSRF token is all it carries."""


class NotificationPreferencesForm(FlaskForm):
    """One radio group per optional kind, named `kind-<kind>`, written by the template from the
    kinds the reader's role receives (their number follows the registry, not this class)."""
