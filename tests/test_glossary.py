"""Families read plain words: the staff words of docs/glossary.md stay out of what families read,
and families are addressed as "ni", never "du".

Every template is taken to be read by families unless it is listed in STAFF_TEMPLATES below (a
page or e-mail only staff, leaders or municipal workers see), so a new page is checked from the
day it is added. A single line of a shared template that only staff see (a staff menu in a macro
file) may end with the comment `{# staff #}`.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
GLOSSARY = Path(__file__).resolve().parent.parent / "docs" / "glossary.md"

# Word stems of docs/glossary.md marked "staff only", with what families read instead.
STAFF_WORDS = {"kursomgång": "kurs", "hushåll": "familj", "upplaga": "version av kursmaterialet"}
STAFF_WORD = re.compile(r"\b(kursomgång\w*|hushåll\w*|upplag(?:a|an|or|orna)\b)", re.IGNORECASE)
STAFF_LINE_MARK = "{# staff #}"

# Pages and e-mails that only staff, leaders or municipal workers see (a folder ends with "/").
STAFF_TEMPLATES = frozenset(
    {
        "attendance/_missing.html",  # leaders and staff: meetings without attendance taken
        "courses/cancel_session.html",  # staff cancel a meeting
        "reports/start.html",  # staff: what needs action now
        "reports/report.html",  # staff, steering and municipal workers: the report
        "reports/report_print.html",  # the same report, printable
        "reports/_report_macros.html",  # the report's figures and tables
        "accounts/admin_users.html",
        "accounts/audit_log.html",
        "accounts/edit_user.html",
        "accounts/invite_user.html",
        "attendance/admin_certificates.html",
        "attendance/household_progress.html",
        "attendance/municipal_progress.html",
        "attendance/rates.html",
        "attendance/run.html",
        "attendance/runs.html",
        "attendance/sheet.html",
        "courses/_theme_fields.html",
        "courses/_type_fields.html",
        "courses/admin_runs.html",
        "courses/cancel_run.html",
        "courses/copy_run.html",
        "courses/leader_home.html",
        "courses/manage_run.html",
        "courses/run_form.html",
        "courses/session_form.html",
        "courses/theme_form.html",
        "courses/type_edit.html",
        "courses/type_new.html",
        "courses/types.html",
        "courses/venue_form.html",
        "courses/venues.html",
        "emails/enrollment_approval_request/",
        "enrollment/approvals.html",
        "enrollment/household.html",
        "enrollment/households.html",
        "enrollment/municipality_counts.html",
        "enrollment/new_household.html",
        "enrollment/participants.html",
        "enrollment/participants_print.html",
        "enrollment/waitlist.html",
        "evaluations/_macros.html",  # staff's tabs
        "evaluations/course_types.html",
        "evaluations/form.html",
        "evaluations/form_new.html",
        "evaluations/forms.html",
        "evaluations/question.html",
        "evaluations/run.html",  # staff and the run's leaders
        "evaluations/results_course_type.html",  # staff, the steering role, a run's leaders
        "evaluations/results_none.html",
        "evaluations/results_overview.html",
        "accounts/county_parts.html",
        "attendance/invite_group.html",  # staff and municipal workers
        "recruitment/case.html",
        "recruitment/case_matching.html",
        "notifications/",
        "evaluations/survey_send.html",  # staff send the yearly survey
        "emails/test_message/",  # staff try the mail server
    }
)
# Templates families read that may still say "du" (docs/glossary.md, "How we write"): an account
# page or e-mail speaks to the one person who holds the account, and the forum and the courses
# for professionals speak to professionals. A single line of a family template that speaks about
# the reader's own account (their username, password or address) may end with `{# account #}`.
ONE_PERSON_TEMPLATES = frozenset(
    {
        "accounts/accept_invitation.html",
        "accounts/forgot_password.html",
        "accounts/link_invalid.html",
        "accounts/profile.html",
        "accounts/recovery_codes.html",
        "accounts/reset_password.html",
        "accounts/second_factor.html",
        "accounts/second_factor_login.html",
        "emails/invitation/",
        "emails/password_reset/",
        "emails/registration_attempt/",  # to the one person whose address someone used
        "forum/",
        "emails/forum_digest/",
        "emails/forum_post/",
        "enrollment/my_professional_courses.html",
        "enrollment/sign_up_professionals.html",
    }
)
YOU_WORD = re.compile(r"\b(?:du|dig|din|ditt|dina)\b", re.IGNORECASE)
ACCOUNT_LINE_MARK = "{# account #}"

# Family e-mails that issue 17, point 6 (the e-mail texts) rewrites; each entry goes when its
# staff word does (the test below fails on a stale entry).
PENDING_REWRITE: frozenset[str] = frozenset()


def _listed(name: str, entries: frozenset[str]) -> bool:
    return any(name == entry or (entry.endswith("/") and name.startswith(entry)) for entry in entries)


def is_staff_template(name: str) -> bool:
    """Return whether the template `name` (relative to templates/) is read by staff only."""
    return _listed(name, STAFF_TEMPLATES)


def you_words_in(text: str) -> list[tuple[int, str]]:
    """Return (line number, word) for each "du", "dig", "din", "ditt" or "dina" on a line not
    marked as speaking about the reader's own account."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.rstrip().endswith(ACCOUNT_LINE_MARK):
            continue
        found += [(number, match.group(0)) for match in YOU_WORD.finditer(line)]
    return found


def you_words_in_page(html: str) -> list[str]:
    """Return the "du" words in what a page shows (its text, not its markup or scripts)."""
    shown = re.sub(r"<(script|style)\b.*?</\1>|<[^>]*>", " ", html, flags=re.DOTALL | re.IGNORECASE)
    return [match.group(0) for match in YOU_WORD.finditer(shown)]


def staff_words_in(text: str) -> list[tuple[int, str]]:
    """Return (line number, word) for each staff word on a line not marked as staff only."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.rstrip().endswith(STAFF_LINE_MARK):
            continue
        found += [(number, match.group(0)) for match in STAFF_WORD.finditer(line)]
    return found


def family_templates() -> list[Path]:
    return sorted(
        path
        for path in TEMPLATES.rglob("*")
        if path.is_file() and not is_staff_template(path.relative_to(TEMPLATES).as_posix())
    )


def test_family_facing_templates_use_no_staff_words():
    problems = []
    for path in family_templates():
        name = path.relative_to(TEMPLATES).as_posix()
        if name in PENDING_REWRITE:
            continue
        for number, word in staff_words_in(path.read_text(encoding="utf-8")):
            instead = STAFF_WORDS.get(word.lower()[:10].rstrip(), "")
            hint = next((v for k, v in STAFF_WORDS.items() if word.lower().startswith(k)), instead)
            problems.append(f"templates/{name}:{number}: {word!r} is a staff word; families read {hint!r}")
    assert not problems, "Staff words in templates families read (docs/glossary.md):\n" + "\n".join(problems)


def test_templates_families_read_address_them_as_ni():
    problems = [
        f"templates/{name}:{number}: {word!r}"
        for path in family_templates()
        if not _listed(name := path.relative_to(TEMPLATES).as_posix(), ONE_PERSON_TEMPLATES)
        for number, word in you_words_in(path.read_text(encoding="utf-8"))
    ]
    assert not problems, 'Families are addressed as "ni" (docs/glossary.md):\n' + "\n".join(problems)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('<p>{{ _("Här ser du kurser. Välj en för att anmäla dig.") }}</p>', ["du", "dig"]),
        ('<p>{{ _("Din kommun godkänner. Dina val och ditt schema.") }}</p>', ["Din", "Dina", "ditt"]),
        ('<p>{{ _("Ditt användarnamn är %(u)s.", u=u) }}</p>{# account #}', []),
        ('<p>{{ _("Ni kan ställa er på reservlistan. Dinosaurier och dukar.") }}</p>', []),
    ],
)
def test_the_ni_check_finds_du_and_honours_the_account_mark(line, expected):
    assert [word for _number, word in you_words_in(line)] == expected


def test_the_page_check_reads_the_text_not_the_markup():
    page = '<a href="/du/din" title="x">Ni anmäler er</a><script>var du = 1;</script><p>Anmäl dig</p>'
    assert you_words_in_page(page) == ["dig"]


def test_pending_rewrites_still_need_it():
    # An entry whose staff words are gone must leave the list, so the file is checked again.
    stale = [
        name for name in PENDING_REWRITE if not staff_words_in((TEMPLATES / name).read_text(encoding="utf-8"))
    ]
    assert not stale, f"remove from PENDING_REWRITE, they are clean now: {stale}"


def test_every_listed_staff_template_exists():
    missing = [
        entry
        for entry in STAFF_TEMPLATES
        if not ((TEMPLATES / entry).is_dir() if entry.endswith("/") else (TEMPLATES / entry).is_file())
    ]
    assert not missing, f"STAFF_TEMPLATES names templates that do not exist: {missing}"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('<p>{{ _("Den här kursomgången är avslutad.") }}</p>', ["kursomgången"]),
        ('<dt>{{ _("Hushåll") }}</dt>', ["Hushåll"]),
        ('<dt>{{ _("Materialets upplaga") }}</dt>', ["upplaga"]),
        ('<a href="#">{{ _("Kursomgångar") }}</a> {# staff #}', []),
        ('<p>{{ _("Er familj är anmäld till kursen.") }}</p>', []),
    ],
)
def test_the_check_finds_staff_words_and_honours_the_staff_mark(line, expected):
    assert [word for _number, word in staff_words_in(line)] == expected


def test_a_new_template_counts_as_family_facing_until_listed():
    assert not is_staff_template("forum/thread.html")
    assert not is_staff_template("enrollment/my_courses.html")
    assert is_staff_template("notifications/outbox.html")


def test_the_glossary_marks_every_staff_word_as_staff_only():
    glossary = GLOSSARY.read_text(encoding="utf-8")
    for word in ("kursomgång", "hushåll", "upplaga"):
        assert re.search(rf"^\| {word} \|.*\*\*staff only\*\*", glossary, re.MULTILINE), word


def test_counts_of_themes_read_in_the_singular_and_the_plural(app):
    from types import SimpleNamespace

    from coursehub.attendance.views.progress_rows import ProgressRows

    def progress(themes: int, allowed: int) -> str:
        course = SimpleNamespace(
            course_type=SimpleNamespace(name="Fortsättningskurs", allowed_absences=allowed),
            completion=None,
            completed_at=None,
            themes=[SimpleNamespace(theme=SimpleNamespace(title="Tema"), attended=None, latest=None)]
            * themes,
            attended_count=0,
            needed=themes,
            certificates=[],
        )
        with app.test_request_context("/"):
            return str(ProgressRows({}, csrf="", makeup_action="/").progress([course]))

    assert "0 av 1 tema, 1 behövs." in progress(1, 1) and "Högst 1 tema får missas." in progress(1, 1)
    assert "0 av 2 teman, 2 behövs." in progress(2, 2) and "Högst 2 teman får missas." in progress(2, 2)
