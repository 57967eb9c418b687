"""benchmarks/explain_pages.py: the crawl's path shapes and links, and what a plan is listed for."""

from __future__ import annotations

import pytest

from benchmarks.explain_pages import crawl, explained, flagged, links, path_shape
from coursehub.extensions import db
from tests.factories import CourseRunFactory


def test_pages_of_one_kind_share_a_shape():
    assert path_shape("/kurser/12") == path_shape("/kurser/3456") == "/kurser/N"
    assert path_shape("/kurser?typ=3&sida=2") == path_shape("/kurser?sida=9&typ=1") == "/kurser?sida&typ"
    assert path_shape("/kurser") != path_shape("/kurser?sida=2")


def test_only_the_sites_own_pages_are_followed():
    html = (
        '<a href="/kurser/7">a</a> <a href="deltagare?sida=2&amp;typ=1">b</a> <a href="#huvud">c</a>'
        '<a href="https://example.org/x">d</a> <a href="/logga-ut">e</a> <link href="/static/app.css">'
    )
    assert list(links(html, "/kurser/7/")) == ["/kurser/7", "/kurser/7/deltagare?sida=2&typ=1"]


def _scan(kind: str, rows: int, removed: int = 0, loops: int = 1, **more) -> dict:
    return {
        "Node Type": kind,
        "Actual Rows": rows,
        "Rows Removed by Filter": removed,
        "Actual Loops": loops,
        **more,
    }


def test_a_plan_is_listed_for_what_it_reads_not_for_what_it_returns():
    plan = _scan(
        "Nested Loop",
        5,
        Plans=[
            _scan("Seq Scan", 3, removed=2500, **{"Relation Name": "run_leaders"}),
            _scan("Index Only Scan", 40, loops=100, **{"Relation Name": "marks", "Index Name": "ix_m"}),
            _scan("Seq Scan", 1900, **{"Relation Name": "venues"}),
            _scan("Index Scan", 2900, **{"Relation Name": "users", "Index Name": "pk_users"}),
        ],
    )
    assert flagged(plan, 2000) == [
        "sequential scan of run_leaders: 2,503 rows",
        "index only scan of marks (ix_m): 4,000 rows",
    ]


def test_the_crawl_reaches_the_catalogue_and_explains_what_it_ran(client, db_engine_name):
    if db_engine_name != "postgresql":
        pytest.skip("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) is PostgreSQL's")
    run = CourseRunFactory()
    db.session.commit()
    pages = dict(crawl(db.engine, client, per_shape=1, most=15))
    assert "/" in pages and "/kurser" in pages
    assert f"/kurser/{run.id}" in pages  # followed from the catalogue's card
    with db.engine.connect() as connection:
        plans = [explained(connection, *statement) for statement in pages["/kurser"]]
    assert plans and all(plan["Execution Time"] >= 0 and "Plan" in plan for plan in plans)
