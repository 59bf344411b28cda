"""WSGI entry point: `app` for gunicorn or `flask --app wsgi`."""
from homes_app import create_app

app = create_app()
