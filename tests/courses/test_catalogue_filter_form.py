"""The catalogue's filter form is written once per process for each query, language and set of
lists (courses.views.public._filter_form): what a visitor sees in it must still follow all three."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from coursehub.extensions import db
from tests.factories import MunicipalityFactory, VenueFactory


def _chosen(page: str, field: str) -> list[str]:
    """The labels of the options a filter shows as chosen."""
    select = page.split(f'name="{field}"', 1)[1].split("</select>", 1)[0]
    return re.findall(r"<option selected value=\"[^\"]*\">([^<]*)</option>", select)


def _months(page: str) -> list[str]:
    select = page.split('name="manad"', 1)[1].split("</select>", 1)[0]
    return re.findall(r"<option[^>]* value=\"\d{4}-\d{2}\">([^<]*)</option>", select)


def _seats_box_checked(page: str) -> bool:
    box = re.search(r"<input[^>]*name=\"platser\"[^>]*>", page)
    assert box is not None
    return "checked" in box.group(0)


def test_each_visit_shows_its_own_choices_in_the_form(client):
    habo = MunicipalityFactory(name="Habo")
    VenueFactory(municipality=habo)
    VenueFactory(municipality=MunicipalityFactory(name="Aneby"))
    db.session.commit()
    visits = [
        (f"/kurser?kommun={habo.id}&platser=y", ["Habo"], True),
        ("/kurser", ["Alla kommuner"], False),
        (f"/kurser?kommun={habo.id}&platser=y&sida=2", ["Habo"], True),
        ("/kurser?kommun=inte-en-kommun", ["Alla kommuner"], False),
        (f"/kurser?kommun={habo.id}&platser=y", ["Habo"], True),  # again, as the first visit
        ("/kurser", ["Alla kommuner"], False),
    ]
    for address, municipality, seats_only in visits:
        page = client.get(address).get_data(as_text=True)
        assert _chosen(page, "kommun") == municipality, address
        assert _seats_box_checked(page) is seats_only, address
    # A value that is no municipality is marked on the field, on every visit with it.
    for _ in range(2):
        page = client.get("/kurser?kommun=inte-en-kommun").get_data(as_text=True)
        field = re.search(r"<select[^>]*name=\"kommun\"[^>]*>", page)
        assert field is not None and 'aria-invalid="true"' in field.group(0)
    field = re.search(r"<select[^>]*name=\"kommun\"[^>]*>", client.get("/kurser").get_data(as_text=True))
    assert field is not None and "aria-invalid" not in field.group(0)


def test_the_form_speaks_the_language_chosen(client):
    VenueFactory(municipality=MunicipalityFactory(name="Habo"))
    db.session.commit()
    assert '<label class="form-label" for="typ">Kurs</label>' in client.get("/kurser").get_data(as_text=True)
    client.post("/sprak", data={"locale": "en", "next": "/kurser"})
    english = client.get("/kurser").get_data(as_text=True)
    assert '<label class="form-label" for="typ">Course</label>' in english and "All months" in english
    client.post("/sprak", data={"locale": "sv", "next": "/kurser"})
    assert "Alla månader" in client.get("/kurser").get_data(as_text=True)


def test_the_months_offered_move_on_when_a_month_begins(client, clock):
    clock.set(datetime(2026, 12, 31, 22, 30, tzinfo=UTC))  # 23:30 in Sweden
    months = _months(client.get("/kurser").get_data(as_text=True))
    assert months[0] == "december 2026" and months[-1] == "november 2027"
    clock.set(datetime(2026, 12, 31, 23, 30, tzinfo=UTC))  # half past midnight, New Year's Day
    months = _months(client.get("/kurser").get_data(as_text=True))
    assert months[0] == "januari 2027" and months[-1] == "december 2027"
