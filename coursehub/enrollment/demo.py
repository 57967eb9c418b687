"""Demo data of the enrollment area (filled in by the enrollment issue)."""


def seed(now) -> None:
    """Create what is missing of this area's demo data."""
