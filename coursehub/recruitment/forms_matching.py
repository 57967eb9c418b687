"""Forms of the presentation, the requests, offers and matches. They never save; services check again."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, RadioField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from coursehub.courses.forms import Choice, LocalDateField
from coursehub.lib.forms import BaseForm, WholeNumber
from coursehub.lib.quick_select import opts
from coursehub.recruitment.labels import DECISION_LABELS, KIND_LABELS, PROXIMITY_LABELS
from coursehub.recruitment.services.matching import MAX_CHILD_AGE, MAX_NEEDS
from coursehub.recruitment.services.presentation import MAX_TEXT

TOO_LONG = _l("Högst %(max)d tecken.")
A_DATE = _l("Ange ett datum.")


class RadioChoice(RadioField):
    """Radio buttons whose refusal of an unoffered value is in Swedish."""

    def pre_validate(self, form):  # noqa: ANN001, ANN201 - WTForms' signature
        try:
            super().pre_validate(form)
        except ValidationError:
            raise ValidationError(str(_l("Välj ett av alternativen."))) from None


class ButtonForm(BaseForm):
    """A button that only needs the CSRF token."""


class PresentationForm(BaseForm):
    """Staff write the presentation of a family; each save is a new version."""

    text = TextAreaField(
        _l("Presentation av familjen"),
        validators=[InputRequired(_l("Skriv presentationen.")), Length(max=MAX_TEXT, message=TOO_LONG)],
        render_kw={"rows": 14},
    )


class RequestForm(BaseForm):
    """A municipal worker asks for a family for a child: never the child's name."""

    child_age = WholeNumber(
        _l("Barnets ålder (år)"),
        validators=[
            InputRequired(_l("Ange barnets ålder.")),
            NumberRange(min=0, max=MAX_CHILD_AGE, message=_l("Ange en ålder mellan 0 och %(max)d år.")),
        ],
    )
    kind = Choice(
        _l("Typ av uppdrag"),
        # An empty first choice: nothing is chosen for the worker (and the HTML rules want it).
        choices=lambda: opts(
            [("", _l("Välj typ av uppdrag")), *((k.value, label) for k, label in KIND_LABELS.items())]
        ),
        validators=[InputRequired(_l("Välj typ av uppdrag."))],
    )
    proximity = RadioChoice(
        _l("Var bör familjen bo?"),
        choices=lambda: opts((value.value, label) for value, label in PROXIMITY_LABELS.items()),
        default="either",
        validators=[InputRequired(_l("Välj om en familj nära eller långt bort passar bäst."))],
    )
    wanted_start_on = LocalDateField(_l("Önskad start (valfritt)"), validators=[Optional()])
    needs = TextAreaField(
        _l("Barnets behov"),
        validators=[Optional(), Length(max=MAX_NEEDS, message=TOO_LONG)],
        render_kw={"rows": 6},
    )
    confirm_anonymous = BooleanField(
        _l("Texten pekar inte ut barnet: den har inget namn och inget personnummer")
    )


class OfferForm(BaseForm):
    """Staff offer one of the fitting families (the case is posted by id; the service checks it)."""

    case_id = HiddenField()


class AnswerForm(BaseForm):
    """Staff record one side's answer to an offer (the buttons post `answer`)."""

    side = HiddenField()
    answer = HiddenField()


def _outcomes() -> list:  # noqa: ANN401
    return opts(
        [("", _l("Inte klart än")), *[(value.value, label) for value, label in DECISION_LABELS.items()]]
    )


class AssessmentForm(BaseForm):
    """The municipality's assessment: when it began, and when and how it ended."""

    assessment_started_on = LocalDateField(_l("Utredningen började"), validators=[InputRequired(A_DATE)])
    assessment_decided_on = LocalDateField(_l("Utredningen blev klar"), validators=[Optional()])
    assessment_outcome = Choice(_l("Utredningens resultat"), choices=_outcomes, validators=[Optional()])


class DecisionForm(BaseForm):
    """The committee's decision: its date and outcome."""

    decision_on = LocalDateField(_l("Nämndens beslut, datum"), validators=[InputRequired(A_DATE)])
    decision_outcome = Choice(
        _l("Beslut"),
        choices=lambda: opts(
            [("", _l("Välj beslut")), *((v.value, label) for v, label in DECISION_LABELS.items())]
        ),
        validators=[InputRequired(_l("Välj beslut."))],
    )
