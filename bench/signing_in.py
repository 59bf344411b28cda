"""Signing a bench client in through the real pages, second factor included (the roles the
bench signs in as require one): the account is given a known TOTP secret first."""
from __future__ import annotations

import re

import pyotp
from sqlalchemy import select

from homes_app import clock
from homes_app.auth.models import User
from homes_app.auth.two_factor import encrypt_secret
from homes_app.extensions import db

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105 (a bench account only)


def signed_in_client(app, email: str, password: str):
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        user.totp_secret = encrypt_secret(SECRET)
        user.totp_confirmed_at, user.totp_last_step = clock.utcnow(), None
        db.session.commit()
    client = app.test_client()
    response = client.post("/sign-in", data={"email": email, "password": password,
                                             "csrf_token": _token(client, "/sign-in")})
    if response.status_code == 302 and "/two-factor" in response.headers["Location"]:
        step = response.headers["Location"]
        response = client.post(step, data={"code": pyotp.TOTP(SECRET).at(clock.now()),
                                           "csrf_token": _token(client, step)})
    if response.status_code != 302 or "/sign-in" in response.headers["Location"]:
        raise RuntimeError(f"the bench user {email} could not sign in")
    return client


def _token(client, url: str) -> str:
    page = client.get(url).get_data(as_text=True)
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
