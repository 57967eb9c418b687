"""Reusable test support: real PostgreSQL, SMTP server, browser and accessibility checks."""

import os

import pytest


def require(tool_available: bool, what: str) -> None:
    """Skip the current test when a tool is missing, but fail instead under CI=true."""
    if tool_available:
        return
    # A skip on CI would quietly hide a broken pipeline, so there a missing tool is a defect.
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what} is required under CI=true but is not available", pytrace=False)
    pytest.skip(f"{what} is not available")
