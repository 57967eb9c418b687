"""Turning a second factor on in tests, with codes computed by pyotp as an authenticator app would."""

from __future__ import annotations

from datetime import datetime

import pyotp

from coursehub import clock
from coursehub.accounts import second_factor


def code_at(secret: str, when: datetime) -> str:
    """Return the six-digit code an app shows at `when` for `secret`."""
    return pyotp.TOTP(secret).at(when)


def enable_second_factor(user) -> tuple[str, list[str]]:
    """Turn on a second factor for `user` (flushed, not committed); return its secret and recovery codes.

    The code that confirms it is the one of the current time step, so the next code that passes is one
    of a later step (move the clock on 30 seconds).
    """
    factor = second_factor.begin_enrolment(user, now=clock.now())
    secret = second_factor.provisioning(user, factor).secret
    codes = second_factor.confirm_enrolment(user, code_at(secret, clock.now()), now=clock.now())
    return secret, codes
