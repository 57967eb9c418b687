"""benchmarks/profile_pages.py and run.sh: the catalogue's late page is its last full page."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from benchmarks.profile_pages import late_page
from coursehub.extensions import db
from tests.factories import CourseRunFactory, CourseTypeFactory

RUN_SH = (Path(__file__).resolve().parents[2] / "benchmarks" / "run.sh").read_text(encoding="utf-8")
# run.sh's pipeline that reads the late page from the last one: LATE_PAGE="$(curl … | <pipeline>)"
LATE_PAGE_IN_SHELL = re.search(r'^LATE_PAGE="\$\(curl [^|]*\| (.*)\)"$', RUN_SH, re.MULTILINE).group(1)


def _late_page_in_shell(html: str) -> str:
    return subprocess.run(["sh", "-c", LATE_PAGE_IN_SHELL], input=html, capture_output=True, text=True).stdout


def test_the_late_page_is_the_last_full_page_of_the_catalogue(client):
    kind = CourseTypeFactory()
    CourseRunFactory.create_batch(41, course_type=kind, sessions__start=None)  # pages of 20: 20, 20, 1
    db.session.commit()
    last = client.get("/kurser?sida=9999").get_data(as_text=True)
    assert last.count("<article") == 1  # the last page: one run, not a page to compare

    page = late_page(last)
    assert page == 2
    assert _late_page_in_shell(last).strip() == "2"
    assert client.get(f"/kurser?sida={page}").get_data(as_text=True).count("<article") == 20


def test_a_catalogue_of_one_page_is_its_own_late_page(client):
    CourseRunFactory.create_batch(3)
    db.session.commit()
    only = client.get("/kurser?sida=9999").get_data(as_text=True)
    assert late_page(only) == 1
    assert _late_page_in_shell(only).strip() == ""  # run.sh then asks for page 1 (${LATE_PAGE:-1})
