"""The form with which staff send the yearly survey: which form, which year, to whom."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import SelectMultipleField
from wtforms.validators import DataRequired, InputRequired, StopValidation, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from coursehub.courses.forms import CheckboxChoices
from coursehub.lib.forms import CHOOSE_OFFERED, BaseForm, OfferedChoice, WholeNumber

# The survey is for a year near the present: last year's (sent in January), this or next year's.
YEARS_BACK, YEARS_AHEAD = 1, 1


NO_YEAR = _l("Skriv året enkäten gäller.")


class RoleChoices(SelectMultipleField):
    """Roles as one checkbox each; a value the page did not offer gets a Swedish message."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form: Any) -> None:
        try:
            super().pre_validate(form)
        except ValidationError:
            raise ValidationError(str(CHOOSE_OFFERED)) from None


class SendSurveyForm(BaseForm):
    """Send a published survey form for a year to the members of networks and holders of roles."""

    version = OfferedChoice(_l("Formulär"), validators=[DataRequired(_l("Välj ett formulär."))])
    year = WholeNumber(_l("År"), validators=[InputRequired(NO_YEAR)], render_kw={"inputmode": "numeric"})
    networks = CheckboxChoices(_l("Nätverk"))
    roles = RoleChoices(_l("Roller"))

    def __init__(
        self,
        *args: Any,
        versions: list[tuple[int, str]],
        networks: list[tuple[int, str]],
        roles: list[tuple[str, str]],
        this_year: int,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.version.choices = [(0, _l("Välj formulär")), *versions]
        self.networks.choices = networks
        self.roles.choices = roles
        self.this_year = this_year
        if self.year.data is None and not self.is_submitted():
            self.year.data = this_year

    def validate_version(self, field: OfferedChoice) -> None:
        if not field.data:
            raise ValidationError(str(_l("Välj ett formulär.")))

    def validate_year(self, field: WholeNumber) -> None:
        if field.process_errors:
            raise StopValidation()  # the field's own message says what is wrong
        if field.data is None:
            raise StopValidation(str(NO_YEAR))
        first, last = self.this_year - YEARS_BACK, self.this_year + YEARS_AHEAD
        if not first <= field.data <= last:
            raise ValidationError(
                str(_l("Välj ett år mellan %(first)d och %(last)d.", first=first, last=last))
            )

    def validate_roles(self, field: RoleChoices) -> None:
        if not field.data and not self.networks.data:
            raise ValidationError(str(_l("Välj minst ett nätverk eller en roll.")))
