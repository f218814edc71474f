"""gunicorn's settings for research-notes: ``gunicorn -c gunicorn.conf.py config.wsgi``.

Each can be changed from the environment (gunicorn also reads ``GUNICORN_CMD_ARGS``).
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Sync workers: each serves one request at a time, so a slow client is the proxy's
# problem, not ours. Two per core plus one keeps the cores busy while others wait
# on the database or Redis.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"

# A request that takes longer than this is killed and logged; graceful restarts
# let requests in flight finish.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 30
# Behind a proxy that keeps connections open.
keepalive = 5

# Recycle each worker after about a thousand requests, not all at once.
max_requests = 1000
max_requests_jitter = 100

# Access log on stderr with the request id (also in the app's own log lines) and the
# time taken in milliseconds; in JSON with LOG_FORMAT=json.
accesslog = "-"
access_log_format = '%(h)s %({x-request-id}o)s "%(r)s" %(s)s %(B)s %(M)sms "%(a)s"'
if os.environ.get("LOG_FORMAT", "").strip().lower() == "json":
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "config.logs.RequestIdFilter"}},
        "formatters": {"json": {"()": "config.logs.JsonFormatter"}},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "filters": ["request_id"],
            }
        },
        "root": {"handlers": ["stderr"], "level": "INFO"},
        "loggers": {
            "gunicorn.error": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
            "gunicorn.access": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        },
    }

# gunicorn's control socket is one path per user: several servers on one machine
# (two app servers side by side, the tests) would take it from each other.
control_socket_disable = True
