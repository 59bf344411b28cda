"""The relief pool's one-tap form."""
from __future__ import annotations

from ...web import OneTimeForm
from ..fields import button


class TapForm(OneTimeForm):
    """A one-tap action (pick up, release, withdraw, reset): just the nonce and CSRF token."""

    submit = button("Confirm")
