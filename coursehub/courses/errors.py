"""Domain errors of the courses area."""

from coursehub.errors import CoursehubError


class CourseError(CoursehubError):
    """A rule about course types, runs or sessions was broken."""


class PublishError(CourseError):
    """A run cannot be published as it stands."""
