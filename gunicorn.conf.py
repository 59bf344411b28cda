"""gunicorn's settings for `make serve`: those of homes_app/gunicorn_config.py, where they live so
that an installed wheel has them too (`--config python:homes_app.gunicorn_config`)."""
import os
import tempfile

# Before homes_app (and with it prometheus_client) is imported: see homes_app/gunicorn_config.py.
os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR",
                      os.path.join(tempfile.gettempdir(), f"homes_app-metrics-{os.getuid()}"))

from homes_app.gunicorn_config import *  # noqa: E402, F403
from homes_app.gunicorn_config import (  # noqa: E402, F401
    child_exit,
    on_starting,
    post_fork,
    pre_fork,
)
