"""gunicorn's settings for homes_app, shipped in the package so an installed wheel has them:
`gunicorn --config python:homes_app.gunicorn_config 'homes_app:create_app()'` (deploy/), or
from a checkout `gunicorn --config gunicorn.conf.py wsgi:app` (make serve), which reads this.
Each value can be changed by the environment variable named beside it, or by gunicorn's own
command-line flags, which win over this file.

The scheduled jobs never run here: they are `flask run-scheduler`, a process of its own."""
import gc
import os

from . import serving
from .ops import metrics

# Prometheus metrics from every worker are summed from files in one folder (docs/monitoring.md).
# prometheus_client reads its name when first imported, which importing homes_app does: so it
# must be in the environment before gunicorn starts (deploy/homes-app.service, gunicorn.conf.py).
if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    raise SystemExit("Set PROMETHEUS_MULTIPROC_DIR to an empty folder only homes_app writes "
                     "(e.g. /run/homes-app/metrics) before starting gunicorn")


def _number(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


CORES = os.cpu_count() or 1

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# A page is mostly Python (templates, SQLAlchemy): one process per core does the work, and a
# few threads each keep a core busy while others wait on the database.
workers = _number("GUNICORN_WORKERS", max(2, CORES))
threads = _number("GUNICORN_THREADS", 4)
worker_class = "gthread"
# A request that takes longer is stuck: the worker is killed and replaced.
timeout = _number("GUNICORN_TIMEOUT", 30)
# On SIGTERM or SIGHUP, workers finish the requests they hold for this long first.
graceful_timeout = _number("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = 5
# Replace each worker after this many requests (staggered), so no slow leak can grow for ever.
max_requests = _number("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = max_requests // 10
# Load the app once in the master: bad settings stop the server before any worker starts
# (homes_app/config.py names each one), and workers share the loaded code's memory.
preload_app = True
# Forwarded headers are trusted by the app's own TRUSTED_PROXIES setting (ProxyFix), never by
# gunicorn, which would otherwise believe X-Forwarded-Proto from any loopback client.
secure_scheme_headers: dict = {}

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
logger_class = serving.JsonLogger


def on_starting(server):
    serving.drop_server_header()
    metrics.prepare_multiprocess_dir()


def pre_fork(server, worker):
    # Everything the master loaded is moved out of the collector's sight before each fork, so
    # a worker's collections never touch (and so never copy) the pages it shares with the
    # master: about 20 MB less private memory a worker (docs/deploy.md).
    gc.freeze()


def post_fork(server, worker):
    serving.forget_inherited_connections(worker.app.wsgi())


def child_exit(server, worker):
    metrics.worker_exited(worker.pid)
