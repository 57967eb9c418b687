"""Domain errors of recruitment, with messages fit to show a person."""

from coursehub.errors import CoursehubError


class RecruitmentError(CoursehubError):
    """A rule of recruitment was broken."""
