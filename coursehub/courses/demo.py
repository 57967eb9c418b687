"""Demo data of the courses area (filled in by the courses issue)."""


def seed(now) -> None:
    """Create what is missing of this area's demo data."""
