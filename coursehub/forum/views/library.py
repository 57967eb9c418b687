"""The shared library (posters, leaflets, flyers) and the news list; staff keep both."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from coursehub import clock
from coursehub.accounts.permissions import permission_required
from coursehub.extensions import csrf
from coursehub.forum import library, queries_documents
from coursehub.forum import permissions_documents as rights
from coursehub.forum.forms_documents import NewsForm
from coursehub.forum.views import bp
from coursehub.forum.views.documents import load_document, remove, send_version, upload_page, version_of
from coursehub.lib.forms import required
from coursehub.lib.nav import NavItem
from coursehub.lib.params import page_arg
from coursehub.lib.work import actor, attempt

nav_items = [NavItem(_l("Bibliotek"), "forum.library_list", rights.can_read_library, order=51)]


@bp.get("/bibliotek")
@permission_required(rights.can_read_library)
def library_list():
    """The library's material, newest first."""
    return render_template(
        "forum/library/list.html",
        page=queries_documents.documents_page(None, folder_id=None, page=page_arg()),
        can_keep=rights.can_keep_library(current_user),
    )


@bp.route("/bibliotek/nytt", methods=["GET", "POST"])
@csrf.exempt  # see coursehub/forum/views/documents.py: the body limit is raised first
@permission_required(rights.can_keep_library)
def library_upload():
    """Staff add material to the library."""
    return upload_page(
        None,
        document=None,
        message=_("Materialet är uppladdat."),
        done=lambda added: url_for("forum.library_detail", document_id=added.id),
    )


@bp.get("/bibliotek/<int:document_id>")
@permission_required(rights.can_read_library)
def library_detail(document_id: int):
    """A library document with its versions."""
    document = load_document(None, document_id)
    return render_template(
        "forum/documents/detail.html",
        network=None,
        document=document,
        versions=queries_documents.document_versions(document.id),
        can_upload=rights.can_keep_library(current_user),
        can_delete=rights.can_delete_document(current_user, None, document),
    )


@bp.route("/bibliotek/<int:document_id>/ny-version", methods=["GET", "POST"])
@csrf.exempt  # see coursehub/forum/views/documents.py: the body limit is raised first
@permission_required(rights.can_keep_library)
def library_new_version(document_id: int):
    """Staff upload a new version of library material."""
    return upload_page(
        None,
        document=load_document(None, document_id),
        message=_("Den nya versionen är uppladdad."),
        done=lambda kept: url_for("forum.library_detail", document_id=kept.id),
    )


@bp.post("/bibliotek/<int:document_id>/ta-bort")
@permission_required(rights.can_keep_library)
def library_delete(document_id: int):
    """Staff delete library material with all its versions and files."""
    document = load_document(None, document_id)
    return remove(
        document,
        done=url_for("forum.library_list"),
        back=url_for("forum.library_detail", document_id=document.id),
    )


@bp.get("/bibliotek/<int:document_id>/version/<int:number>")
@permission_required(rights.can_read_library)
def library_download(document_id: int, number: int):
    """Download one version of library material, as an attachment."""
    return send_version(version_of(load_document(None, document_id), number))


@bp.get("/nyheter")
@permission_required(rights.can_read_library)
def news_list():
    """News of the resource's joint development work."""
    return render_template(
        "forum/news/list.html",
        page=queries_documents.news_page(page=page_arg()),
        can_write=rights.can_keep_library(current_user),
    )


@bp.route("/nyheter/ny", methods=["GET", "POST"])
@permission_required(rights.can_keep_library)
def news_new():
    """Staff publish a news item."""
    form = NewsForm()
    if form.validate_on_submit():
        title, body = required(form.title), required(form.body)
        outcome = attempt(
            lambda: library.publish_news(title=title, body=body, actor=actor(), now=clock.now()),
            form=form,
            default="body",
        )
        if outcome.ok:
            flash(_("Nyheten är publicerad."), "success")
            return redirect(url_for("forum.news_list"))
    return render_template("forum/news/form.html", form=form)
