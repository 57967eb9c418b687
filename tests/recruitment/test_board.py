"""The staff's board: columns with counts, filters, the first-contact marker, and a fixed cost."""

import itertools
import re
from datetime import datetime, timedelta

from flask_babel import format_date
from sqlalchemy import insert
from sqlalchemy.dialects import postgresql

from coursehub import clock
from coursehub.accounts.models import Municipality
from coursehub.extensions import db as _db
from coursehub.recruitment import queries
from coursehub.recruitment.models import AssignmentKind, Case, CaseAdult, CaseKind, Step
from coursehub.recruitment.views import board as board_views
from tests.factories import MunicipalityFactory, UserFactory
from tests.recruitment.factories import CaseFactory, ChannelFactory
from tests.support.sql import page_rows


def _page(client, login_as, staff, query: str = "") -> str:
    return login_as(client, staff).get(f"/rekrytering/{query}").get_data(as_text=True)


def test_each_step_has_a_column_with_its_count_and_closed_cases_are_left_out(db, client, login_as, staff):
    CaseFactory(step=Step.INTERVIEW)
    CaseFactory(step=Step.INTERVIEW)
    CaseFactory(step=Step.CHECKS)
    CaseFactory(step=Step.INTERVIEW, closed_at=clock.now(), close_reason="Avslutat")
    db.session.commit()
    page = _page(client, login_as, staff)
    assert 'Telefonintervju <span class="badge text-bg-secondary">2</span>' in page
    assert 'Registerkontroller och BRA-fam <span class="badge text-bg-secondary">1</span>' in page
    assert 'Hembesök <span class="badge text-bg-secondary">0</span>' in page


def test_the_filters_narrow_the_board(db, client, login_as, staff):
    here, there = MunicipalityFactory(name="Habo"), MunicipalityFactory(name="Aneby")
    web = ChannelFactory(name="Sociala medier")
    other_staff = UserFactory(staff=True, full_name="Olle Lind")
    mine = CaseFactory(municipality=here, channel=web, assigned_to=staff,
                       kinds=[CaseKind(kind=AssignmentKind.EMERGENCY)])  # fmt: skip
    theirs = CaseFactory(municipality=there, assigned_to=other_staff)
    db.session.commit()
    everything = _page(client, login_as, staff)
    assert mine.reference in everything and theirs.reference in everything
    for query in (
        f"?kommun={here.id}",
        f"?handlaggare={staff.id}",
        "?typ=emergency",
        f"?kanal={web.id}",
        f"?kommun={here.id}&typ=emergency&kanal={web.id}",  # the statements are built once per set of filters
    ):
        page = _page(client, login_as, staff, query)
        assert mine.reference in page and theirs.reference not in page, query
        # The column counts what the filters let through too.
        assert 'Intresseanmälan <span class="badge text-bg-secondary">1</span>' in page, query
    assert 'Intresseanmälan <span class="badge text-bg-secondary">2</span>' in everything
    assert "Sara Berg" in everything  # each case's assigned staff member


def test_cases_past_the_first_contact_deadline_are_marked(db, client, login_as, staff):
    late = CaseFactory(first_contact_due_on=(clock.now() - timedelta(days=1)).date())
    contacted = CaseFactory(
        first_contact_due_on=(clock.now() - timedelta(days=1)).date(), first_contact_at=clock.now()
    )
    in_time = CaseFactory()
    db.session.commit()
    page = _page(client, login_as, staff)
    assert page.count("Första kontakt försenad") == 1
    assert "1 försenad första kontakt" in page
    card = page.split(late.reference, 1)[1].split("</li>", 1)[0]
    assert "Första kontakt försenad" in card
    assert contacted.reference in page and in_time.reference in page


def _many_cases(count: int, municipality, start: int = 0) -> None:
    now = clock.now()
    steps = list(Step)
    for n in range(start, start + count):
        case = Case(
            step=steps[n % 6], step_changed_at=now, registered_at=now - timedelta(minutes=n),
            first_contact_due_on=(now - timedelta(days=n % 3)).date(), municipality=municipality,
            street="Väg 1", postal_code="55111", city="Ort", min_child_age=0, max_child_age=10,
            consent_at=now, consent_version="2026-12", reference=f"B-{n:05d}",
            adults=[CaseAdult(first_name="Bo", last_name=f"Nr{n}", email=f"bo{n}@hem.test", phone="1")],
            kinds=[CaseKind(kind=AssignmentKind.LONG_TERM)],
        )  # fmt: skip
        _db.session.add(case)
    _db.session.commit()


def test_the_board_runs_a_fixed_number_of_queries_with_2000_open_cases(
    db, client, login_as, staff, count_queries
):
    municipality = MunicipalityFactory()
    _many_cases(20, municipality)
    login_as(client, staff)
    with count_queries() as few:
        assert client.get("/rekrytering/").status_code == 200
    _many_cases(1980, municipality, start=20)
    with count_queries() as many:
        page = client.get("/rekrytering/").get_data(as_text=True)
    # The user with the menu's counts, the audit row, the cards with their steps' counts, the
    # filters' lists (5 before the counts came with the cards).
    assert len(many) == len(few) == 4, many
    assert 'Intresseanmälan <span class="badge text-bg-secondary">334</span>' in page
    assert "Visa alla 334" in page


def _open_cases_in_many_municipalities(
    with_cases: int, per_municipality: int, without: int, closed: int = 0
) -> None:
    """Municipalities with `per_municipality` open cases each and `without` more with none, as a
    national set has them, and `closed` closed cases in the last of those without (written in
    bulk: the cases need no adults here)."""
    now = clock.now()
    places = [{"name": f"Ort {n:03d}", "code": f"{7000 + n}"} for n in range(with_cases + without)]
    found = _db.session.execute(insert(Municipality).returning(Municipality.id), places).scalars().all()

    def case(reference: str, municipality_id: int, registered_at: datetime, **ended: object) -> dict:
        return {
            "step": Step.REGISTERED,
            "step_changed_at": now,
            "registered_at": registered_at,
            "first_contact_due_on": now.date(),
            "municipality_id": municipality_id,
            "street": "Väg 1",
            "postal_code": "55111",
            "city": "Ort",
            "min_child_age": 0,
            "max_child_age": 10,
            "consent_at": now,
            "consent_version": "2026-12",
            "reference": reference,
            **ended,
        }

    opened = [
        case(f"M{n}", found[n % with_cases], now - timedelta(minutes=n))
        for n in range(with_cases * per_municipality)
    ]
    ended = {"closed_at": now - timedelta(days=300), "close_reason": "Avslutat"}
    long_ago = now - timedelta(days=400)
    _db.session.execute(
        insert(Case), opened + [case(f"S{n}", found[-1], long_ago, **ended) for n in range(closed)]
    )
    _db.session.commit()


def test_the_municipality_filter_reads_no_closed_case_and_holds_the_names(
    db, client, login_as, staff, postgres_only
):
    # The filter offers the municipalities that have open cases, by name. Their ids come from the
    # open cases' own index, whatever the years of closed cases beside them; the names (290 of a
    # national set, sorted under the database's collation) are read once per process and held
    # while the reference mark stays, not read and sorted on every view.
    _open_cases_in_many_municipalities(with_cases=300, per_municipality=12, without=250, closed=20_000)
    login_as(client, staff)
    client.get("/rekrytering/")  # the process now holds the names
    cases = page_rows(client, "/rekrytering/", db.engine, db.session, table="recruitment_cases")
    names = page_rows(client, "/rekrytering/", db.engine, db.session, table="municipalities")
    choices = [statement for statement in cases if statement.startswith("SELECT every.mark")]
    assert len(choices) == 1, cases
    assert cases[choices[0]] <= 300 * 12 and names[choices[0]] == 0, (cases, names)

    page = client.get("/rekrytering/").get_data(as_text=True)
    # By name; not the last place, whose every case is closed.
    assert _offered_municipalities(page) == [f"Ort {n:03d}" for n in range(300)]


def _offered_municipalities(page: str) -> list[str]:
    form = page.split('name="kommun"', 1)[1].split("</select>", 1)[0]
    return re.findall(r"<option value=\"[0-9]+\" >([^<]*)</option>", form)


def test_the_municipality_filter_follows_the_open_cases_and_the_names_at_once(db, client, login_as, staff):
    # What the filter offers changes on every view with the cases; the names it holds change at
    # the next view after any process renames or adds a municipality (the reference mark moves).
    habo, aneby = MunicipalityFactory(name="Habo"), MunicipalityFactory(name="Aneby")
    first = CaseFactory(municipality=habo)
    db.session.commit()
    login_as(client, staff)
    assert _offered_municipalities(client.get("/rekrytering/").get_data(as_text=True)) == ["Habo"]
    CaseFactory(municipality=aneby)
    first.closed_at, first.close_reason = clock.now(), "Avslutat"
    db.session.commit()
    assert _offered_municipalities(client.get("/rekrytering/").get_data(as_text=True)) == ["Aneby"]
    aneby.name = "Örkelljunga"
    CaseFactory(municipality=MunicipalityFactory(name="Bjuv"))
    db.session.commit()
    offered = _offered_municipalities(client.get("/rekrytering/").get_data(as_text=True))
    assert offered == ["Bjuv", "Örkelljunga"]


def test_the_board_statements_can_be_cached_so_they_are_compiled_once():
    # SQLAlchemy compiles a statement that has no cache key again on every request (2-3 ms for the
    # cards' LATERAL join); a VALUES list is one such.
    for used in itertools.product((False, True), repeat=len(queries._BOARD_FILTERS)):
        for postgres in (False, True):
            statement = queries._board_statement(used, postgres)
            assert statement._generate_cache_key() is not None, (used, postgres)


def test_the_unfiltered_board_statements_bind_no_constants_so_postgresql_plans_them_once():
    # psycopg prepares a statement after a few runs; one whose constants (the steps, the staff
    # roles, the column's length) are bound was planned again on every run, and its generic plan
    # took a third of all users for staff. The board binds the day it counts late contacts at;
    # the filters' lists the reference mark the process holds, which is written into the text
    # when it runs (so the text changes only when the mark does), and the ids' separator.
    dialect = postgresql.dialect()
    board = queries._board_statement((False,) * len(queries._BOARD_FILTERS), True)
    assert board.compile(dialect=dialect).params == {"today": None}
    assert queries._staff_members_statement().compile(dialect=dialect).params == {}
    choices = queries._board_choices_statement().compile(dialect=dialect)
    params = dict(choices.params)
    assert params.pop("held_mark") is None and choices.literal_execute_params
    assert list(params.values()) == [","]
    assert "'staff'" in str(choices) and "'open'" in str(choices)


def test_the_filter_form_shows_the_chosen_filters(db, client, login_as, staff):
    here, there = MunicipalityFactory(name="Habo"), MunicipalityFactory(name="Aneby")
    web, paper = ChannelFactory(name="Sociala medier"), ChannelFactory(name="Tidning")
    CaseFactory(municipality=here, channel=web, assigned_to=staff)
    CaseFactory(municipality=there, channel=paper)
    db.session.commit()
    page = _page(
        client, login_as, staff, f"?kommun={here.id}&handlaggare={staff.id}&typ=emergency&kanal={web.id}"
    )
    assert f'<option value="{here.id}" selected>Habo</option>' in page
    assert f'<option value="{there.id}" >Aneby</option>' in page
    assert f'<option value="{staff.id}" selected>Sara Berg</option>' in page
    assert '<option value="emergency" selected>Jourhem</option>' in page
    assert f'<option value="{web.id}" selected>Sociala medier</option>' in page
    assert f'<option value="{paper.id}" >Tidning</option>' in page
    plain = _page(client, login_as, staff)
    assert " selected>" not in plain.split('id="filter-kommun"', 1)[1].split("</form>", 1)[0]


# The cards and options as the board's macros wrote them before the view wrote them itself.
_CARDS_MACRO = """{% for href, reference, adult_name, where_when, staff, is_late in lines %}
<li class="card mb-2">
  <div class="card-body p-2">
    <a class="fw-semibold" href="{{ href }}">{{ reference }}</a>
    {% if adult_name is not none %}<span>{{ adult_name }}</span>{% endif %}
    <div class="small text-body-secondary">{{ where_when }}</div>
    <div class="small">{{ staff }}</div>
    {% if is_late %}<span class="badge text-bg-danger">{{ late }}</span>{% endif %}
  </div>
</li>
{% endfor %}"""
_OPTIONS_MACRO = (
    '{% for id, name in choices %}<option value="{{ id }}" {% if id == chosen %}selected{% endif %}>'
    "{{ name }}</option>{% endfor %}"
)


def test_the_written_cards_and_options_are_the_html_the_macros_wrote(app):
    now = clock.now()
    today = clock.to_local(now).date()
    odd = "<Ö & 'Å\"> "
    cards = [
        queries.Card(7, "R-1", Step.INTERVIEW, now, today, None, "Bo Ek", "Habo", "Sara Berg"),
        queries.Card(8, None, Step.INTERVIEW, now - timedelta(days=40), today - timedelta(days=2), None,
                     None, odd, None),
        queries.Card(9, odd, Step.CHECKS, now - timedelta(days=400), today - timedelta(days=2), now,
                     odd, "Habo", odd),
    ]  # fmt: skip
    with app.test_request_context("/rekrytering/"):
        lines = []
        for card in cards:
            day = clock.to_local(card.registered_at).date()
            staff_line = "Ingen handläggare" if card.staff_name is None else f"Handläggare: {card.staff_name}"
            lines.append(
                (
                    f"/rekrytering/arenden/{card.id}",
                    card.reference,
                    card.adult_name,
                    f"{card.municipality_name} · {format_date(day, 'd MMMM y')}",
                    staff_line,
                    card.is_past_first_contact(today),
                )
            )
        expected = app.jinja_env.from_string(_CARDS_MACRO).render(lines=lines, late="Första kontakt försenad")
        assert board_views._Cards(today).write(cards) == expected
        assert expected.count("<li") == 3 and "&lt;Ö &amp; &#39;Å&#34;&gt;" in expected and "None" in expected
        choices = [queries.Choice(1, "Habo"), queries.Choice(2, odd)]
        for chosen in (None, 1, 2):
            written = app.jinja_env.from_string(_OPTIONS_MACRO).render(choices=choices, chosen=chosen)
            assert board_views._options(choices, chosen) == written


def test_a_column_shows_its_ten_oldest_cases_and_leads_to_the_rest(db, client, login_as, staff):
    """The board is an overview: each step's ten oldest cases (those waiting longest), its count
    and a link to the step's paged list, whatever the number of open cases."""
    _many_cases(180, MunicipalityFactory())  # 30 in each of the first six steps
    page = _page(client, login_as, staff)
    registered = page.split('id="step-registered"', 1)[1].split("</section>", 1)[0]
    shown = [n for n in range(0, 180, 6) if f"B-{n:05d}" in registered]
    assert shown == list(range(120, 180, 6))  # the oldest: registered 120-174 minutes ago
    assert "Visa alla 30" in registered
    step = login_as(client, staff).get("/rekrytering/steg/registered").get_data(as_text=True)
    assert all(f"B-{n:05d}" in step for n in range(0, 180, 6))
