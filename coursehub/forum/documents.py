"""Documents of a network and of the shared library: folders, uploads, versions and their files.

Every write and rule for documents lives here (views only call these). A file is written to the
upload folder (setting COURSEHUB_UPLOAD_DIR, by default instance/uploads: outside the package and
outside static/) under a random name, after its rows are flushed; if the transaction then rolls
back, the file is removed again, so a failed upload leaves no orphan file on disk. A deleted
document's files are removed once its deletion is committed, and stay if it rolls back.
"""

from __future__ import annotations

import logging
import secrets
from datetime import datetime
from pathlib import Path
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import event
from sqlalchemy.orm import Session

from coursehub.errors import NotFoundError
from coursehub.extensions import db
from coursehub.forum.errors import ForumError
from coursehub.forum.models import NAME_MAX, TITLE_MAX, Document, DocumentFolder, DocumentVersion, Network
from coursehub.forum.uploads import check_upload

logger = logging.getLogger(__name__)

_NEW_FILES = "forum_new_files"  # Session.info key: files written in the open transaction
_OLD_FILES = "forum_old_files"  # Session.info key: files of rows deleted in the open transaction


def upload_dir() -> Path:
    """Return the folder uploaded files are kept in (created when missing)."""
    configured = current_app.config.get("COURSEHUB_UPLOAD_DIR") or str(
        Path(current_app.instance_path) / "uploads"
    )
    folder = Path(configured)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def max_upload_bytes() -> int:
    """Return the largest file a document version may be (setting COURSEHUB_UPLOAD_MAX_BYTES)."""
    return int(current_app.config["COURSEHUB_UPLOAD_MAX_BYTES"])


def file_path(version: DocumentVersion) -> Path:
    """Return where the file of `version` lies."""
    return upload_dir() / version.storage_key


def create_folder(network: Network | None, *, name: str, actor: Any, now: datetime) -> DocumentFolder:
    """Add a folder to a network's documents (or, without a network, to the shared library)."""
    name = name.strip()
    if not name:
        raise ForumError(_("Ge mappen ett namn."), field="name")
    if len(name) > NAME_MAX:
        raise ForumError(_("Namnet får vara högst %(n)s tecken.", n=NAME_MAX), field="name")
    network_id = network.id if network is not None else None
    taken = db.session.query(DocumentFolder.id).filter_by(network_id=network_id, name=name).first()
    if taken is not None:
        raise ForumError(_("Det finns redan en mapp med det namnet."), field="name")
    folder = DocumentFolder(network_id=network_id, name=name, created_at=now)
    db.session.add(folder)
    db.session.flush()
    logger.info("folder %s created by user %s", folder.id, actor.id)
    return folder


def add_document(
    network: Network | None,
    *,
    folder_id: int | None,
    title: str,
    filename: str,
    data: bytes,
    actor: Any,
    now: datetime,
) -> Document:
    """Add a document with its first version (the uploaded file) to a network or the library."""
    network_id = network.id if network is not None else None
    folder = None
    if folder_id is not None:
        folder = db.session.get(DocumentFolder, folder_id)
        if folder is None or folder.network_id != network_id:
            raise NotFoundError(_("Mappen finns inte."), field="folder_id")
    name, kind = check_upload(filename, data, max_bytes=max_upload_bytes())
    title = title.strip() or name.rpartition(".")[0] or name
    if len(title) > TITLE_MAX:
        raise ForumError(_("Titeln får vara högst %(n)s tecken.", n=TITLE_MAX), field="title")
    document = Document(
        network_id=network_id,
        folder=folder,
        title=title,
        created_by_id=actor.id,
        created_at=now,
        updated_at=now,
    )
    db.session.add(document)
    _add_version(document, name, kind.content_type, data, actor=actor, now=now)
    logger.info("document %s added by user %s", document.id, actor.id)
    return document


def add_version(
    document: Document, *, filename: str, data: bytes, actor: Any, now: datetime
) -> DocumentVersion:
    """Add a new version (a new file) to `document`; earlier versions stay as its history."""
    name, kind = check_upload(filename, data, max_bytes=max_upload_bytes())
    version = _add_version(document, name, kind.content_type, data, actor=actor, now=now)
    logger.info("document %s got version %s from user %s", document.id, version.number, actor.id)
    return version


def _add_version(
    document: Document, name: str, content_type: str, data: bytes, *, actor: Any, now: datetime
) -> DocumentVersion:
    document.version_count = (document.version_count or 0) + 1
    document.updated_at = now
    version = DocumentVersion(
        document=document,
        number=document.version_count,
        storage_key=secrets.token_hex(16),
        filename=name,
        content_type=content_type,
        size=len(data),
        uploaded_by_id=actor.id,
        uploaded_at=now,
    )
    db.session.add(version)
    db.session.flush()  # the rows first: a broken rule leaves no file behind
    _write_file(version.storage_key, data)
    return version


def delete_document(document: Document, *, actor: Any) -> None:
    """Delete `document` with every version; their files go from the disk once this is committed.

    A meeting whose minutes it was keeps its place, without minutes (the key is set to NULL), and
    its search entry goes with it (a cascading key). Whether `actor` may is the view's to check
    (permissions_documents.can_delete_document).
    """
    folder = upload_dir()
    files = [str(folder / version.storage_key) for version in document.versions]
    document_id = document.id
    db.session.delete(document)
    db.session.flush()
    db.session.info.setdefault(_OLD_FILES, []).extend(files)
    logger.info("document %s deleted by user %s (%s files)", document_id, actor.id, len(files))


def _write_file(storage_key: str, data: bytes) -> None:
    path = upload_dir() / storage_key
    db.session.info.setdefault(_NEW_FILES, []).append(str(path))
    with open(path, "xb") as handle:  # a fresh random name: never overwrite
        handle.write(data)


def keep_files_with_transactions() -> None:
    """Keep the upload folder in step with the database (once per process): files written in a
    transaction that rolls back are removed, and so are the files of documents deleted in one that
    commits."""
    if not event.contains(Session, "after_rollback", _after_rollback):
        event.listen(Session, "after_rollback", _after_rollback)
        event.listen(Session, "after_commit", _after_commit)


def _after_rollback(session: Session) -> None:
    session.info.pop(_OLD_FILES, None)  # the rows are back: their files stay
    for name in session.info.pop(_NEW_FILES, []):
        Path(name).unlink(missing_ok=True)


def _after_commit(session: Session) -> None:
    session.info.pop(_NEW_FILES, None)
    for name in session.info.pop(_OLD_FILES, []):
        Path(name).unlink(missing_ok=True)
