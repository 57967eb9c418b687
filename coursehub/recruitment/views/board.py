"""The staff's board (a column per step, with filters), a step's full list, and staff's lists."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from markupsafe import Markup, escape

from coursehub import clock
from coursehub.lib.params import as_id, page_arg
from coursehub.lib.work import actor, attempt
from coursehub.recruitment import forms, permissions, queries
from coursehub.recruitment.labels import KIND_LABELS, STEP_LABELS
from coursehub.recruitment.models import AssignmentKind, Step
from coursehub.recruitment.services import cases as case_services
from coursehub.recruitment.views import bp

# The board's query-string keys (Swedish, like the paths).
FILTER_KEYS = {"municipality_id": "kommun", "staff_id": "handlaggare", "kind": "typ", "channel_id": "kanal"}


def _filters() -> queries.BoardFilter:
    kind = request.args.get("typ", "")
    return queries.BoardFilter(
        municipality_id=as_id(request.args.get("kommun")),
        staff_id=as_id(request.args.get("handlaggare")),
        kind=AssignmentKind(kind) if kind in set(AssignmentKind) else None,
        channel_id=as_id(request.args.get("kanal")),
    )


def _filter_args(filters: queries.BoardFilter) -> dict[str, Any]:
    values = {key: getattr(filters, name) for name, key in FILTER_KEYS.items()}
    return {
        key: (value.value if isinstance(value, AssignmentKind) else value)
        for key, value in values.items()
        if value
    }


class _Cards:
    """The cards of one page's lists, written as HTML once per page: what the cards share (the
    month names, the municipalities, the staff members' lines, the case URL up to its id) is
    escaped once, and each card costs an f-string with its reference and adult escaped.

    Written in Python rather than by a macro: a Jinja loop over a column's cards unpacked each
    card's fields and escaped five of them, some 250 cards a page at national size. The HTML is
    the macro's, character for character (tests/recruitment/test_board.py compares them).
    """

    def __init__(self, today: date) -> None:
        self.today = today
        self.months: dict[int, str] = {}
        self.places: dict[str, str] = {}
        self.staff: dict[str, str] = {}
        self.no_staff = str(escape(_("Ingen handläggare")))
        self.late = f'<span class="badge text-bg-danger">{escape(_("Första kontakt försenad"))}</span>'
        self.case_url = str(escape(url_for("recruitment.case", case_id=0).removesuffix("0")))

    def write(self, cards: list[queries.Card]) -> Markup:
        """Return the cards' list items. The date as the `local_date` filter writes it ("d MMMM y",
        e.g. "28 september 2017"), with Babel asked once per month for the month's name."""
        months, places, staff, today = self.months, self.places, self.staff, self.today
        html = []
        for card in cards:
            day = clock.to_local(card.registered_at).date()
            month = months.get(day.month)
            if month is None:
                month = months[day.month] = str(escape(format_date(day.replace(day=1), "MMMM")))
            place = places.get(card.municipality_name)
            if place is None:
                place = places[card.municipality_name] = str(escape(card.municipality_name))
            name = card.staff_name
            if name is None:
                staff_line = self.no_staff
            elif (known := staff.get(name)) is not None:
                staff_line = known
            else:
                staff_line = staff[name] = str(escape(_("Handläggare: %(name)s", name=name)))
            adult = "" if card.adult_name is None else f"<span>{escape(card.adult_name)}</span>"
            late = self.late if card.is_past_first_contact(today) else ""
            html.append(
                f'\n<li class="card mb-2">\n  <div class="card-body p-2">\n'
                f'    <a class="fw-semibold" href="{self.case_url}{card.id}">{escape(card.reference)}</a>\n'
                f"    {adult}\n"
                f'    <div class="small text-body-secondary">{place} · {day.day} {month} {day.year}</div>\n'
                f'    <div class="small">{staff_line}</div>\n'
                f"    {late}\n  </div>\n</li>\n"
            )
        # Every text above went through escape().
        return Markup("".join(html))  # noqa: S704  # nosec B704


def _options(choices: list[queries.Choice], chosen: int | None) -> Markup:
    """A filter's options as the filter form wrote them, the chosen one selected."""
    plain, selected, position = _written_options(tuple(choices))
    html = list(plain)
    at = position.get(chosen) if chosen is not None else None
    if at is not None:
        html[at] = selected[at]
    # Each name went through escape(); the ids are ints.
    return Markup("".join(html))  # noqa: S704  # nosec B704


@lru_cache(maxsize=32)
def _written_options(
    choices: tuple[queries.Choice, ...],
) -> tuple[tuple[str, ...], tuple[str, ...], dict[int, int]]:
    """Each option's HTML unselected and selected, and each id's position, written once per list:
    the 290 municipalities of a national board are escaped once per process, not on every request.
    Keyed by the whole list, so a new or renamed entry is written at once."""
    plain = tuple(f'<option value="{ident}" >{escape(name)}</option>' for ident, name in choices)
    selected = tuple(f'<option value="{ident}" selected>{escape(name)}</option>' for ident, name in choices)
    return plain, selected, {ident: at for at, (ident, _name) in enumerate(choices)}


def _choices(filters: queries.BoardFilter) -> dict[str, Any]:
    choices = queries.board_choices()  # one statement for the three lists
    return {
        "municipality_options": _options(choices.municipalities, filters.municipality_id),
        "staff_options": _options(choices.staff, filters.staff_id),
        "channel_options": _options(choices.channels, filters.channel_id),
        "kind_labels": KIND_LABELS,
        "step_labels": STEP_LABELS,
    }


@bp.get("/rekrytering/")
@permissions.case_reader_required("board")
def board():
    """The board of open cases, a column per step, with counts and cases past the contact deadline."""
    permissions.record_read("board")
    filters = _filters()
    today = clock.to_local(clock.now()).date()
    columns = queries.board_columns(filters, today=today)
    cards = _Cards(today)
    return render_template(
        "recruitment/board.html",
        columns=columns,
        cards={column.step: cards.write(column.cases) for column in columns},
        filters=filters,
        filter_args=_filter_args(filters),
        **_choices(filters),
    )


@bp.get("/rekrytering/steg/<step>")
@permissions.case_reader_required("board")
def step_cases(step: str):
    """Every open case of one step, paged."""
    if step not in set(Step):
        abort(404)
    permissions.record_read("board")
    filters = _filters()
    page = queries.step_page(Step(step), filters, page=page_arg())
    return render_template(
        "recruitment/step.html",
        step=Step(step),
        page=page,
        cards=_Cards(clock.to_local(clock.now()).date()).write(page.items),
        filter_args=_filter_args(filters),
        step_labels=STEP_LABELS,
    )


@bp.get("/rekrytering/listor")
@permissions.case_reader_required("board")
def lists():
    """Staff's lists: where families heard of us, and the basic requirements."""
    return render_template(
        "recruitment/lists.html",
        channels=queries.channels(),
        requirements=queries.requirements(active_only=False),
        channel_form=forms.ListEntryForm(prefix="kanal"),
        requirement_form=forms.ListEntryForm(prefix="krav"),
    )


@bp.post("/rekrytering/listor/kanaler")
@permissions.case_reader_required("board")
def add_channel():
    """Add a channel to the list families choose from."""
    form = forms.ListEntryForm(prefix="kanal")
    if form.validate_on_submit():
        if attempt(
            lambda: case_services.add_channel(form.text.data or "", actor=actor()), form=form, default="text"
        ).ok:
            flash(_("Kanalen är tillagd."), "success")
            return redirect(url_for("recruitment.lists"))
    return _lists_again(channel_form=form)


@bp.post("/rekrytering/listor/grundkrav")
@permissions.case_reader_required("board")
def add_requirement():
    """Add a basic requirement to the resource's list."""
    form = forms.ListEntryForm(prefix="krav")
    if form.validate_on_submit():
        if attempt(
            lambda: case_services.add_requirement(form.text.data or "", actor=actor()),
            form=form,
            default="text",
        ).ok:
            flash(_("Grundkravet är tillagt."), "success")
            return redirect(url_for("recruitment.lists"))
    return _lists_again(requirement_form=form)


def _lists_again(**given: Any) -> Any:
    context = {
        "channels": queries.channels(),
        "requirements": queries.requirements(active_only=False),
        "channel_form": forms.ListEntryForm(prefix="kanal", formdata=None),
        "requirement_form": forms.ListEntryForm(prefix="krav", formdata=None),
    }
    context.update(given)
    return render_template("recruitment/lists.html", **context), 400
