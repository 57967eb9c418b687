"""Domain errors of the evaluations area."""

from __future__ import annotations

from coursehub.errors import CoursehubError


class EvaluationError(CoursehubError):
    """A rule of forms or evaluations was broken."""


class LinkUnusableError(EvaluationError):
    """An answering link that was used, has expired or never existed (the page says no more)."""


class AnswersInvalidError(EvaluationError):
    """Posted answers that cannot be stored; `errors` holds a message per field name."""

    def __init__(self, message: str, *, errors: dict[str, str]) -> None:
        super().__init__(message)
        self.errors = errors
