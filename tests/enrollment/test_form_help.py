"""Forms that help: every error at once beside its field, required fields marked, autofill, privacy."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from coursehub.accounts.models import Household
from coursehub.extensions import db
from tests.factories import CourseRunFactory, EnrollmentFactory


def _html(response) -> str:
    return response.get_data(as_text=True)


def _tag(html: str, name: str) -> str:
    """Return the opening tag of the form control named `name`."""
    match = re.search(rf'<(?:input|select|textarea)[^>]*name="{name}"[^>]*>', html)
    assert match, f"no control named {name}"
    return match.group(0)


def test_the_family_form_shows_every_error_at_once_beside_its_field(client, run, municipality):
    db.session.commit()
    response = client.post(
        f"/kurser/{run.id}/ny-familj",
        data={"adult1_name": "Eva Ek", "adult1_email": "eva.exempel.se", "municipality_id": ""},
    )
    html = _html(response)
    assert response.status_code == 200
    assert db.session.scalar(select(func.count()).select_from(Household)) == 0
    email = _tag(html, "adult1_email")
    assert 'aria-invalid="true"' in email and 'aria-describedby="adult1_email-error"' in email
    assert re.search(r'id="adult1_email-error"[^>]*>Skriv en e-postadress som namn@exempel.se', html)
    place = _tag(html, "municipality_id")
    assert 'aria-invalid="true"' in place and "municipality_id-error" in place
    assert re.search(r'id="municipality_id-error"[^>]*>Välj kommun.', html)


def test_the_family_form_marks_required_fields_and_helps_the_browser_fill_in(client, run, municipality):
    db.session.commit()
    html = _html(client.get(f"/kurser/{run.id}/ny-familj"))
    place = _tag(html, "municipality_id")
    assert " required" in place and 'class="form-select' in place
    # The placeholder has an empty value, so a required select is valid HTML and sends nothing.
    assert '<option selected value="">Välj kommun</option>' in html
    assert 'Fält markerade med <span class="required-mark">*</span> måste fyllas i.' in html
    assert 'autocomplete="name"' in _tag(html, "adult1_name")
    assert 'autocomplete="email"' in _tag(html, "adult1_email")
    # The second adult is someone else: the browser must not fill in the first one's details.
    assert 'autocomplete="off"' in _tag(html, "adult2_email")
    assert re.search(
        r'class="privacy-note[^"]*">Vi använder uppgifterna[^<]*<a href="/personuppgifter">', html
    )


def test_several_forms_on_one_page_repeat_no_id(app, client, login_as, make_family, run):
    app.config["WTF_CSRF_ENABLED"] = True  # the tests' default leaves the token fields out
    household, (adult,) = make_family(1)
    for course in (run, CourseRunFactory(capacity=4)):
        EnrollmentFactory(run=course, household=household, persons=[adult])
    db.session.commit()
    login_as(client, adult)
    html = _html(client.get("/mina-kurser"))
    assert html.count("Avboka anmälan") == 2
    assert html.count('name="csrf_token"') >= 4  # the language switch, logging out, two cancellations
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
