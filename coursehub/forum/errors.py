"""Errors of the forum area; each message is fit to show a person."""

from coursehub.errors import CoursehubError


class ForumError(CoursehubError):
    """A forum rule was broken."""
