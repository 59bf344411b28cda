"""WSGI entry point: `app` for gunicorn (gunicorn.conf.py) or `flask --app wsgi`."""
from homes_app import create_app
from homes_app.config import UnsafeSettings

try:
    app = create_app()
except UnsafeSettings as refusal:
    # The message names each setting to fix; a traceback would only hide it.
    raise SystemExit(str(refusal)) from None
