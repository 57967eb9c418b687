"""Forms of the evaluations area; services check every rule again."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField, StringField, TextAreaField

# types-WTForms predates SelectChoice (WTForms 3.3); see coursehub/courses/forms.py.
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]
from wtforms.validators import InputRequired, Length

from coursehub.evaluations.models import LABEL_MAX, NAME_MAX, QUESTION_MAX, FormPurpose, QuestionKind
from coursehub.lib.forms import BaseForm, OfferedChoice

PURPOSE_LABELS = {
    FormPurpose.COURSE: _l("Kursutvärdering"),
    FormPurpose.SURVEY: _l("Årlig enkät"),
}
KIND_LABELS = {
    QuestionKind.RATING: _l("Skala 1–5"),
    QuestionKind.YES_NO: _l("Ja eller nej"),
    QuestionKind.CHOICE: _l("Ett av flera alternativ"),
    QuestionKind.TEXT: _l("Fritext"),
}


class NewFormForm(BaseForm):
    name = StringField(_l("Formulärets namn"), validators=[InputRequired(), Length(max=NAME_MAX)])
    purpose = RadioField(
        _l("Används till"),
        choices=[SelectChoice(p.value, label) for p, label in PURPOSE_LABELS.items()],
        default=FormPurpose.COURSE.value,
        validators=[InputRequired()],
    )


class QuestionForm(BaseForm):
    kind = RadioField(
        _l("Typ av fråga"),
        choices=[SelectChoice(k.value, label) for k, label in KIND_LABELS.items()],
        default=QuestionKind.RATING.value,
        validators=[InputRequired()],
    )
    text = TextAreaField(_l("Frågan"), validators=[InputRequired(), Length(max=QUESTION_MAX)])
    is_required = BooleanField(_l("Måste besvaras"))
    low_label = StringField(_l("Text vid 1 (skalfråga)"), validators=[Length(max=LABEL_MAX)])
    high_label = StringField(_l("Text vid 5 (skalfråga)"), validators=[Length(max=LABEL_MAX)])
    is_indicator = BooleanField(_l("Indikator: en 5:a räknas som mycket nöjd (skalfråga)"))
    choices = TextAreaField(_l("Svarsalternativ, ett per rad (flervalsfråga)"))


class ButtonForm(BaseForm):
    """A button that posts (publish, remove, open): only the CSRF token."""


class MoveForm(BaseForm):
    direction = RadioField(
        choices=[SelectChoice("upp", _l("Upp")), SelectChoice("ned", _l("Ned"))], validators=[InputRequired()]
    )


class CourseTypeFormForm(BaseForm):
    form_id = OfferedChoice(_l("Utvärderingsformulär"))


class AnswerForm(BaseForm):
    """The answering page: the questions are read by the service; this holds the token and consent."""

    may_quote = BooleanField(_l("Fritextsvaren får citeras anonymt"))
