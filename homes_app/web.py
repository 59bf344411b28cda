"""What every view shares: role checks, home scoping, one-time forms and errors onto fields."""
from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from functools import wraps

from flask import abort, flash, redirect, render_template
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import lazyload
from werkzeug.routing import IntegerConverter
from wtforms import HiddenField, PasswordField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from . import clock
from .audit.services import record_read
from .auth.models import Role, SubmittedForm
from .auth.services import may_see_home
from .common.text import unsafe_characters
from .errors import DomainError, FormReplayed, StaleForm
from .extensions import db
from .resume import kept_answers
from .types import LARGEST_INTEGER

# A service's success: (message to flash, address to go to), or a response of the view's own.
Outcome = tuple[str, str] | ResponseReturnValue

# What a form sent twice is told, wherever it was sent (409).
REPLAYED = "This form has already been submitted. Check the page to see what was saved."


class RecordId(IntegerConverter):
    """`<int:...>` in every route: an id no table can hold matches no route (404) before any
    query, rather than overflowing the database driver (500)."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", LARGEST_INTEGER)
        super().__init__(url_map, *args, **kwargs)


def roles_required(*roles: str) -> Callable:
    """The one way a page says who may open it: signed in, with one of `roles` (403
    otherwise). The roles stay on the view as `allowed_roles`, which the access-matrix test
    checks against docs/access-matrix.md; a page may narrow further (its own homes only)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        wrapped.allowed_roles = frozenset(roles)
        return wrapped

    return decorator


def signed_in(view):
    """A page for every signed-in role (the start page, one's own account, signing out)."""
    return roles_required(*Role)(view)


def current_actor():
    """The signed-in person's own row rather than Flask-Login's proxy: services are handed it
    as `actor`, and audit entries name its table."""
    return current_user._get_current_object()


def get_in_scope(model, record_id: int, home_id_of: Callable = lambda r: r.home_id):
    """The record, or 404 when it does not exist or lies outside the user's homes. Loaded
    alone: what it relates to (a home's beds, say) loads only if the page asks for it."""
    record = db.session.get(model, record_id, options=[lazyload("*")])
    if record is None or not may_see_home(current_user, home_id_of(record)):
        abort(404)
    return record


class CheckedForm(FlaskForm):
    """Every form's base: text holding control characters or hidden formatting characters
    (common/text.py) is refused beside its field; a multi-line field keeps its line breaks. A
    password is only ever hashed, never shown or kept, so it may hold any character (refusing
    some now would lock out whoever chose one)."""

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for field in self:
            if isinstance(field, StringField) and not isinstance(field, PasswordField) \
                    and isinstance(field.data, str) and \
                    unsafe_characters(field.data, multiline=isinstance(field, TextAreaField)):
                _refuse_characters(self, field)
                valid = False
        return valid


def _refuse_characters(form: FlaskForm, field: StringField) -> None:
    if isinstance(field, HiddenField):  # not typed by anyone: the form was tampered with
        form.form_errors.append("The form was incomplete. Reload the page and try again.")
        return
    field.errors = [*field.errors, f"{field.label.text} must not contain control characters "
                                   "or hidden formatting characters"]


class OneTimeForm(CheckedForm):
    """A form that can be accepted once: its nonce is stored with the change it makes."""

    form_nonce = HiddenField()

    def __init__(self, *args, **kwargs):
        from_request = not args and "formdata" not in kwargs
        posted = from_request and self.is_submitted()
        kept = kept_answers() if from_request else None
        if kept is not None:
            kwargs["formdata"] = kept  # answers from a post refused for an ended session
        super().__init__(*args, **kwargs)
        # A new nonce only for a form being shown (formdata=None gives one in a post too): a
        # posted form keeps the nonce it was sent with, and one sent without is refused
        # (consume), never let through under a nonce made up here.
        if not posted and not self.form_nonce.data:
            self.form_nonce.data = secrets.token_urlsafe(24)

    def consume(self) -> None:
        """Record the nonce in the current transaction; a replay raises DomainError."""
        nonce = (self.form_nonce.data or "")[:64]
        if not nonce:
            raise DomainError("The form was incomplete. Reload the page and try again.")
        try:
            with db.session.begin_nested():
                db.session.add(SubmittedForm(nonce=nonce, submitted_at=clock.utcnow(),
                                             user_id=getattr(current_user, "id", None)))
        except IntegrityError:
            raise FormReplayed(REPLAYED) from None

    def renew(self) -> None:
        """A fresh nonce, so the form can be sent again after a refusal."""
        self.form_nonce.data = secrets.token_urlsafe(24)


def post_once(form: FlaskForm, action: Callable[[], Outcome],
              refused: Callable[[DomainError, int], ResponseReturnValue], *,
              on_stale: Callable[[FlaskForm], None] | None = None) -> ResponseReturnValue | None:
    """The one loop behind every form post: validate, consume the form's nonce, run one
    service, commit once. `action` returns (flash message, where to go), or a response of its
    own. A refusal rolls everything back and `refused(error, status)` answers: status 409 when
    the record changed meanwhile (`on_stale` re-reads its version after the rollback) or the
    form was sent twice, 200 for any other broken rule. None when the form did not validate:
    the caller shows it again with its errors."""
    if not form.validate_on_submit():
        return None
    try:
        form.consume()
        outcome = action()
    except DomainError as error:
        db.session.rollback()
        form.renew()
        if isinstance(error, StaleForm) and on_stale is not None:
            on_stale(form)
        return refused(error, 409 if isinstance(error, StaleForm | FormReplayed) else 200)
    db.session.commit()
    if isinstance(outcome, tuple) and all(isinstance(part, str) for part in outcome):
        message, target = outcome
        flash(message, "success")
        return redirect(target)
    return outcome


def submit_form(form: FlaskForm, template: str, action: Callable[[], Outcome], *,
                on_stale: Callable[[FlaskForm], None] | None = None, **context):
    """A page whose form is posted to itself: post_once, with a refusal shown beside its field
    on the same page and the person's input kept."""
    def refused(error: DomainError, status: int):
        show_error(form, error)
        return render_template(template, form=form, **context), status

    answer = post_once(form, action, refused, on_stale=on_stale)
    return answer if answer is not None else render_template(template, form=form, **context)


def show_error(form: FlaskForm, error: DomainError) -> None:
    """Put a domain error beside its field, or at the top of the form. A form with a `place`
    method first says which of its own fields a service's field name stands for."""
    if hasattr(form, "place"):
        error = form.place(error)
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)


def choices(pairs) -> list[SelectChoice]:
    """WTForms choices from (value, label) pairs; WTForms 3.4 drops plain tuples."""
    return [SelectChoice(str(value), label) for value, label in pairs]


def audited_read(page, action: str, children: Iterable[int], **where):
    """`page`, once the audit event naming the children it shows is committed (one event
    however many; none shown, nothing written). Written after the page is rendered, so it
    names exactly what was shown and nothing rendered is reloaded. Mark the view
    writes_on_get."""
    if record_read(current_user, action, children, **where) is not None:
        db.session.commit()
    return page


def writes_on_get(view):
    """Mark a GET view that writes (e.g. audits a read), so SQLite takes its write lock at the
    start of the request's transaction instead of upgrading a stale read snapshot later."""
    view.writes_on_get = True
    return view
