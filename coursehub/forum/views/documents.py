"""A network's documents: folders, uploads, versions and downloads (members only).

Upload pages take larger bodies than other forms (the app's MAX_CONTENT_LENGTH stays at 1 MiB):
they raise the limit for their own request to the file limit plus room for the other fields,
before anything reads the body. Flask-WTF's app-wide CSRF check would read the body first, under
the 1 MiB limit, so these views are exempt from it and their form checks its own CSRF token.
A body over even the raised limit gets the form back with a Swedish message beside the file field.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from flask import Response, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from coursehub import clock
from coursehub.extensions import csrf
from coursehub.forum import documents, queries_documents
from coursehub.forum import permissions_documents as rights
from coursehub.forum.forms import ButtonForm
from coursehub.forum.forms_documents import DocumentForm, FolderForm, VersionForm
from coursehub.forum.models import Document, DocumentVersion, Network
from coursehub.forum.uploads import too_large_message
from coursehub.forum.views import bp
from coursehub.lib.forms import required
from coursehub.lib.params import as_id, page_arg
from coursehub.lib.work import ERROR, actor, attempt, load_or_404

FORM_ROOM = 64 * 1024  # the other fields of an upload form, beside the file


def load_network(network_id: int, allowed: Any) -> Network:
    """Load a network, or 404 for a visitor `allowed(user, network)` refuses."""
    return load_or_404(Network, network_id, allowed=allowed)


def load_document(network: Network | None, document_id: int) -> Document:
    """Load a document of `network` (None: of the library); another's document answers 404."""
    network_id = network.id if network is not None else None
    return load_or_404(
        Document, document_id, allowed=lambda _user, document: document.network_id == network_id
    )


def body_too_large() -> bool:
    """Raise this request's body limit for an upload, read the body; whether it was still too large."""
    request.max_content_length = limit = documents.max_upload_bytes() + FORM_ROOM
    if request.content_length is not None and request.content_length > limit:
        return True  # said in advance: not read at all
    try:
        request.files  # noqa: B018 - parses the body under the raised limit
    except RequestEntityTooLarge:
        return True
    return False


def upload_form(form_class: type, *, too_large: bool, **kwargs: Any) -> Any:
    """Return the upload form; a body over the limit is not read: the file field says why."""
    if not too_large:
        return form_class(**kwargs)
    form = form_class(formdata=None, **kwargs)
    form.file.errors = [too_large_message(documents.max_upload_bytes())]
    return form


def form_status(form: Any, *, too_large: bool) -> int:
    """The status of an upload page shown again: 413 too large, 400 an expired form, else 200."""
    if too_large:
        return 413
    token = getattr(form, "csrf_token", None)
    return 400 if token is not None and token.errors else 200


def upload_page(
    network: Network | None,
    *,
    document: Document | None,
    message: str,
    done: Callable[[Document], str],
    folders: list[tuple[int, str]] | None = None,
) -> Any:
    """The upload page of a network's documents or of the library (`network` None).

    Without `document` it adds a new document (in one of `folders`, for a network); with one, a new
    version of it. After a successful upload it says `message` and goes to `done(document)`.
    """
    too_large = request.method == "POST" and body_too_large()
    if document is None:
        form = upload_form(DocumentForm, too_large=too_large, folders=folders or [])
    else:
        form = upload_form(VersionForm, too_large=too_large)
    if not too_large and form.validate_on_submit():
        upload = form.file.data
        filename, data = upload.filename or "", upload.read()

        def save() -> Document:
            if document is not None:
                documents.add_version(document, filename=filename, data=data, actor=actor(), now=clock.now())
                return document
            return documents.add_document(
                network,
                folder_id=form.folder_id.data if network is not None else None,
                title=form.title.data or "",
                filename=filename,
                data=data,
                actor=actor(),
                now=clock.now(),
            )

        outcome = attempt(save, form=form, default="file")
        if outcome.ok and outcome.value is not None:
            flash(message, "success")
            return redirect(done(outcome.value))
    limit_mb = max(1, documents.max_upload_bytes() // (1024 * 1024))
    return render_template(
        "forum/documents/upload.html", network=network, form=form, document=document, limit_mb=limit_mb
    ), form_status(form, too_large=too_large)


def send_version(version: DocumentVersion) -> Response:
    """Send a version's file as an attachment under its cleaned name; never shown inline."""
    path = documents.file_path(version)
    if not path.is_file():
        abort(404)
    # Read whole (at most the upload limit): no file is left open however the response ends.
    response = send_file(
        io.BytesIO(path.read_bytes()),
        mimetype=version.content_type,
        as_attachment=True,
        download_name=version.filename,
        max_age=0,
        conditional=False,
        etag=False,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def remove(document: Document, *, done: str, back: str) -> Any:
    """Delete `document` (the caller checked who may) and go to `done`; a stale form goes `back`."""
    title = document.title
    if ButtonForm().validate():
        outcome = attempt(lambda: documents.delete_document(document, actor=actor()))
        if outcome.ok:
            flash(_("Dokumentet ”%(title)s” är borttaget med alla sina versioner.", title=title), "success")
            return redirect(done)
    else:
        flash(_("Dokumentet kunde inte tas bort. Försök igen."), ERROR)
    return redirect(back)


def version_of(document: Document, number: int) -> DocumentVersion:
    """Return the version `number` of `document`, or 404."""
    found = next((v for v in document.versions if v.number == number), None)
    if found is None:
        abort(404)
    return found


@bp.get("/<int:network_id>/dokument")
def documents_list(network_id: int):
    """A network's documents, in one folder or all, newest first."""
    network = load_network(network_id, rights.can_read_documents)
    folders = queries_documents.document_folders(network.id)
    folder_id = as_id(request.args.get("mapp"))
    folder = next((f for f in folders if f.id == folder_id), None)
    page = queries_documents.documents_page(
        network.id, folder_id=folder.id if folder else None, page=page_arg()
    )
    return render_template(
        "forum/documents/list.html",
        network=network,
        folders=folders,
        folder=folder,
        page=page,
        can_upload=rights.can_upload_documents(current_user, network),
        can_manage_folders=rights.can_manage_folders(current_user, network),
    )


@bp.route("/<int:network_id>/dokument/mappar", methods=["GET", "POST"])
def new_folder(network_id: int):
    """A moderator adds a folder to the network's documents."""
    network = load_network(network_id, rights.can_manage_folders)
    form = FolderForm()
    if form.validate_on_submit():
        name = required(form.name)
        outcome = attempt(
            lambda: documents.create_folder(network, name=name, actor=actor(), now=clock.now()),
            form=form,
            default="name",
        )
        if outcome.ok:
            flash(_("Mappen är skapad."), "success")
            return redirect(url_for("forum.documents_list", network_id=network.id))
    return render_template("forum/documents/folder_form.html", network=network, form=form)


@bp.route("/<int:network_id>/dokument/nytt", methods=["GET", "POST"])
@csrf.exempt
def upload_document(network_id: int):
    """A member uploads a new document to the network."""
    network = load_network(network_id, rights.can_upload_documents)
    return upload_page(
        network,
        document=None,
        folders=[(f.id, f.name) for f in queries_documents.document_folders(network.id)],
        message=_("Dokumentet är uppladdat."),
        done=lambda added: url_for("forum.document_detail", network_id=network.id, document_id=added.id),
    )


@bp.get("/<int:network_id>/dokument/<int:document_id>")
def document_detail(network_id: int, document_id: int):
    """A document with every version: who uploaded which file, when, how large."""
    network = load_network(network_id, rights.can_read_documents)
    document = load_document(network, document_id)
    return render_template(
        "forum/documents/detail.html",
        network=network,
        document=document,
        versions=queries_documents.document_versions(document.id),
        can_upload=rights.can_upload_documents(current_user, network),
        can_delete=rights.can_delete_document(current_user, network, document),
    )


@bp.post("/<int:network_id>/dokument/<int:document_id>/ta-bort")
def delete_document(network_id: int, document_id: int):
    """The uploader, a moderator or staff delete a document with all its versions and files."""
    network = load_network(network_id, rights.can_read_documents)
    document = load_document(network, document_id)
    if not rights.can_delete_document(current_user, network, document):
        abort(404)
    return remove(
        document,
        done=url_for("forum.documents_list", network_id=network.id),
        back=url_for("forum.document_detail", network_id=network.id, document_id=document.id),
    )


@bp.route("/<int:network_id>/dokument/<int:document_id>/ny-version", methods=["GET", "POST"])
@csrf.exempt
def new_version(network_id: int, document_id: int):
    """A member uploads a new version of a document; the earlier ones stay."""
    network = load_network(network_id, rights.can_upload_documents)
    return upload_page(
        network,
        document=load_document(network, document_id),
        message=_("Den nya versionen är uppladdad."),
        done=lambda kept: url_for("forum.document_detail", network_id=network.id, document_id=kept.id),
    )


@bp.get("/<int:network_id>/dokument/<int:document_id>/version/<int:number>")
def download_version(network_id: int, document_id: int, number: int):
    """Download one version of a document, as an attachment."""
    network = load_network(network_id, rights.can_read_documents)
    return send_version(version_of(load_document(network, document_id), number))
