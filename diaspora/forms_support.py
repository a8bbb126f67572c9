"""What every blueprint's forms share: fields, repeatable rows, vocabulary choices and labels,
and bridging domain errors into WTForms so that the form re-renders with the messages."""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, FieldList, SelectMultipleField, TextAreaField
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from diaspora import vocabulary
from diaspora.rules import dates
from diaspora.services.errors import ValidationFailed


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes, one per choice."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def required_text_area(label, missing, max_length: int, description, rows: int) -> TextAreaField:
    """A text area that must be filled in (`missing` says so when it is not) within
    `max_length` characters."""
    return TextAreaField(
        label,
        validators=[DataRequired(message=missing), Length(max=max_length)],
        description=description,
        render_kw={"rows": rows},
    )


class DayField(DateField):
    """A date box (the browser shows a date picker; without one, YYYY-MM-DD in digits of any
    script, as number boxes read them). Empty is no date; a validator says if one is needed."""

    def process_formdata(self, valuelist):
        typed = (valuelist[0] if valuelist else "").strip()
        self.data = None
        if typed:
            try:
                self.data = dates.typed_day(typed)
            except ValueError:
                raise ValueError(_l("Enter a date as YYYY-MM-DD, such as 2027-01-15.")) from None


def add_rows(rows: FieldList, count: int, data=None) -> None:
    """Append up to ``count`` empty rows, never past the list's ``max_entries`` (WTForms
    refuses more with an assertion, which would answer a full form with a server error)."""
    for _i in range(count):
        if rows.max_entries and len(rows) >= rows.max_entries:
            return
        rows.append_entry(data)


def sector_label(code: str) -> str:
    """The sector's name in the reader's language (the code itself for an unknown one)."""
    label = vocabulary.SECTOR_LABELS.get(code)
    return str(_l(label)) if label else code


def sector_choices() -> list[tuple[str, str]]:
    """(code, label) for every sector, in the vocabulary's order, for a select or checkboxes."""
    return [(code, _l(vocabulary.SECTOR_LABELS[code])) for code in vocabulary.SECTORS]


def show_errors(form, error: ValidationFailed) -> None:
    """Attach each reason to its field (or to the form when no such field exists)."""
    for name, messages in error.reasons.items():
        field = form._fields.get(name) if name else None
        if field is None:
            form.form_errors.extend(messages)
        else:
            field.errors = list(field.errors) + list(messages)
