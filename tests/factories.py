"""Builders for test records: realistic defaults, committed, with overrides by keyword."""
from __future__ import annotations

import itertools
from datetime import date

from homes_app.auth.models import User
from homes_app.auth.services import hasher
from homes_app.extensions import db
from homes_app.homes.models import Bed, Home
from homes_app.placements.models import Child

_seq = itertools.count(1)
_HASH = hasher.hash("correct horse battery staple")


class Factory:
    PASSWORD = "correct horse battery staple"
    # Everyone enrolled in two-factor shares this TOTP secret (tests compute its codes).
    TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

    def user(self, role: str = "registered_manager", homes=(), two_factor: bool | None = None,
             **kw) -> User:
        """A user with a password; enrolled in two-factor if their role requires it (or
        `two_factor=True`), with TOTP_SECRET."""
        from homes_app.auth.two_factor import REQUIRED_ROLES, encrypt_secret

        n = next(_seq)
        if two_factor if two_factor is not None else role in REQUIRED_ROLES:
            kw.setdefault("totp_secret", encrypt_secret(self.TOTP_SECRET))
            kw.setdefault("totp_confirmed_at", _now())
        user = User(email=kw.pop("email", f"person{n}@council.example"), role=role,
                    display_name=kw.pop("display_name", f"Person {n}"),
                    password_hash=kw.pop("password_hash", _HASH),
                    active=kw.pop("active", True), failed_logins=kw.pop("failed_logins", 0), created_at=_now(), **kw)
        user.homes = list(homes)
        db.session.add(user)
        db.session.commit()
        return user

    def home(self, beds: int = 2, **kw) -> Home:
        n = next(_seq)
        defaults = dict(name=f"Home {n}", address=f"{n} Example Road", postcode="DE1 2AB",
                        district="Central", home_type="mainstream", status="registered",
                        registered_on=date(2020, 1, 1), max_children=beds, min_age=8,
                        max_age=17, sex_admitted="any", categories_of_need="ebd",
                        weekly_unit_cost_pence=450000, version=1,
                        ofsted_urn=f"{2000000 + n}")
        defaults.update(kw)
        home = Home(**defaults)
        db.session.add(home)
        db.session.flush()
        for i in range(beds):
            db.session.add(Bed(home_id=home.id, label=f"Bed {i + 1}",
                               in_service_from=defaults["registered_on"] or date(2020, 1, 1)))
        db.session.commit()
        db.session.refresh(home)
        return home

    def child(self, **kw) -> Child:
        n = next(_seq)
        defaults = dict(case_reference=f"LCS{100000 + n}", preferred_name=f"Child {n}",
                        date_of_birth=date(2012, 5, 17), sex="female", legal_status="C2",
                        home_postcode="DE22 1AA", uasc=False, needs="ebd")
        defaults.update(kw)
        child = Child(**defaults)
        db.session.add(child)
        db.session.commit()
        return child


def _now():
    from homes_app import clock

    return clock.utcnow()
