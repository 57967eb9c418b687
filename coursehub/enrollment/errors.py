"""Errors of the enrollment area; every message is fit to show a person."""

from coursehub.errors import CoursehubError


class EnrollmentError(CoursehubError):
    """A sign-up rule was broken."""


class SignupClosedError(EnrollmentError):
    """The run does not take sign-ups now (draft, cancelled, past, outside its window)."""


class AlreadySignedUpError(EnrollmentError):
    """The household already has an active sign-up for the run."""


class CourseFullError(EnrollmentError):
    """There are not enough free seats (only where no waiting list is offered)."""


class OfferExpiredError(EnrollmentError):
    """The offer of seats is no longer open."""


class CapacityError(EnrollmentError):
    """A capacity change would leave more seats taken than there are."""
