"""Benchmark data of the forum: networks with members, subjects, threads, posts, their search
entries, and how far each member has read.

Sized from the households (issue 24: the national set's 300 networks, 20,000 threads and 300,000
posts for its 30,000 households; the county set a fifteenth of that). The bench municipal worker
and every course leader are members of every network; the first network holds the benchmark's
thread of exactly 100 posts. Posts are rendered and stemmed as the forum does when they are
written, each distinct text once. The bench member has read most threads (the benchmark's thread
up to BENCH_THREAD_READ_UPTO, so its later pages show new posts), each course leader a few.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import timedelta
from typing import Any

from coursehub.forum.models import Network, NetworkMembership, Post, SearchEntry, Subject, Thread, ThreadRead
from coursehub.forum.stemming import stem_text
from coursehub.forum.text import render_markdown
from coursehub.lib.bench import BenchContext

BENCH_THREAD_POSTS = 100
BENCH_THREAD_READ_UPTO = 60  # the bench member has read the benchmark's thread this far
# The share of all threads each has read: the bench member follows the forum, a leader dips in.
MEMBER_READS, LEADER_READS = 0.8, 0.1
POSTS_PER_THREAD = 15  # on average, the national set's 300,000 / 20,000

_TOPICS = (
    "Umgänge med biologiska föräldrar",
    "Skolstart och samarbete med skolan",
    "Handledning och stöd till familjehemmet",
    "Sömn och trygghet för de yngsta",
    "Ersättningar och arvoden",
    "Placering av syskon",
    "Tonåringar och fritid",
    "Återförening och avslut",
)
_SUBJECTS = ("Allmänt", "Samverkan", "Utbildning", "Frågor till nätverket")
SENTENCES = (
    "Vi har haft ett liknande ärende i vår kommun och löste det med täta avstämningar.",
    "Det som hjälpte mest var att familjehemmet fick handledning varannan vecka.",
    "Har någon erfarenhet av att planera umgänge när avståndet är långt?",
    "Skolan behöver veta vem de ska kontakta, och det ska stå i genomförandeplanen.",
    "Vi provar en ny rutin för introduktion av nya familjehem och delar gärna med oss.",
    "Tack för tipset, vi tar upp det på nästa nätverksträff.",
    "Barnets egen röst behöver komma fram tydligare i uppföljningen.",
    "Ersättningsnivåerna ses över i vår nämnd under våren.",
    "Jag kan skicka mallen vi använder för överlämning mellan handläggare.",
    "Det är viktigt att familjehemmet får veta vad som händer i god tid.",
)


def seed(ctx: BenchContext) -> None:
    """Add the networks and their discussions; leave the benchmark's page ids in ctx.targets."""
    rng = ctx.rng
    networks = max(2, ctx.scale.households // 100)
    threads = max(networks * 4, ctx.scale.households * 2 // 3)
    members = [ctx.made["municipal_id"], *ctx.made["leader_ids"]]
    authors = members
    network_id = ctx.next_id(Network.__table__)
    subject_id = ctx.next_id(Subject.__table__)
    thread_id = ctx.next_id(Thread.__table__)
    post_id = ctx.next_id(Post.__table__)
    created = ctx.now - timedelta(days=365 * ctx.scale.years)

    network_rows, membership_rows, subject_rows = [], [], []
    subjects_of: dict[int, list[int]] = {}
    for number in range(networks):
        nid = network_id + number
        name = f"Nätverk {number + 1}: {_TOPICS[number % len(_TOPICS)]}"
        network_rows.append(
            {
                "id": nid,
                "name": name,
                "slug": f"natverk-{number + 1}",
                "description": "",
                "created_at": created,
            }
        )
        for user_id in members:
            membership_rows.append(
                {
                    "network_id": nid,
                    "user_id": user_id,
                    "is_moderator": user_id == members[0],
                    "notify_mentions": True,
                    "notify_replies": True,
                    "created": created,
                }
            )
        subjects_of[nid] = []
        for position, subject in enumerate(_SUBJECTS):
            subjects_of[nid].append(subject_id)
            subject_rows.append(
                {
                    "id": subject_id,
                    "network_id": nid,
                    "name": subject,
                    "position": position,
                    "created_at": created,
                }
            )
            subject_id += 1
    ctx.insert(Network.__table__, network_rows)
    ctx.insert(NetworkMembership.__table__, membership_rows)
    ctx.insert(Subject.__table__, subject_rows)

    rendered: dict[str, tuple[str, str]] = {}
    thread_rows: list[dict[str, Any]] = []
    post_rows: list[dict[str, Any]] = []
    entries: list[dict[str, Any]] = []
    span = (ctx.now - created).total_seconds()
    for number in range(threads):
        tid = thread_id + number
        nid = network_id + (0 if number == 0 else rng.randrange(networks))
        count = BENCH_THREAD_POSTS if number == 0 else rng.randint(1, 2 * POSTS_PER_THREAD - 1)
        started = created + timedelta(seconds=rng.random() * span * 0.98)
        title = f"{rng.choice(_TOPICS)} ({number + 1})"
        at = started
        for position in range(1, count + 1):
            source = " ".join(rng.sample(SENTENCES, 2))
            if source not in rendered:
                rendered[source] = (render_markdown(source), stem_text(source))
            html, stemmed = rendered[source]
            post_rows.append(
                {
                    "id": post_id,
                    "thread_id": tid,
                    "number": position,
                    "author_id": rng.choice(authors),
                    "body_source": source,
                    "body_html": html,
                    "quoted_post_id": None,
                    "created_at": at,
                    "edited_at": None,
                    "deleted_at": None,
                    "hidden_at": None,
                    "hidden_by_id": None,
                    "hidden_reason": "",
                }
            )
            entries.append(_entry("post", post_id, nid, tid, post_id, "", source, stemmed, at))
            post_id += 1
            at = min(at + timedelta(hours=rng.randint(1, 72)), ctx.now - timedelta(minutes=1))
        thread_rows.append(
            {
                "id": tid,
                "network_id": nid,
                "subject_id": rng.choice(subjects_of[nid]),
                "title": title,
                "author_id": rng.choice(authors),
                "created_at": started,
                "is_locked": False,
                "is_pinned": False,
                "post_count": count,
                "last_post_at": at,
            }
        )
        entries.append(_entry("thread", tid, nid, tid, None, title, "", stem_text(title), started))
    ctx.insert(Thread.__table__, thread_rows)
    ctx.insert(Post.__table__, post_rows)
    ctx.insert(SearchEntry.__table__, entries)
    ctx.insert(ThreadRead.__table__, _reads(ctx, thread_rows, members[0], members[1:]))
    ctx.targets.update(
        forum_network_id=network_id,
        forum_thread_id=thread_id,
        forum_search="handledning",
    )
    logins = ctx.targets.setdefault("logins", {})
    logins["member"] = "bench.kommun"


def _reads(
    ctx: BenchContext, threads: Sequence[dict[str, Any]], member_id: int, leader_ids: Sequence[int]
) -> Iterator[dict[str, Any]]:
    """Yield how far each reader has read the threads they opened: most of them to the end (read
    when the last post came), some part way (read when the thread began)."""
    rng = ctx.rng
    read_id = ctx.next_id(ThreadRead.__table__)
    bench_thread = threads[0]["id"]
    readers = [(member_id, MEMBER_READS), *((leader_id, LEADER_READS) for leader_id in leader_ids)]
    for user_id, share in readers:
        for thread in threads:
            if thread["id"] == bench_thread and user_id == member_id:
                upto = BENCH_THREAD_READ_UPTO
            elif rng.random() < share:
                count = thread["post_count"]
                upto = count if rng.random() < 0.8 else rng.randint(1, count)
            else:
                continue
            yield {
                "id": read_id,
                "thread_id": thread["id"],
                "user_id": user_id,
                "last_read_number": upto,
                "read_at": thread["last_post_at"] if upto == thread["post_count"] else thread["created_at"],
            }
            read_id += 1


def _entry(
    kind: str,
    ref_id: int,
    network_id: int,
    thread_id: int,
    post_id: int | None,
    title: str,
    body: str,
    stemmed: str,
    at: Any,
) -> dict[str, Any]:
    return {
        "kind": kind,
        "ref_id": ref_id,
        "network_id": network_id,
        "thread_id": thread_id,
        "post_id": post_id,
        "document_id": None,
        "title": title,
        "body": body,
        "stemmed": stemmed,
        "written_at": at,
    }
