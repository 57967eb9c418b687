"""The courses section: runs held and online, participants, attendance, completions, certificates.

People are placed by their own municipality (a family's adults by their household's), and every
figure that counts people is split by gender where it is recorded ("ej angivet" where not).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from flask_babel import gettext as _

from coursehub.accounts.queries import place_names
from coursehub.attendance.queries import figures as queries
from coursehub.enrollment.models import ParticipantKind
from coursehub.reports.figures import Figure, Row, Section, gender_rows
from coursehub.reports.periods import Period
from coursehub.reports.scope import Scope
from coursehub.reports.sections.common import gender_split, share, spans


def _runs(periods: Sequence[Period], runs: list[queries.RunCount]) -> tuple[Figure, Figure]:
    held = Figure(
        "runs_held",
        _("Kursomgångar som hölls"),
        _(
            "Kursomgångar som inte ställdes in, vars första träff var under perioden och som hade "
            "minst en bekräftad deltagare från området."
        ),
        "count",
        (Row(_("Kursomgångar"), tuple(run.held for run in runs)),),
    )
    online = Figure(
        "runs_online",
        _("Andel kursomgångar på distans"),
        _("Andelen av de kursomgångar som hölls som var på nätet, utan kurslokal."),
        "share",
        (Row(_("På distans"), tuple(share(run.online, run.held) for run in runs)),),
    )
    return held, online


def _participants(
    periods: Sequence[Period], counts: list[queries.ParticipantCount], families: list[int]
) -> tuple[Figure, Figure]:
    summed: dict[tuple[str, ParticipantKind | None], int] = {}
    for c in counts:
        for kind in (None, c.kind):
            summed[(c.span, kind)] = summed.get((c.span, kind), 0) + c.persons

    def total(kind: ParticipantKind | None = None) -> tuple[int, ...]:
        return tuple(summed.get((p.key, kind), 0) for p in periods)

    people = Figure(
        "participants",
        _("Deltagare"),
        _(
            "Personer från området med en bekräftad anmälan till en kursomgång som hölls under perioden "
            "(en person räknas en gång per period), familjehemmens vuxna och yrkesverksamma."
        ),
        "count",
        (
            Row(_("Deltagare"), total()),
            Row(_("i familjehem"), total(ParticipantKind.FAMILY)),
            Row(_("yrkesverksamma"), total(ParticipantKind.PROFESSIONAL)),
            *gender_split(periods, ((c.span, c.gender, c.persons) for c in counts)),
        ),
    )
    households = Figure(
        "families",
        _("Familjer som deltog"),
        _("Familjehem (hushåll) i området med minst en bekräftad deltagare under perioden."),
        "count",
        (Row(_("Familjer"), tuple(families)),),
    )
    return people, households


def _places(
    periods: Sequence[Period], place: Scope, counts: list[queries.ParticipantCount]
) -> tuple[Figure, Figure]:
    names = place_names(place.municipality_ids)

    summed: dict[tuple[str, int], int] = {}
    for c in counts:
        summed[(c.span, c.municipality_id)] = summed.get((c.span, c.municipality_id), 0) + c.persons

    def persons(municipality_ids: Sequence[int], key: str) -> int:
        return sum(summed.get((key, municipality_id), 0) for municipality_id in municipality_ids)

    by_municipality = tuple(
        Row(name, tuple(persons((municipality_id,), p.key) for p in periods))
        for municipality_id, name in sorted(names.municipalities.items(), key=lambda item: item[1])
    )
    by_part = tuple(
        Row(part, tuple(persons(ids, p.key) for p in periods)) for part, ids in names.parts.items()
    )
    all_ids = tuple(place.municipality_ids)
    first = Row(_("Deltagare"), tuple(persons(all_ids, p.key) for p in periods))
    return (
        Figure(
            "participants_municipality",
            _("Deltagare per kommun"),
            _("Deltagarna (som ovan) efter den kommun de bor i."),
            "count",
            (first, *by_municipality),
        ),
        Figure(
            "participants_part",
            _("Deltagare per länsdel"),
            _(
                "Deltagarna (som ovan) efter länsdelen där de bor; en kommun som hör till flera "
                "länsdelar räknas i var och en."
            ),
            "count",
            (first, *by_part),
        ),
    )


def _attendance(periods: Sequence[Period], marks: list[queries.GenderCount]) -> Figure:
    def rate(gender: str | None | bool) -> tuple[float | None, ...]:
        chosen = [m for m in marks if gender is True or m.gender == gender]
        return tuple(
            share(
                sum(m.count for m in chosen if m.span == p.key),
                sum(m.whole for m in chosen if m.span == p.key),
            )
            for p in periods
        )

    return Figure(
        "attendance_rate",
        _("Närvaro"),
        _(
            "Andelen närvaromarkeringar som var närvarande, av alla markeringar för träffar under "
            "perioden, för deltagare från området."
        ),
        "share",
        (Row(_("Närvaro"), rate(True)), *(Row(label, rate(g)) for g, label in gender_rows())),
    )


def _dated(
    key: str, title: str, definition: str, periods: Sequence[Period], rows: list[queries.GenderCount]
) -> Figure:
    first = Row(title, tuple(sum(r.count for r in rows if r.span == p.key) for p in periods))
    return Figure(
        key,
        title,
        definition,
        "count",
        (first, *gender_split(periods, ((r.span, r.gender, r.count) for r in rows))),
    )


def build_courses(place: Scope, periods: Sequence[Period], now: datetime) -> Section:
    """Return the course figures of each period for the people of `place` (five queries)."""
    bounds = spans(periods)
    ids = place.municipality_ids
    # The county's people are everyone: its figures read every row of the periods; a part's or a
    # municipality's start from their people (attendance.queries.figures._of_place).
    narrow = place.kind != "county"
    taking_part = queries.participation(bounds, ids, now, start_from_people=narrow)
    counts = taking_part.participants
    figures = (
        *_runs(periods, taking_part.runs),
        *_participants(periods, counts, taking_part.families),
        *_places(periods, place, counts),
        _attendance(periods, queries.attendance(bounds, ids, start_from_people=narrow)),
        _dated(
            "completions",
            _("Genomförda kurser"),
            _("Personer från området som under perioden uppfyllde kravet för att ha gått en kurs."),
            periods,
            queries.completions(bounds, ids, start_from_people=narrow),
        ),
        _dated(
            "certificates",
            _("Utfärdade intyg"),
            _(
                "Kursintyg som utfärdades under perioden till personer från området och som inte har "
                "dragits tillbaka."
            ),
            periods,
            queries.certificates(bounds, ids, start_from_people=narrow),
        ),
    )
    return Section("courses", _("Kurser"), figures)
