"""The choice of period and area above the report (a GET form: its keys are the page's address)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import SelectField
from wtforms.validators import ValidationError

from coursehub.lib.forms import BaseForm
from coursehub.lib.quick_select import QuickSelect


class ReportForm(BaseForm):
    """Period ("2025h1", "2025") and area ("lan", "del-3", "kommun-12"), both from lists offered.

    The view offers them as SelectChoice (courses.forms.opts), which QuickSelect writes in one
    loop: the areas are every member municipality (290 at national size).
    """

    class Meta:
        csrf = False

    period = SelectField(_l("Period"), validate_choice=False, widget=QuickSelect())
    omrade = SelectField(_l("Område"), validate_choice=False, widget=QuickSelect())

    def validate_period(self, field: Any) -> None:
        if field.data not in {choice.value for choice in field.choices}:
            raise ValidationError(
                str(_l("Välj en period i listan, till exempel ett halvår eller ett helt år."))
            )

    def validate_omrade(self, field: Any) -> None:
        if field.data not in {choice.value for choice in field.choices}:
            raise ValidationError(
                str(_l("Välj ett område i listan: hela länet, en länsdel eller en kommun."))
            )
