"""A list's row addresses are built once per page and are the addresses url_for builds."""

from __future__ import annotations

import pytest
from flask import url_for

from coursehub.lib.urls import id_urls


@pytest.mark.parametrize(
    ("endpoint", "key"),
    [
        ("courses.detail", "run_id"),
        ("enrollment.accept_offer", "enrollment_id"),
        ("enrollment.cancel", "enrollment_id"),
        ("enrollment.edit_needs", "enrollment_id"),
    ],
)
def test_an_id_url_is_what_url_for_builds(app, endpoint, key):
    with app.test_request_context("/mina-kurser"):
        url = id_urls(endpoint, key)
        for id_ in (1, 42, 987654320, 10**12):
            assert url(id_) == url_for(endpoint, **{key: id_})


def test_an_id_url_also_fills_a_query_argument(app):
    with app.test_request_context("/"):
        assert id_urls("enrollment.my_courses", "sida")(3) == url_for("enrollment.my_courses", sida=3)
