"""What a password may be (NIST SP 800-63B): 12 to 128 characters, no composition rules, never
a commonly breached password, and never the person's own email address or name, which anyone
who knows them would try first."""
from __future__ import annotations

import re
from functools import cache

from ..errors import DomainError

MIN_PASSWORD, MAX_PASSWORD = 12, 128
PERSONAL = "Your password must not be your email address or name"


def check_password_rules(password: str, user) -> None:
    """Raise DomainError (on the password field) naming the first rule the password breaks."""
    if len(password) < MIN_PASSWORD:
        raise DomainError(f"Password must be {MIN_PASSWORD} characters or more", "password")
    if len(password) > MAX_PASSWORD:
        raise DomainError(f"Password must be {MAX_PASSWORD} characters or fewer", "password")
    if password.lower() in common_passwords():
        raise DomainError("This password is on a list of the most common breached passwords. "
                          "Choose another: a few unrelated words work well", "password")
    if _squashed(password) in personal_words(user):
        raise DomainError(PERSONAL, "password")


def personal_words(user) -> set[str]:
    """The person's email address, its part before the @, and their name, each with case,
    spaces and punctuation ignored (so "Ola.Nowak", "ola nowak" and "OlaNowak" are one), and
    the name's words the other way round ("Nowak Ola")."""
    email = (user.email or "").casefold()
    name = (user.display_name or "").split()
    words = {email, email.partition("@")[0], "".join(name), "".join(reversed(name))}
    return {_squashed(word) for word in words} - {""}


def _squashed(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.casefold())


@cache
def common_passwords() -> frozenset[str]:
    """The 30,000 most common passwords of a published breach corpus, as shipped by zxcvbn."""
    # Read when a password is first set, not at start-up: each web worker would hold it.
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])
