"""Bridging domain errors into WTForms so that the form re-renders with the messages."""

from diaspora.services.errors import ValidationFailed


def show_errors(form, error: ValidationFailed) -> None:
    """Attach each reason to its field (or to the form when no such field exists)."""
    for name, messages in error.reasons.items():
        field = form._fields.get(name) if name else None
        if field is None:
            form.form_errors.extend(messages)
        else:
            field.errors = list(field.errors) + list(messages)
