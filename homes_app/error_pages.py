"""The HTTP error pages, and what a refused CSRF token answers (the form expired: resume.py)."""
from __future__ import annotations

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError

from .errors import NotAllowed
from .extensions import db
from .resume import form_expired


def register_error_pages(app: Flask) -> None:
    def page(code: int, title: str, text: str):
        def handler(_error):
            if code == 500:
                # The request's transaction may be the thing that failed (PostgreSQL refuses
                # every statement after an error until a rollback), and the page itself reads
                # the database: who is signed in, their alerts count.
                db.session.rollback()
            return render_template("errors/error.html", code=code, title=title, text=text), code

        return handler

    app.register_error_handler(400, page(400, "Something was wrong with the request",
                                         "Go back, check the form and try again."))
    app.register_error_handler(CSRFError, lambda _error: form_expired())
    app.register_error_handler(403, page(403, "You do not have access to this page",
                                         "If you think you should, ask your administrator."))
    app.register_error_handler(NotAllowed, page(403, "You do not have access to this page",
                                                "If you think you should, ask your administrator."))
    app.register_error_handler(404, page(404, "Page not found",
                                         "If you typed the web address, check it is correct."))
    app.register_error_handler(405, page(405, "That action is not available here",
                                         "Go back and use the buttons on the page."))
    app.register_error_handler(500, page(500, "Sorry, there is a problem with the service",
                                         "Try again later. Nothing you entered was saved."))
