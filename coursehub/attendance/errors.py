"""Errors of the attendance area; each message is fit to show a person."""

from coursehub.errors import CoursehubError


class AttendanceError(CoursehubError):
    """An attendance rule was broken."""


class SessionNotStartedError(AttendanceError):
    """Attendance can only be marked once the session has begun."""


class NotSignedUpError(AttendanceError):
    """The person is not a confirmed participant of the session."""


class CertificateError(CoursehubError):
    """A certificate rule was broken."""
