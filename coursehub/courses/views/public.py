"""The public catalogue, a run's page and its schedule as a calendar file."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import lru_cache

from babel.dates import format_date as babel_format_date
from flask import abort, current_app, get_template_attribute, make_response, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from coursehub import clock
from coursehub.courses import ical, permissions, queries
from coursehub.courses.forms import CatalogueFilterForm, int_or_none
from coursehub.courses.models import RunStatus
from coursehub.courses.views import bp, url_prefix
from coursehub.courses.views.catalogue_cards import CatalogueCards
from coursehub.lib import nav
from coursehub.lib.fragments import Fragments, app_fragments
from coursehub.lib.params import PAGE_KEY, page_arg
from coursehub.lib.quick_select import written_options

MODES = {"plats": "onsite", "natet": "online"}


def _months(now) -> list[date]:
    first = clock.to_local(now).date().replace(day=1)
    months = []
    for _step in range(12):
        months.append(first)
        first = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return months


@lru_cache(maxsize=512)
def _month_label(month: date, locale: str) -> str:
    """Return a month's name and year ("december 2026") in `locale`, as Flask-Babel's format_date
    writes it. Remembered: a calendar fact, no data, and twelve Babel calls a catalogue page."""
    return babel_format_date(month, "LLLL y", locale=locale)


def _viewer():
    return current_user if current_user.is_authenticated else None


def _offered(field, pairs: Sequence[tuple[int, str]]) -> int | None:
    """Return the field's id when the page offered it; an unknown one filters nothing away."""
    return field.data if not field.errors and field.data in dict(pairs) else None


def _filters(
    form: CatalogueFilterForm, months: list[date], choices: queries.CatalogueChoices
) -> queries.CatalogueFilters:
    wanted_month = next((m for m in months if m.strftime("%Y-%m") == form.manad.data), None)
    return queries.CatalogueFilters(
        course_type_id=form.typ.data if not form.typ.errors else None,
        municipality_id=form.kommun.data if not form.kommun.errors else None,
        month=wanted_month,
        mode=MODES.get(form.satt.data or "", ""),
        with_seats=bool(form.platser.data),
        county_part_id=_offered(form.lansdel, choices.county_parts),
        home_kind_id=_offered(form.hemtyp, choices.home_kinds),
        for_professionals=permissions.sees_professional_courses(_viewer()),
    )


@bp.get("/kurser")
def catalogue():
    """List upcoming and running published course runs, with filters and seats left."""
    now = clock.now()
    form = CatalogueFilterForm(request.args)
    choices = queries.catalogue_choices(for_professionals=permissions.sees_professional_courses(_viewer()))
    months = _months(now)
    locale = str(get_locale())
    # Each list's options are written once per content and language (written_options is keyed
    # by all of it: a new municipality or type is a new key), only the selected one per request.
    form.typ.choices = written_options(((None, _("Alla kurser")), *choices.types), int_or_none)
    form.kommun.choices = written_options(((None, _("Alla kommuner")), *choices.municipalities), int_or_none)
    form.lansdel.choices = written_options(((None, _("Hela länet")), *choices.county_parts), int_or_none)
    form.hemtyp.choices = written_options(((None, _("Alla hemtyper")), *choices.home_kinds), int_or_none)
    form.manad.choices = written_options(
        (("", _("Alla månader")), *((m.strftime("%Y-%m"), _month_label(m, locale)) for m in months)), str
    )
    form.validate()
    page = queries.catalogue_page(_filters(form, months, choices), now=now, page=page_arg())
    args = {k: v for k, v in request.args.items() if k != PAGE_KEY and v}
    return render_template(
        "courses/catalogue.html",
        form=form,
        page=page,
        args=args,
        filter_form=_filter_form(
            form, locale, has_parts=bool(choices.county_parts), has_kinds=bool(choices.home_kinds)
        ),
        # Each card's link is the run page's address up to the id: one url_for per page.
        cards=CatalogueCards(url_prefix("courses.detail", "run_id"), choices.aimed_at)(page.items),
    )


FILTER_FORMS_KEY = "coursehub_catalogue_filter_forms"
# The forms most asked for: the plain catalogue and its common filters, in each language. A form
# of the national catalogue is some 20 kB (290 municipalities), so a worker keeps at most ~1 MB.
FILTER_FORMS = 48


def _filter_form(form: CatalogueFilterForm, locale: str, *, has_parts: bool, has_kinds: bool) -> Markup:
    """The filter form's HTML, written once per process for each query, language and set of lists.

    What the form shows follows from those alone: the lists offered (each list the same object
    while its choices stay, `written_options`), the query's values and the errors they get against
    those lists, the language and the script root. The lists are in the key by identity, so a
    list written anew (a venue added, another month begun) is a new form; each form is kept with
    its lists, so no other list can take their ids while it is kept. Writing it through the field
    macros cost 0.2-0.7 ms of every view (in-process, national set).
    """
    lists = (
        form.typ.choices,
        form.kommun.choices,
        form.lansdel.choices,
        form.hemtyp.choices,
        form.manad.choices,
    )
    query = tuple((name, value) for name, value in request.args.items(multi=True) if name != PAGE_KEY)
    key = (locale, request.script_root, has_parts, has_kinds, query, *map(id, lists))
    store: Fragments[tuple[tuple[object, ...], Markup]] = app_fragments(FILTER_FORMS_KEY, FILTER_FORMS)
    found = store.find(key)
    if found is None:
        written = get_template_attribute("courses/_catalogue_filters.html", "filter_form")
        found = (lists, written(form, has_parts, has_kinds))  # a macro's Markup
        store.put(key, found)
    return found[1]


def _visible_run(run_id: int, load=queries.load_public_run):
    run = load(run_id)
    user = current_user if current_user.is_authenticated else None
    if run is None or not permissions.can_view_run(user, run):
        abort(404)
    return run


@bp.get("/kurser/<int:run_id>")
def detail(run_id: int):
    """Show a run: its sessions in local time, place, leaders, seats left and how to sign up.

    A completed run keeps its page (links in e-mails and certificates still work), saying that
    the course has ended instead of offering seats and a sign-up.
    """
    run = _visible_run(run_id, queries.load_run_page)
    now = clock.now()
    has_signup_page = "enrollment.sign_up" in current_app.view_functions
    user = _viewer()
    return render_template(
        "courses/detail.html",
        run=run,
        names=queries.run_page_names(run),
        own_status=nav.own_run_status(current_app, user, run),
        seats_left=run.seats_left,
        signup_open=run.is_signup_open(now),
        has_signup_page=has_signup_page,
        # Courses never import enrollment: its page for professionals' sign-ups is looked up by name.
        has_professional_page="enrollment.sign_up_professionals" in current_app.view_functions,
        for_families=run.course_type.is_for_families,
        for_professionals=run.course_type.is_for_professionals,
        is_professional=permissions.sees_professional_courses(user),
        is_public=run.status in permissions.PUBLIC_STATUSES,
        has_ended=run.status == RunStatus.COMPLETED,
    )


@bp.get("/kurser/<int:run_id>/schema.ics")
def schedule_ics(run_id: int):
    """Download the run's schedule as a calendar file."""
    run = _visible_run(run_id)
    body = ical.run_calendar(
        run,
        now=clock.now(),
        online_label=_("På nätet"),
        url=url_for("courses.detail", run_id=run.id, _external=True),
    )
    response = make_response(body)
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="kurs-{run.id}.ics"'
    return response
