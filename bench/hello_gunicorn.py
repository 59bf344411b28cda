"""gunicorn settings for bench/hello_app.py: production's own (homes_app/gunicorn_config.py, the
environment choosing workers and threads), so the hello-world floor runs with the same workers,
threads, worker class, keep-alive, preloading and JSON access log as homes_app does."""
from homes_app.gunicorn_config import *  # noqa: F403
from homes_app.gunicorn_config import child_exit, on_starting  # noqa: F401


def post_fork(server, worker):
    """Production's hook disposes homes_app's database connections; hello_app has none."""
