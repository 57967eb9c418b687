"""The site's menu as the layout shows it (coursehub/lib/nav.py, coursehub/web.py)."""

from __future__ import annotations

import re

from flask import url_for
from markupsafe import Markup

from coursehub.lib.nav import MenuLink, NavItem, menu_groups, menu_links
from tests.factories import UserFactory


def _menu_hrefs(html: str) -> list[str]:
    menu = html[html.find('id="site-menu"') : html.find('class="site-account"')]
    return re.findall(r'class="nav-link[^"]*" href="([^"]*)"', menu)


def test_menu_links_carry_the_text_and_the_url_they_are_given():
    items = [
        NavItem(Markup("Start"), "pages.index", lambda user: True),
        NavItem("Att göra (3)", "reports.start", lambda user: True, group="Uppföljning"),
    ]
    links = menu_links(items, lambda label: f"<{label}>", lambda endpoint: f"/{endpoint}")
    assert links == [
        MenuLink(label="Start", endpoint="pages.index", href="/pages.index", group=None),
        MenuLink(
            label="Att göra (3)", endpoint="reports.start", href="/reports.start", group="<Uppföljning>"
        ),
    ]
    assert menu_groups(links) == [("<Uppföljning>", [links[1]])]


def test_a_declared_label_is_shown_as_its_lazy_string_was_and_a_counted_one_escaped(app):
    from flask_babel import lazy_gettext

    items = [
        NavItem(lazy_gettext("Kurser"), "courses.catalogue", lambda user: True),
        NavItem("A & B (2)", "pages.index", lambda user: True),
    ]
    with app.test_request_context():
        declared, counted = menu_links(items, str, url_for)
    assert isinstance(declared.label, Markup)
    assert declared.label == "Kurser"
    assert not isinstance(counted.label, Markup)


def test_the_menu_links_are_built_under_each_script_root(app, client, db, login_as):
    staff = UserFactory(roles=["staff"])
    db.session.commit()
    login_as(client, staff)
    plain = _menu_hrefs(client.get("/").get_data(as_text=True))
    mounted = _menu_hrefs(client.get("/", base_url="http://localhost/kurshubb").get_data(as_text=True))
    again = _menu_hrefs(client.get("/").get_data(as_text=True))
    assert len(plain) > 10
    assert "/admin/anvandare" in plain
    assert mounted == ["/kurshubb" + href for href in plain]
    assert again == plain


def test_the_layouts_own_links_are_built_under_each_script_root(app, client, db, login_as):
    login_as(client, UserFactory(roles=["family"]))
    db.session.commit()
    layout = re.compile(r'(?:href|src|action)="(/[^"]*)"')
    plain = layout.findall(client.get("/").get_data(as_text=True))
    mounted = layout.findall(client.get("/", base_url="http://localhost/kurshubb").get_data(as_text=True))
    for path in (
        "/static/css/coursehub.css",
        "/static/js/menu.js",
        "/profil",
        "/logga-ut",
        "/sprak",
        "/kontakt",
    ):
        assert path in plain
        assert "/kurshubb" + path in mounted
    assert any(path.startswith("/bootstrap/static/") for path in plain)
    assert all(path.startswith("/kurshubb/") for path in mounted)
