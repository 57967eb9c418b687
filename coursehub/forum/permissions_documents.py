"""Who may read and keep documents, the shared library, news and meetings, and who may search.

Built on coursehub/forum/permissions.py: a network's documents and meetings are read by those who
read the network (its members; staff read every network) and written by its members; folders
and meetings are arranged by its moderators. The shared library and the news are read by every
municipal worker and network member and kept by staff.
"""

from __future__ import annotations

from typing import Any

from coursehub.accounts.models import Role
from coursehub.accounts.permissions import is_staff
from coursehub.forum import permissions
from coursehub.forum.models import Document, Network


def _logged_in(user: Any) -> bool:
    return user is not None and bool(getattr(user, "is_authenticated", False))


def can_read_documents(user: Any, network: Network) -> bool:
    """Those who read the network read and download its documents."""
    return permissions.can_read_network(user, network)


def can_upload_documents(user: Any, network: Network) -> bool:
    """Members upload documents and new versions."""
    return permissions.is_member(user, network)


def can_delete_document(user: Any, network: Network | None, document: Document) -> bool:
    """In a network: the member who uploaded the document, its moderators and staff delete it (a
    wrong file must be taken away at once). In the library: staff."""
    if network is None:
        return can_keep_library(user)
    if not _logged_in(user):
        return False
    if is_staff(user) or permissions.is_moderator(user, network):
        return True
    return document.created_by_id == user.id and permissions.is_member(user, network)


def can_manage_folders(user: Any, network: Network) -> bool:
    """Moderators arrange the folders."""
    return permissions.is_moderator(user, network)


def can_read_meetings(user: Any, network: Network) -> bool:
    """Those who read the network see its meetings, agendas, minutes and attendance."""
    return permissions.can_read_network(user, network)


def can_manage_meetings(user: Any, network: Network) -> bool:
    """Moderators plan meetings and record minutes and attendance."""
    return permissions.is_moderator(user, network)


def can_read_library(user: Any) -> bool:
    """Every municipal worker and network member (and staff) reads the library and the news."""
    if not _logged_in(user):
        return False
    return user.has_role(Role.MUNICIPAL, Role.MEMBER) or permissions.in_any_network(user)


def can_keep_library(user: Any) -> bool:
    """Staff upload to the library and write news."""
    return _logged_in(user) and is_staff(user)


def can_search(user: Any) -> bool:
    """Every library reader searches the library and the networks they read (staff: every one)."""
    return can_read_library(user)
