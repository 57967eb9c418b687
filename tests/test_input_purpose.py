"""The public forms that ask people for their own name, e-mail, phone and address say what each
field is for (WCAG 2.1 success criterion 1.3.5, Identify Input Purpose, level AA): a phone then
offers to fill them in, and shows the keyboard the field needs (type="email", type="tel").

The templates pass the tokens (recruitment/register.html, enrollment's registration); no test held
them there. The first adult's fields are the person's own; the second adult's are someone else's,
so they say "off" (a phone would offer the person's own details there), but still get the
keyboard they need.
"""

from __future__ import annotations

from coursehub.extensions import db
from tests.factories import CourseRunFactory, MunicipalityFactory
from tests.support.form_fields import form_fields


def purposes(client, path: str, names) -> dict[str, tuple[str | None, str | None]]:
    """Return each named field's (autocomplete, type) on the page at `path`."""
    answer = client.get(path)
    assert answer.status_code == 200, path
    found = form_fields(answer.get_data(as_text=True)).fields
    return {name: (found[name].get("autocomplete"), found[name].get("type")) for name in names}


# field -> (autocomplete, type): the person's own details, then the second adult's.
INTEREST = {
    "adult1_first_name": ("given-name", "text"),
    "adult1_last_name": ("family-name", "text"),
    "adult1_email": ("email", "email"),
    "adult1_phone": ("tel", "tel"),
    "street": ("address-line1", "text"),
    "postal_code": ("postal-code", "text"),
    "city": ("address-level2", "text"),
    "adult2_first_name": ("off", "text"),
    "adult2_last_name": ("off", "text"),
    "adult2_email": ("off", "email"),
    "adult2_phone": ("off", "tel"),
}
NEW_FAMILY = {
    "adult1_name": ("name", "text"),
    "adult1_email": ("email", "email"),
    "adult2_name": ("off", "text"),
    "adult2_email": ("off", "email"),
}


def test_a_stranger_registering_interest_gets_their_own_details_filled_in(client):
    MunicipalityFactory(name="Vaggeryd")
    db.session.commit()
    assert purposes(client, "/bli-familjehem", INTEREST) == INTEREST


def test_a_new_family_signing_up_for_a_course_gets_its_own_details_filled_in(client):
    MunicipalityFactory(name="Vaggeryd")
    run = CourseRunFactory(title="Ett hem att växa i, hösten 2026")
    db.session.commit()
    assert purposes(client, f"/kurser/{run.id}/ny-familj", NEW_FAMILY) == NEW_FAMILY
