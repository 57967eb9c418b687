"""Search in the networks one reads and in the shared library."""

from __future__ import annotations

from collections.abc import Callable

from flask import render_template, request
from flask_login import current_user

from coursehub.accounts.permissions import is_staff, permission_required
from coursehub.forum import permissions_documents as rights
from coursehub.forum import search as searching
from coursehub.forum.views import bp
from coursehub.lib.forms import normalise_text
from coursehub.lib.params import page_arg
from coursehub.lib.urls import url_template


@bp.get("/sok")
@permission_required(rights.can_search)
def search():
    """Thread titles, posts and document titles of one's networks and the library with the words."""
    query = normalise_text(request.args.get("sok", ""))[: searching.QUERY_MAX]
    page = None
    if query:
        page = searching.search(
            current_user.id,
            query,
            page=page_arg(),
            every_network=is_staff(current_user),
            library=rights.can_read_library(current_user),
        )
    links = _links(page.items) if page is not None else []
    capped = page is not None and searching.capped(page)
    return render_template("forum/search.html", query=query, page=page, links=links, capped=capped)


def _links(hits: list[searching.Hit]) -> list[str]:
    """The page each hit leads to, from one `url_for` per kind of page (`url_template`)."""
    templates: dict[str, str] = {}

    def link(endpoint: str, *keys: str, ids: tuple[int | None, ...]) -> str:
        if endpoint not in templates:
            templates[endpoint] = url_template(endpoint, *keys)
        return templates[endpoint].format(*ids)

    return [_link(hit, link) for hit in hits]


def _link(hit: searching.Hit, link: Callable[..., str]) -> str:
    """The page a hit leads to: the document, the post in its thread, or the thread."""
    if hit.document_id is not None and hit.network_id is None:
        return link("forum.library_detail", "document_id", ids=(hit.document_id,))
    if hit.document_id is not None:
        return link(
            "forum.document_detail", "network_id", "document_id", ids=(hit.network_id, hit.document_id)
        )
    if hit.post_number is not None and hit.thread_id is not None:
        return link("forum.post", "thread_id", "number", ids=(hit.thread_id, hit.post_number))
    if hit.thread_id is not None:
        return link("forum.thread", "thread_id", ids=(hit.thread_id,))
    return link("forum.network", "network_id", ids=(hit.network_id,))
