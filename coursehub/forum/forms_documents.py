"""Forms of the documents, library, news, meetings and search pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from coursehub.courses.forms import LocalDateField, LocalTimeField
from coursehub.forum.library import NEWS_MAX
from coursehub.forum.models import NAME_MAX, PLACE_MAX, TITLE_MAX, URL_MAX
from coursehub.lib.forms import BaseForm

TOO_LONG = _l("Högst %(max)d tecken.")
NO_FILE = _l("Välj en fil att ladda upp.")


def _optional_id(value: object) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else None


class FolderForm(BaseForm):
    name = StringField(
        _l("Mappens namn"), validators=[DataRequired(), Length(max=NAME_MAX, message=TOO_LONG)]
    )


class DocumentForm(BaseForm):
    """A new document: a file, and optionally a title and a folder."""

    file = FileField(_l("Fil"), validators=[FileRequired(NO_FILE)])
    title = StringField(_l("Titel"), validators=[Optional(), Length(max=TITLE_MAX, message=TOO_LONG)])
    folder_id = SelectField(_l("Mapp"), coerce=_optional_id, validate_choice=False)

    def __init__(self, *args: object, folders: list[tuple[int, str]] = (), **kwargs: object) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.folder_id.choices = [("", _l("Ingen mapp")), *folders]


class VersionForm(BaseForm):
    """A new version of a document: a file."""

    file = FileField(_l("Ny fil"), validators=[FileRequired(NO_FILE)])


class NewsForm(BaseForm):
    title = StringField(_l("Rubrik"), validators=[DataRequired(), Length(max=TITLE_MAX, message=TOO_LONG)])
    body = TextAreaField(_l("Text"), validators=[DataRequired(), Length(max=NEWS_MAX, message=TOO_LONG)])


class MeetingForm(BaseForm):
    day = LocalDateField(_l("Datum"), validators=[DataRequired()])
    time = LocalTimeField(_l("Tid"), validators=[DataRequired()])
    place = StringField(_l("Plats"), validators=[Optional(), Length(max=PLACE_MAX, message=TOO_LONG)])
    online_url = StringField(
        _l("Länk för att delta digitalt"), validators=[Optional(), Length(max=URL_MAX, message=TOO_LONG)]
    )
    agenda = TextAreaField(_l("Dagordning"), validators=[Optional(), Length(max=5000, message=TOO_LONG)])


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class RecordMeetingForm(BaseForm):
    """The minutes (a document of the network) and who attended (from its members)."""

    minutes_document_id = SelectField(_l("Protokoll"), coerce=_optional_id, validate_choice=False)
    attendees = MultiCheckboxField(_l("Närvarande"), coerce=_optional_id, validate_choice=False)

    def __init__(
        self,
        *args: object,
        documents: list[tuple[int, str]] = (),  # type: ignore[assignment]
        members: list[tuple[int, str]] = (),  # type: ignore[assignment]
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.minutes_document_id.choices = [("", _l("Inget protokoll ännu")), *documents]
        self.attendees.choices = list(members)

    def validate_attendees(self, field: MultiCheckboxField) -> None:
        if any(value is None for value in field.data or []):
            raise ValidationError(str(_l("Välj bland medlemmarna.")))
