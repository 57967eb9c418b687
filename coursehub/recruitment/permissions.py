"""Who may read recruitment cases, and the one loader that writes the audit row of every read.

The cases are the most sensitive data in the platform (SECURITY.md, Privacy): only the resource's
staff with the recruitment right read them — today the staff and admin roles. Every read of a
case, its notes, checks or presentation writes an audit row (who, roles, which record, when; no
content), and every refused attempt a "denied" row; to anyone else a case answers 404, as if it
did not exist. Both rows are committed at once, before the page renders or the 404 is sent, so
that neither a later error nor the refusal itself loses them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import wraps
from typing import Any, TypeVar

from flask import abort
from flask_login import current_user

from coursehub.accounts import audit
from coursehub.accounts.models import AuditOutcome
from coursehub.accounts.permissions import is_staff
from coursehub.extensions import login_manager
from coursehub.lib import work
from coursehub.lib.params import as_id
from coursehub.lib.work import commit_audit_now
from coursehub.recruitment.models import Case

F = TypeVar("F", bound=Callable[..., Any])

# What a read is of: the audit log's action is "recruitment.<what>.read".
READ_SUBJECTS = frozenset({"case", "notes", "checks", "presentation", "board"})


def _logged_in(user: Any) -> bool:
    return user is not None and bool(getattr(user, "is_authenticated", False))


def can_read_cases(user: Any) -> bool:
    """Staff with the recruitment right read cases, their notes, checks and presentations."""
    return _logged_in(user) and is_staff(user)


def can_work_cases(user: Any) -> bool:
    """The same people move cases, record checks and write notes."""
    return can_read_cases(user)


def _actor(user: Any) -> Any:
    return user._get_current_object() if hasattr(user, "_get_current_object") else user


def record_denied(what: str, object_id: int | None = None) -> None:
    """Write and commit a "denied" audit row for the current user's refused attempt."""
    work.write_from_here()
    audit.record(
        _actor(current_user),
        f"recruitment.{what}.read",
        object_type="recruitment_cases" if what != "board" else None,
        object_id=object_id,
        outcome=AuditOutcome.DENIED,
        committed_at_once=True,
    )
    commit_audit_now()


def record_read(what: str, case: Case | None = None, *, also: Sequence[str] = ()) -> None:
    """Write and commit the audit row of the current user's read of `case` (or of the board), and
    a row for each of `also`, the further subjects the same page shows (the case page's notes and
    checks), all in one commit (which keeps the rows already loaded, see `commit_audit_now`).
    """
    actor = _actor(current_user)
    for subject in (what, *also):
        audit.record(actor, f"recruitment.{subject}.read", obj=case, committed_at_once=True)
    commit_audit_now()


def load_case(
    ident: object, *, what: str = "case", also: Sequence[str] = (), options: Sequence[Any] = ()
) -> Case:
    """Load a case the current user may read, writing the read's audit row; else 404 and a denied row.

    `also` names further subjects the page shows, each with its audit row in the same commit;
    `options` are loader options for the case's statement (what the page reads of it)."""
    for subject in (what, *also):
        if subject not in READ_SUBJECTS:
            raise ValueError(subject)
    number = as_id(ident)
    if not can_read_cases(current_user):
        record_denied(what, number)
        abort(404)
    work.write_from_here()
    case = work.get_by_id(Case, number, options) if number is not None else None
    if case is None:
        abort(404)
    record_read(what, case, also=also)
    return case


def case_reader_required(what: str = "board") -> Callable[[F], F]:
    """Let a view through for case readers; visitors go to the login page, others get 404 (denied row)."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if not _logged_in(current_user):
                return login_manager.unauthorized()
            if not can_read_cases(current_user):
                record_denied(what, as_id(kwargs.get("case_id")))
                abort(404)
            return view(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorator
