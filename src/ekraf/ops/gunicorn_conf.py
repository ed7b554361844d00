"""gunicorn settings for an Ekraf web process: `gunicorn -c python:ekraf.ops.gunicorn_conf`.

Shipped inside the package, so production (deploy/systemd/ekraf-web.service), the scale-out
test and the benchmark all run the web server with the same configuration.

Every value can be changed from the environment (/etc/ekraf/ekraf.env), so the same file
serves a small single host and a web host of a scaled-out installation. Web processes keep
nothing of their own: sessions and cache live in Redis, files in S3, data in PostgreSQL.
"""

import gc
import multiprocessing
import os

wsgi_app = "ekraf.wsgi:application"
bind = os.environ.get("EKRAF_BIND", "127.0.0.1:8000").split(",")
# Sync workers: Ekraf's pages are short database-bound requests. 2 × cores + 1 is gunicorn's
# rule of thumb; each worker holds one PostgreSQL connection (CONN_MAX_AGE), so
# web hosts × workers (+ worker processes) must stay below PostgreSQL's max_connections.
workers = int(os.environ.get("EKRAF_WEB_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("EKRAF_WEB_THREADS", "1"))
worker_class = "gthread" if threads > 1 else "sync"
# Import the application once, then fork: less memory per worker, and a broken release fails
# at start, not on the first request.
preload_app = True
timeout = int(os.environ.get("EKRAF_WEB_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then, so a slow leak in any library never grows without bound.
max_requests = 2000
max_requests_jitter = 200
# Heartbeat files in memory, as gunicorn advises: a busy disk-backed /tmp can stall workers.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108
# The application logs every request itself, with its request id (EKRAF_LOG_FORMAT=json);
# gunicorn's own access log would only repeat it.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("EKRAF_LOG_LEVEL", "info").lower()
proc_name = "ekraf-web"
# nginx in front: believe its X-Forwarded-Proto (Django reads it too, SECURE_PROXY_SSL_HEADER).
forwarded_allow_ips = os.environ.get("EKRAF_FORWARDED_ALLOW_IPS", "127.0.0.1")


def pre_fork(server, worker):
    """Before each worker is forked: move what the master has built (the application, warmed
    by ekraf.wsgi) out of the garbage collector's sight, so no worker's collection walks, and
    by touching copies, the pages it shares with the master."""
    gc.freeze()
