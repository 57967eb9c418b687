"""The catalogue's filter choices are held by each process while the reference mark stays
(coursehub.accounts.reference): read and built once, and read anew as soon as a list changes,
whoever changed it."""

from __future__ import annotations

import re

from coursehub.extensions import db
from tests.factories import CourseTypeFactory, MunicipalityFactory, VenueFactory
from tests.support.sql import count_traffic


def _offered(page: str, field: str) -> list[str]:
    """The names a filter of the catalogue offers, after its "all" option."""
    select = page.split(f'name="{field}"', 1)[1].split("</select>", 1)[0]
    return re.findall(r"<option value=\"[0-9]+\"[^>]*>([^<]*)</option>", select)


def test_the_choices_are_read_once_and_then_only_the_mark(client):
    CourseTypeFactory(name="Ett hem att växa i")
    VenueFactory(municipality=MunicipalityFactory(name="Habo"))
    db.session.commit()
    with count_traffic(db.engine) as first:
        page = client.get("/kurser").get_data(as_text=True)
    with count_traffic(db.engine) as second:
        again = client.get("/kurser").get_data(as_text=True)
    assert len(second.statements) == len(first.statements)
    # The choices came as a row per entry (a type and a municipality, each with the mark), then
    # as one row: the mark, which is the one the process holds.
    assert second.rows == first.rows - 1
    for shown in (page, again):
        assert _offered(shown, "typ") == ["Ett hem att växa i"] and _offered(shown, "kommun") == ["Habo"]


def test_a_change_to_a_list_shows_at_the_next_view(client):
    # The process is not told: the rows change in the database (another worker's service, a
    # migration, a script), and the mark the triggers moved makes the next view read them.
    course_type = CourseTypeFactory(name="Ett hem att växa i")
    habo = VenueFactory(municipality=MunicipalityFactory(name="Habo"))
    db.session.commit()
    client.get("/kurser")
    VenueFactory(municipality=MunicipalityFactory(name="Aneby"))
    db.session.commit()
    assert _offered(client.get("/kurser").get_data(as_text=True), "kommun") == ["Aneby", "Habo"]
    course_type.name = "Fördjupning: anknytning"
    db.session.delete(habo)
    db.session.commit()
    page = client.get("/kurser").get_data(as_text=True)
    assert _offered(page, "typ") == ["Fördjupning: anknytning"] and _offered(page, "kommun") == ["Aneby"]
