"""Domain errors: raised by services, shown to a person by views."""


class CoursehubError(Exception):
    """A rule was broken; `message` is fit to show a person (Swedish by default)."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        # The form field the message belongs beside, where there is one.
        self.field = field

    def __str__(self) -> str:
        return self.message


class NotFoundError(CoursehubError):
    """The object does not exist, or the actor may not know that it does."""


class PermissionDeniedError(CoursehubError):
    """The actor may not do this."""
