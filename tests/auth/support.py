"""Signing in step by step, for the tests of sign-in itself."""
from __future__ import annotations

import re

import pyotp

from homes_app import clock
from homes_app.auth.two_factor import STEP_SECONDS, step_at
from tests.factories import Factory
from tests.helpers import submit

CODE_REFUSED = "Enter a correct code from your authenticator app, or a recovery code"


def code(offset: int = 0, secret: str = Factory.TOTP_SECRET) -> str:
    """The code for the time step `offset` steps from now (on the frozen clock)."""
    return pyotp.TOTP(secret).at((step_at(clock.utcnow()) + offset) * STEP_SECONDS)


def password(client, user, password: str = Factory.PASSWORD, **kw):
    """The first step: email address and password."""
    return submit(client, "/sign-in", {"email": user.email, "password": password}, **kw)


def second_factor(client, value: str, url: str = "/sign-in/two-factor"):
    return submit(client, url, {"code": value})


def text(response) -> str:
    return response.get_data(as_text=True)


def manual_key(html: str) -> str:
    return re.search(r'data-test="manual-key">([A-Z2-7 ]+)<', html).group(1).replace(" ", "")


def recovery_codes(html: str) -> list[str]:
    block = re.search(r'data-test="recovery-codes">(.*?)</ul>', html, re.S).group(1)
    return re.findall(r"<code>([a-z0-9-]+)</code>", block)


def signed_in(client) -> bool:
    """Whether this browser's session opens a page that needs a signed-in person."""
    return client.get("/account").status_code == 200
