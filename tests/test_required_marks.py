"""A field a form refuses to go without is marked so before anyone sends it (WCAG 2.1, 3.3.2 Labels
or Instructions): a star beside its label, which the form's note explains, and the `required`
attribute a screen reader announces (a group of boxes: the star on its legend).

The interest registration refused a registration without the consent box ticked, but the box had
no star and no `required`: a stranger learnt it only from the error after sending. Staff's forms
did the same with a run's seats, a course type's allowed absences, a survey's year, a county
part's municipalities and a document's file: each was checked in a `validate_` method, which
flags nothing. The first test sends the public forms empty and reads the star and `required`
from the blank page; the second sends every form of every role empty (found as the fuzz finds
them) and checks that each field refused is flagged required, which is what the form macros show.
"""

from __future__ import annotations

import re

import pytest
from wtforms.fields import HiddenField, SelectField, SelectMultipleField

from coursehub.extensions import db
from tests.access import user_for
from tests.factories import CourseRunFactory, MunicipalityFactory
from tests.fuzz.test_fuzz_forms import _METHODS, POSTED, FormRecorder, Target, _login
from tests.support.form_fields import form_fields


def _pages() -> list[str]:
    MunicipalityFactory(name="Vaggeryd")
    run = CourseRunFactory(title="Ett hem att växa i, hösten 2026")
    db.session.commit()
    return ["/bli-familjehem", f"/kurser/{run.id}/ny-familj"]


# The forms a stranger fills in. (A group of checkboxes, such as the adults a family signs up, has
# its star on its legend and no `required`: one box of the group is enough.)
@pytest.mark.parametrize("which", [0, 1], ids=["interest registration", "new family"])
def test_every_field_an_empty_form_is_refused_for_is_marked_required_on_the_blank_form(client, which):
    page = _pages()[which]
    blank = client.get(page).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', blank)
    answer = client.post(page, data={"csrf_token": token.group(1)} if token else {})
    assert answer.status_code in (200, 400, 422), page
    refused = {ident for ident, attrs in form_fields(answer.get_data(as_text=True)).fields.items()
               if attrs.get("aria-invalid") == "true"}  # fmt: skip
    assert refused, f"an empty {page} was not refused field by field"
    shown = form_fields(blank)
    unmarked = sorted(
        ident for ident in refused if ident not in shown.starred or "required" not in shown.fields[ident]
    )
    assert not unmarked, f"{page}: refused when empty but not marked required: {unmarked}"


# Fields that are required only with another left empty: one of the two will do, and each says so.
ONE_OF_TWO = {
    ("RunForm", "venue"): "a venue or a link to the meeting on the web",
    ("NewRunForm", "venue"): "a venue or a link to the meeting on the web",
    ("SessionForm", "venue"): "a venue or a link to the meeting on the web",
    ("SendSurveyForm", "roles"): "the networks or the roles the survey goes to",
}


def _never_empty(field) -> bool:
    """A select of one value with no empty option: a browser always sends one of its values (only
    an empty post made by hand leaves it out), so it needs no mark. Boxes to tick can all be left."""
    one_of = isinstance(field, SelectField) and not isinstance(field, SelectMultipleField)
    choices = field.choices if one_of else None
    return choices is not None and all(
        str(choice[0] if isinstance(choice, tuple) else choice.value) not in ("", "None")
        for choice in choices
    )


def test_every_field_a_form_refuses_to_go_without_is_flagged_required(app, client, login_as, monkeypatch):
    """Every form of every role (found as the fuzz finds them), sent empty: each field that comes back
    with an error is one the form refuses to go without, so it must be flagged required, which
    the form macro shows as the star and the `required` attribute."""
    recorder = FormRecorder(monkeypatch)
    unflagged, sent = [], 0
    for endpoint, role in POSTED:
        if "GET" not in _METHODS[endpoint]:
            continue  # a button's post, not a page with a form
        user = user_for(role)
        db.session.commit()
        _login(client, login_as, user)
        target = Target(app, endpoint, user)
        if not target.forms(client, recorder):
            continue
        _login(client, login_as, user)
        client.post(target.url(), data={})
        db.session.rollback()
        sent += 1
        for form in recorder.take():
            for field in form:
                if not field.errors or field.flags.required or isinstance(field, HiddenField):
                    continue
                if (type(form).__name__, field.name) in ONE_OF_TWO or _never_empty(field):
                    continue
                unflagged.append(f"{endpoint} as {role}: {field.name} ({field.errors[0]})")
    assert sent > 20
    assert not unflagged, "\n".join(unflagged)
