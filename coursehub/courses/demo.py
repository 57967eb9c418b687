"""Demo data of the courses area: Ett hem att växa i, a continuing-education evening, two venues and
a few published runs in the coming months (one spanning a change between summer and winter time).
Idempotent: only what is missing is added."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from coursehub.accounts.models import CountyPart, HomeKind, Municipality, User
from coursehub.clock import LOCAL_TZ, to_local
from coursehub.courses import services
from coursehub.courses.models import CourseKind, CourseRun, CourseSession, CourseType, IntendedFor, Venue
from coursehub.extensions import db
from coursehub.lib.localtime import local_moment

BASIC_NAME = "Ett hem att växa i"
EVENING_NAME = "Fortbildningskväll: Trygga kvällar"

BASIC_THEMES = [
    (
        "Barnets ursprungsfamilj",
        "Varför barnets föräldrar, syskon och släkt fortsätter att betyda mycket, och hur ni kan "
        "stödja kontakten.",
    ),
    (
        "Närhet, anknytning och omsorg",
        "Vad ett barn behöver för att känna sig tryggt, och hur tillit växer i vardagen.",
    ),
    (
        "Barnets bakgrund och svåra upplevelser",
        "Hur tidiga påfrestningar och trauma kan märkas i vardagen, och vad som hjälper barnet.",
    ),
    (
        "Barnets hälsa och skolgång",
        "Att bevaka barnets hälsa, tandvård och skola tillsammans med socialtjänsten.",
    ),
    (
        "När familjens egna barn påverkas",
        "Hur era egna barn får det när ett nytt barn flyttar in, och hur alla får plats.",
    ),
    (
        "Lagar och praktiska ramar",
        "Vad lagen säger om placeringen, och om ersättning, försäkringar och ansvar.",
    ),
    (
        "Att samarbeta med socialtjänsten",
        "Vem som gör vad, hur uppföljningen går till och vart ni vänder er med frågor.",
    ),
    (
        "Att skiljas och gå vidare",
        "När placeringen tar slut: avsked, flytt och hur barnet kan behålla det som varit bra.",
    ),
]

VENUES = [
    (
        "Familjehemsresursens kurslokal",
        "Barnarpsgatan 22",
        "553 16",
        "Jönköping",
        "0680",
        "Hiss till plan 2. Hörslinga i stora salen. Parkering för rörelsehindrade vid entrén.",
    ),
    (
        "Mötesplats Värnamo",
        "Storgatan 12",
        "331 30",
        "Värnamo",
        "0683",
        "Entré i markplan med ramp vid sidoingången. Toalett anpassad för rullstol.",
    ),
]


def seed(now: datetime) -> None:
    """Create what is missing of the courses demo data."""
    staff = db.session.scalar(select(User).where(User.username == "sara.berg"))
    lars = db.session.scalar(select(User).where(User.username == "lars.holm"))
    if staff is None:
        return  # the accounts demo runs first; without its users there is no one to act
    basic = _course_type(
        staff,
        now,
        services.TypeDetails(
            name=BASIC_NAME,
            kind=CourseKind.BASIC,
            description="Den nationella grundutbildningen för familjehem, jourhem och nätverkshem: "
            "åtta träffar, var och en med sitt eget tema.",
            audience="Alla familjehem, jourhem och nätverkshem i medlemskommunerna.",
            allowed_absences=1,
            allows_makeup=True,
            issues_certificate=True,
            requires_municipal_approval=True,
        ),
        [services.ThemeDetails(title=t, description=d) for t, d in BASIC_THEMES],
    )
    evening = _course_type(
        staff,
        now,
        services.TypeDetails(
            name=EVENING_NAME,
            kind=CourseKind.CONTINUING,
            description="En kväll om sömn, rutiner och lugna kvällar för barn som bär på oro.",
            audience="Familjehem och jourhem i alla medlemskommuner.",
            home_kinds=tuple(
                db.session.scalars(select(HomeKind).where(HomeKind.name.in_(["Familjehem", "Jourhem"])))
            ),
        ),
        [
            services.ThemeDetails(
                title="Sömn och rutiner",
                suggested_minutes=120,
                description="Hur ni hjälper barnet att varva ner och sova tryggt.",
            )
        ],
    )
    venues = {v[0]: _venue(staff, now, *v) for v in VENUES}
    leaders = [u for u in (lars, staff) if u is not None]
    change = _next_time_change(now.date() + timedelta(days=35))
    first = change - timedelta(days=21)
    first -= timedelta(days=(first.weekday() - 1) % 7)  # a Tuesday
    _run(
        basic,
        staff,
        now,
        f"Ett hem att växa i, Jönköping {_term(first)}",
        first,
        time(18, 0),
        time(21, 0),
        venues[VENUES[0][0]],
        None,
        leaders,
    )
    thursday = now.date() + timedelta(days=63)
    thursday += timedelta(days=(3 - thursday.weekday()) % 7)
    _run(
        basic,
        staff,
        now,
        f"Ett hem att växa i, Värnamo {_term(thursday)}",
        thursday,
        time(18, 0),
        time(21, 0),
        venues[VENUES[1][0]],
        None,
        leaders,
        county_parts=list(db.session.scalars(select(CountyPart).where(CountyPart.name == "Södra länsdelen"))),
    )
    evening_day = now.date() + timedelta(days=24)
    _run(
        evening,
        staff,
        now,
        "Trygga kvällar – fortbildning på nätet",
        evening_day,
        time(18, 30),
        time(20, 30),
        None,
        "https://moten.example/trygga-kvallar",
        leaders[:1],
    )
    _seed_professional_courses(staff, now, venues[VENUES[0][0]], leaders)
    db.session.flush()


def _seed_professional_courses(actor: User, now: datetime, venue: Venue, leaders: list[User]) -> None:
    """An evening for new social workers, and a lecture for families and professionals with a guest."""
    newcomers = _course_type(
        actor,
        now,
        services.TypeDetails(
            name="Introduktion för nya socialsekreterare",
            kind=CourseKind.CONTINUING,
            description="En kväll om familjehemsvården i länet: uppdragen, samarbetet med "
            "familjehemsresursen och stödet till familjerna.",
            audience="Socialsekreterare som är nya i familjehemsvården i medlemskommunerna.",
            intended_for=IntendedFor.PROFESSIONALS,
            issues_certificate=True,
        ),
        [services.ThemeDetails(title="Familjehemsvården i länet", suggested_minutes=150)],
    )
    lecture = _course_type(
        actor,
        now,
        services.TypeDetails(
            name="Barnets bästa i placeringen – föreläsning",
            kind=CourseKind.CONTINUING,
            description="En föreläsning för familjehem och socialsekreterare, med tid för frågor.",
            audience="Familjehem och yrkesverksamma i medlemskommunerna.",
            intended_for=IntendedFor.BOTH,
        ),
        [services.ThemeDetails(title="Barnets bästa", suggested_minutes=120)],
    )
    day = now.date() + timedelta(days=30)
    _run(
        newcomers,
        actor,
        now,
        f"Introduktion för nya socialsekreterare, {_term(day)}",
        day,
        time(13, 0),
        time(15, 30),
        venue,
        None,
        leaders[:1],
    )
    lecture_day = now.date() + timedelta(days=45)
    title = f"Barnets bästa i placeringen, {_term(lecture_day)}"
    _run(lecture, actor, now, title, lecture_day, time(18, 0), time(20, 0), venue, None, leaders)
    run = db.session.scalar(select(CourseRun).where(CourseRun.title == title))
    if run is not None and run.sessions and not run.sessions[0].speakers:
        _name_guest(run.sessions[0], actor, now)


def _name_guest(session: CourseSession, actor: User, now: datetime) -> None:
    start, end = to_local(session.starts_at), to_local(session.ends_at)
    services.update_session(
        session,
        actor=actor,
        now=now,
        details=services.SessionDetails(
            day=start.date(),
            start_time=start.time(),
            end_time=end.time(),
            title=session.title,
            theme=session.theme,
            venue=session.venue,
            online_url=session.online_url,
            contents_note="Föreläsning och samtal om barnets rätt till sitt ursprung, med frågestund.",
            speakers=(
                services.SpeakerDetails("Eva Lind", "Barnpsykiater", "Region Jönköpings län"),
                services.SpeakerDetails("Familjen Ek", "Familjehem sedan tio år"),
            ),
        ),
    )


def _course_type(
    actor: User, now: datetime, details: services.TypeDetails, themes: Sequence[services.ThemeDetails]
) -> CourseType:
    found = db.session.scalar(select(CourseType).where(CourseType.name == details.name))
    return found or services.create_course_type(actor=actor, now=now, details=details, themes=themes)


def _venue(
    actor: User, now: datetime, name: str, street: str, postcode: str, city: str, code: str, notes: str
) -> Venue:
    found = db.session.scalar(select(Venue).where(Venue.name == name))
    if found is not None:
        return found
    municipality = db.session.scalar(select(Municipality).where(Municipality.code == code))
    return services.save_venue(
        None,
        actor=actor,
        now=now,
        details=services.VenueDetails(
            name=name,
            street=street,
            postcode=postcode,
            city=city,
            municipality=municipality,
            accessibility_notes=notes,
        ),
    )


def _run(
    course_type: CourseType,
    actor: User,
    now: datetime,
    title: str,
    first_date: date,
    start: time,
    end: time,
    venue: Venue | None,
    online_url: str | None,
    leaders: list[User],
    *,
    county_parts: Sequence[CountyPart] = (),
) -> None:
    if db.session.scalar(select(CourseRun.id).where(CourseRun.title == title)) is not None:
        return
    closes = local_moment(first_date - timedelta(days=3), time(23, 59))
    details = services.RunDetails(
        title=title,
        capacity=24 if venue else 40,
        signup_opens_at=min(now, closes - timedelta(days=1)) - timedelta(days=1),
        signup_closes_at=closes,
        edition="2:a upplagan",
        venue=venue,
        online_url=online_url,
        leaders=leaders,
        contact_name="Sara Berg",
        contact_email="sara.berg@familjehemsresurs.example",
        # A run for one part of the county; the rest are open to the whole county.
        is_open_to_all=not county_parts,
        county_parts=list(county_parts),
    )
    run = services.create_run(
        course_type,
        actor=actor,
        now=now,
        details=details,
        first_date=first_date,
        start_time=start,
        end_time=end,
    )
    if run.leaders:
        services.publish_run(run, actor=actor, now=now)


def _next_time_change(after: date) -> date:
    """Return the first local date on or after `after` whose evening has another UTC offset."""
    day = after
    for _ in range(400):
        noon = datetime.combine(day, time(12), tzinfo=LOCAL_TZ)
        if noon.utcoffset() != (noon + timedelta(days=1)).utcoffset():
            return day + timedelta(days=1)
        day += timedelta(days=1)
    return after


def _term(day: date) -> str:
    return f"{'våren' if day.month < 7 else 'hösten'} {day.year}"
