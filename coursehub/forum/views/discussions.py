"""Subjects, threads and posts: reading, starting a thread, replying, quoting, editing, deleting."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from coursehub import clock
from coursehub.accounts.permissions import login_required
from coursehub.forum import queries
from coursehub.forum.forms import (
    CHILD_REMINDER,
    MARKDOWN_HINT,
    ButtonForm,
    PostForm,
    ThreadForm,
)
from coursehub.forum.models import Post, Thread
from coursehub.forum.services import discussions
from coursehub.forum.text import quote
from coursehub.forum.views import bp
from coursehub.forum.views.common import (
    Standing,
    load_post,
    load_subject,
    load_subject_standing,
    load_thread,
    load_thread_visit,
    standing,
)
from coursehub.forum.views.post_articles import PostArticles
from coursehub.forum.views.thread_rows import thread_rows
from coursehub.lib.forms import shown_again_status
from coursehub.lib.params import as_id, get_or_none, page_arg
from coursehub.lib.work import ERROR, actor, attempt


@bp.get("/amne/<int:subject_id>")
@login_required
def subject(subject_id: int):
    """A subject's threads, pinned first, with the reader's unread counts."""
    visit, here = load_subject_standing(subject_id)
    found = visit.subject
    page = queries.subject_threads(found.id, user_id=current_user.id, page=page_arg(), total=visit.threads)
    return render_template(
        "forum/subject.html",
        subject=found,
        network=found.network,
        page=page,
        rows=thread_rows(page),
        standing=here,
    )


@bp.route("/amne/<int:subject_id>/ny-trad", methods=["GET", "POST"])
@login_required
def new_thread(subject_id: int):
    """Start a thread in a subject (members)."""
    found = load_subject(subject_id)
    if not standing(found.network).is_member:
        abort(404)
    form = ThreadForm()
    if form.validate_on_submit():
        outcome = attempt(
            lambda: discussions.start_thread(
                found, form.title.data or "", form.body.data or "", actor=actor(), now=clock.now()
            ),
            form=form,
            default="body",
        )
        if outcome.ok and outcome.value is not None:
            flash(_("Tråden är startad."), "success")
            return redirect(url_for("forum.thread", thread_id=outcome.value.thread_id))
    status = shown_again_status(form)
    return (
        render_template(
            "forum/new_thread.html",
            subject=found,
            network=found.network,
            form=form,
            reminder=CHILD_REMINDER,
            hint=MARKDOWN_HINT,
        ),
        status,
    )


def _render_thread(
    thread: Thread,
    form: PostForm | None = None,
    status: int = 200,
    here: Standing | None = None,
    last_read: int | None = None,
):
    here = here or standing(thread.network)
    page, last_read = queries.thread_posts(
        thread, user_id=current_user.id, page=page_arg(), last_read=last_read
    )
    form = form or PostForm()
    quoted = as_id(request.args.get("citera")) if form.body.data is None else None
    if quoted is not None:
        source = get_or_none(Post, quoted)
        if source is not None and source.thread_id == thread.id and source.is_visible:
            name = source.author.full_name if source.author is not None else ""
            form.body.data = quote(name, source.body_source)
            form.quoted_post_id.data = str(source.id)
    return (
        render_template(
            "forum/thread.html",
            thread=thread,
            network=thread.network,
            subject=thread.subject,
            page=page,
            last_read=last_read,
            last_on_page=max((row.post.number for row in page.items), default=0),
            standing=here,
            form=form,
            reminder=CHILD_REMINDER,
            hint=MARKDOWN_HINT,
            articles=PostArticles(
                thread.id,
                page.page,
                user_id=current_user.id,
                can_write=here.is_member and not thread.is_locked,
                is_moderator=here.is_moderator,
                csrf=generate_csrf(),
            )(page.items),
        ),
        status,
    )


@bp.get("/trad/<int:thread_id>")
@login_required
def thread(thread_id: int):
    """A thread's posts, a page at a time, with new posts marked and the reply form."""
    visit, here = load_thread_visit(thread_id)
    return _render_thread(visit.thread, here=here, last_read=visit.last_read)


@bp.get("/trad/<int:thread_id>/inlagg/<int:number>")
@login_required
def post(thread_id: int, number: int):
    """A link to one post: the page of the thread where it stands."""
    found = load_thread(thread_id)
    if queries.post_by_number(found.id, number) is None:
        abort(404)
    return redirect(
        url_for(
            "forum.thread", thread_id=found.id, sida=queries.page_of_post(number), _anchor=f"inlagg-{number}"
        )
    )


@bp.post("/trad/<int:thread_id>/svar")
@login_required
def reply(thread_id: int):
    """Reply in a thread, maybe quoting one of its posts."""
    found = load_thread(thread_id)
    if not standing(found.network).is_member:
        abort(404)
    form = PostForm()
    if not form.validate():
        return _render_thread(found, form, 422)
    quoted_id = as_id(form.quoted_post_id.data) if form.quoted_post_id.data else None
    quoted = get_or_none(Post, quoted_id) if quoted_id is not None else None
    if quoted_id is not None and quoted is None:
        form.body.errors = [_("Inlägget du citerar finns inte i den här tråden.")]
        return _render_thread(found, form, 422)
    outcome = attempt(
        lambda: discussions.reply(found, form.body.data or "", quoted=quoted, actor=actor(), now=clock.now()),
        form=form,
        default="body",
    )
    if not outcome.ok or outcome.value is None:
        return _render_thread(load_thread(thread_id), form, 422)
    number = outcome.value.number
    flash(_("Ditt svar är publicerat."), "success")
    return redirect(
        url_for(
            "forum.thread", thread_id=thread_id, sida=queries.page_of_post(number), _anchor=f"inlagg-{number}"
        )
    )


@bp.post("/trad/<int:thread_id>/last")
@login_required
def mark_read(thread_id: int):
    """Remember that the member has read the thread up to a post (the button under each page)."""
    found = load_thread(thread_id)
    form = ButtonForm()
    upto = min(form.value.data or 0, found.post_count) if form.validate() else 0
    if upto > 0 and standing(found.network).is_member:
        attempt(lambda: discussions.mark_read(found, actor(), upto=upto, now=clock.now()))
    return redirect(url_for("forum.thread", thread_id=thread_id, sida=queries.page_of_post(upto + 1)))


@bp.route("/inlagg/<int:post_id>/andra", methods=["GET", "POST"])
@login_required
def edit_post(post_id: int):
    """Change one's own post (the earlier text is kept for the moderators)."""
    found = load_post(post_id)
    if found.author_id != current_user.id or not standing(found.thread.network).is_member:
        abort(404)
    form = PostForm(data={"body": found.body_source} if request.method == "GET" else None)
    if form.validate_on_submit():
        outcome = attempt(
            lambda: discussions.edit_post(found, form.body.data or "", actor=actor(), now=clock.now()),
            form=form,
            default="body",
        )
        if outcome.ok:
            flash(_("Inlägget är ändrat."), "success")
            return redirect(url_for("forum.post", thread_id=found.thread_id, number=found.number))
    return (
        render_template(
            "forum/edit_post.html",
            post=found,
            thread=found.thread,
            network=found.thread.network,
            form=form,
            reminder=CHILD_REMINDER,
            hint=MARKDOWN_HINT,
        ),
        shown_again_status(form),
    )


@bp.post("/inlagg/<int:post_id>/ta-bort")
@login_required
def delete_post(post_id: int):
    """Delete one's own post; its place in the thread says it was deleted."""
    found = load_post(post_id)
    thread_id, number = found.thread_id, found.number
    if ButtonForm().validate():
        outcome = attempt(lambda: discussions.delete_post(found, actor=actor(), now=clock.now()))
        if outcome.ok:
            flash(_("Inlägget är borttaget."), "success")
    else:
        flash(_("Inlägget kunde inte tas bort. Försök igen."), ERROR)
    return redirect(url_for("forum.post", thread_id=thread_id, number=number))


@bp.get("/inlagg/<int:post_id>/historik")
@login_required
def post_history(post_id: int):
    """A post's earlier texts (moderators)."""
    found = load_post(post_id)
    if not standing(found.thread.network).is_moderator:
        abort(404)
    return render_template(
        "forum/history.html",
        post=found,
        thread=found.thread,
        network=found.thread.network,
        revisions=queries.revisions(found.id),
    )
