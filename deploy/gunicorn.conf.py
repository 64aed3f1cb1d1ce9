"""gunicorn configuration of the DMK-Plattform (issue 17 item 3; docs/operations.md).

Started by ``deploy/systemd/dmk-web.service`` and by ``make serve``:
``gunicorn -c deploy/gunicorn.conf.py dmk.wsgi:application``. Every value can be overridden
from the environment, so one file serves production and the local stack.
"""

import gc
import multiprocessing
import os

# nginx talks to us over a Unix socket (deploy/nginx/dmk.conf.in); never exposed directly
bind = os.environ.get("GUNICORN_BIND", "unix:/run/dmk/gunicorn.sock")
# sync workers: the app is CPU-bound rendering with short database reads; nginx buffers slow
# clients, so a worker is never held by a slow connection
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
worker_class = "gthread" if threads > 1 else "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# load the app once in the master and fork: workers share its memory pages (copy on write);
# recycle a worker after some thousand requests so memory never creeps (goal: ≤ 250 MB RSS)
preload_app = True
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = max_requests // 10
# trust X-Forwarded-* only from the local nginx
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# request limits in line with nginx (large_client_header_buffers)
limit_request_line = 8190
limit_request_fields = 100
# heartbeat files in memory, not on a possibly slow disk
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108 - a RAM disk
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None  # nginx logs the requests
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
proc_name = "dmk-web"


def when_ready(server):
    """Before the first fork: move every object of the preloaded app (~180,000: Django,
    Wagtail, our modules) into Python's permanent generation (``gc.freeze``, as the Python
    documentation advises for pre-fork servers). A worker's full collections then no longer
    walk them nor write to their shared memory pages (copy on write). Measured with 2 workers
    and one connection each at N = 10,000 (issue 17): the archive's p99 fell from 389 to
    58 ms and its slowest request from 808 to 75 ms; the home page's p99 from 459 to 47 ms."""
    gc.collect()
    gc.freeze()
