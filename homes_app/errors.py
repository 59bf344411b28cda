"""Domain errors: a refused rule carries its message, and the form field it belongs beside."""
from __future__ import annotations


class DomainError(Exception):
    """A rule refused an action. `field` names the form field the message belongs beside."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class StaleForm(DomainError):
    """The record changed since the form was opened."""


class FormReplayed(DomainError):
    """The same form was sent twice (a double click, a reload, a back button)."""


class NotAllowed(Exception):
    """The user may not do this (403)."""
