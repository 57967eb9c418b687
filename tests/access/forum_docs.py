"""Access rules of the forum's documents, library, news, meetings and search (issue 19, 3-5, 7).

A network's documents and meetings answer 404 to non-members (staff read every network); only
members upload, only moderators arrange folders and meetings. The library and the news are read
by municipal workers and network members and kept by staff.
"""

from tests.access import STAFF, Rule
from tests.access.forum import network_for

READERS = STAFF | {"member"}  # a "member" visitor is a member of the network the rule builds
WRITERS = frozenset({"member"})
LIBRARY = STAFF | {"municipal", "member"}

PDF = b"%PDF-1.4\n%%EOF\n"


def _author():
    from tests.factories import UserFactory

    return UserFactory(roles=["member"])


def _document(user, *, in_network: bool = True, moderator: bool = False) -> dict:
    from coursehub import clock
    from coursehub.forum import documents

    network = network_for(user, moderator=moderator) if in_network else None
    document = documents.add_document(
        network,
        folder_id=None,
        title="Protokoll",
        filename="p.pdf",
        data=PDF,
        actor=_author(),
        now=clock.now(),
    )
    args = {"document_id": document.id}
    return args | {"network_id": network.id} if network is not None else args


def _meeting(user, *, moderator: bool = False) -> dict:
    from datetime import timedelta

    from coursehub import clock
    from coursehub.forum import meetings

    network = network_for(user, moderator=moderator)
    meeting = meetings.create_meeting(
        network,
        starts_at=clock.now() - timedelta(days=1),
        place="Kommunhuset",
        online_url="",
        agenda="",
        actor=_author(),
        now=clock.now(),
    )
    return {"network_id": network.id, "meeting_id": meeting.id}


def _in_a_network(user) -> dict:
    network_for(user)
    return {"sok": "placering"}


RULES = [
    Rule("forum.documents_list", READERS, args=lambda user: {"network_id": network_for(user).id}),
    Rule("forum.new_folder", WRITERS, args=lambda user: {"network_id": network_for(user, moderator=True).id}),
    Rule("forum.upload_document", WRITERS, args=lambda user: {"network_id": network_for(user).id}),
    Rule("forum.document_detail", READERS, args=_document),
    Rule("forum.new_version", WRITERS, args=_document),
    Rule("forum.download_version", READERS, args=lambda user: _document(user) | {"number": 1}),
    # Staff and the network's moderators (the uploader too: tests/forum/test_document_delete.py).
    Rule("forum.delete_document", READERS, method="POST", args=lambda user: _document(user, moderator=True)),
    Rule("forum.library_list", LIBRARY),
    Rule("forum.library_upload", STAFF),
    Rule("forum.library_detail", LIBRARY, args=lambda user: _document(user, in_network=False)),
    Rule("forum.library_delete", STAFF, method="POST", args=lambda user: _document(user, in_network=False)),
    Rule("forum.library_new_version", STAFF, args=lambda user: _document(user, in_network=False)),
    Rule(
        "forum.library_download", LIBRARY, args=lambda user: _document(user, in_network=False) | {"number": 1}
    ),
    Rule("forum.news_list", LIBRARY),
    Rule("forum.news_new", STAFF),
    Rule("forum.meetings_list", READERS, args=lambda user: {"network_id": network_for(user).id}),
    Rule(
        "forum.new_meeting", WRITERS, args=lambda user: {"network_id": network_for(user, moderator=True).id}
    ),
    Rule("forum.meeting_detail", READERS, args=_meeting),
    Rule("forum.record_meeting", WRITERS, args=lambda user: _meeting(user, moderator=True)),
    Rule("forum.search", LIBRARY, args=_in_a_network),
]
