"""The staff's board (a column per step, with filters), a step's full list, and staff's lists."""

from __future__ import annotations

from datetime import date
from typing import Any, NamedTuple

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _

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


class CardLine(NamedTuple):
    """A case's card as the page shows it, its texts worked out in Python once per page rather
    than in the template card by card."""

    href: str
    reference: str | None
    adult_name: str | None
    where_when: str  # "municipality · the local date of registration"
    staff: str  # "Handläggare: name", or "Ingen handläggare"
    late: bool  # past the first-contact deadline


class _CardTexts:
    """What the cards of one page share, worked out once for the page: the month names, the
    staff members' lines, the case URL up to its id."""

    def __init__(self, today: date) -> None:
        self.today = today
        self.months: dict[int, str] = {}
        self.staff: dict[str, str] = {}
        self.no_staff = _("Ingen handläggare")
        self.case_url = url_for("recruitment.case", case_id=0).removesuffix("0")

    def lines(self, cards: list[queries.Card]) -> list[CardLine]:
        """Return the cards' lines. The date as the `local_date` filter writes it ("d MMMM y",
        e.g. "28 september 2017"), with Babel asked once per month for the month's name."""
        months, staff, case_url, today = self.months, self.staff, self.case_url, self.today
        lines = []
        for card in cards:
            day = clock.to_local(card.registered_at).date()
            month = months.get(day.month)
            if month is None:
                month = months[day.month] = format_date(day.replace(day=1), "MMMM")
            if card.staff_name is None:
                staff_text = self.no_staff
            elif (staff_text := staff.get(card.staff_name)) is None:
                staff_text = staff[card.staff_name] = _("Handläggare: %(name)s", name=card.staff_name)
            lines.append(
                CardLine(
                    href=f"{case_url}{card.id}",
                    reference=card.reference,
                    adult_name=card.adult_name,
                    where_when=f"{card.municipality_name} · {day.day} {month} {day.year}",
                    staff=staff_text,
                    late=card.is_past_first_contact(today),
                )
            )
        return lines


def _choices() -> dict[str, Any]:
    choices = queries.board_choices()  # one statement for the three lists
    return {
        "municipalities": choices.municipalities,
        "staff": choices.staff,
        "channels": choices.channels,
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
    texts = _CardTexts(today)
    return render_template(
        "recruitment/board.html",
        columns=columns,
        lines={column.step: texts.lines(column.cases) for column in columns},
        late=_("Första kontakt försenad"),
        filters=filters,
        filter_args=_filter_args(filters),
        **_choices(),
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
        lines=_CardTexts(clock.to_local(clock.now()).date()).lines(page.items),
        late=_("Första kontakt försenad"),
        filter_args=_filter_args(filters),
        **_choices(),
    )


@bp.get("/rekrytering/listor")
@permissions.case_reader_required("board")
def lists():
    """Staff's lists: where families heard of us, and the basic requirements."""
    return render_template(
        "recruitment/lists.html",
        channels=queries.channels(active_only=False),
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
        "channels": queries.channels(active_only=False),
        "requirements": queries.requirements(active_only=False),
        "channel_form": forms.ListEntryForm(prefix="kanal", formdata=None),
        "requirement_form": forms.ListEntryForm(prefix="krav", formdata=None),
    }
    context.update(given)
    return render_template("recruitment/lists.html", **context), 400
