"""What the registration and compliance views share: the one way a form is submitted, and
looking records up within the user's homes."""
from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect, render_template
from flask_login import current_user

from ..errors import DomainError, StaleForm
from ..extensions import db
from ..homes.models import Home
from ..web import REPLAYED, get_in_scope, show_error


def submit(form, template: str, action: Callable[[], tuple[str, str]],
           version: Callable[[], int] | None = None, **context):
    """Validate, consume the nonce, run one service, commit once, flash and redirect. A
    refusal rolls everything back and shows the form again with the input kept: 409 for a
    stale or replayed form, 200 otherwise."""
    if form.validate_on_submit():
        try:
            form.consume()
            message, target = action()
        except DomainError as error:
            db.session.rollback()
            show_error(form, error)
            form.renew()
            if isinstance(error, StaleForm) and version is not None:
                form.version.data = version()  # re-read after the rollback
            status = 409 if isinstance(error, StaleForm) or error.message == REPLAYED else 200
            return render_template(template, form=form, **context), status
        db.session.commit()
        flash(message, "success")
        return redirect(target)
    return render_template(template, form=form, **context)


def home_in_scope(home_id: int) -> Home:
    return get_in_scope(Home, home_id, lambda h: h.id)


def actor():
    return current_user._get_current_object()
