"""gunicorn settings for Life Logger (`gunicorn -c gunicorn.conf.py wsgi:app`).

Overridable with LIFELOGGER_BIND, LIFELOGGER_WORKERS, LIFELOGGER_THREADS and
LIFELOGGER_WORKER_CLASS.
"""
import multiprocessing
import os
import re

from gunicorn.glogging import Logger

bind = os.environ.get("LIFELOGGER_BIND", "127.0.0.1:8000")
# Threads, not one request per process: a sync worker is held for as long as a
# client takes to send its headers, so five clients dripping a header line every
# 2 s kept /health from answering (one sync worker each, `make run` on 2 cores).
# With gthread, a connection gets a thread only once its first bytes arrive, and
# workers x threads (here 3 x 8) slow clients are needed to starve it; nginx in
# front buffers whole requests anyway. SQLite stays safe: each thread has its
# own session and pooled connection, and every write still takes the one write
# lock with BEGIN IMMEDIATE (lifelogger/db), so threads queue like processes do.
worker_class = os.environ.get("LIFELOGGER_WORKER_CLASS", "gthread")
workers = int(os.environ.get("LIFELOGGER_WORKERS", min(multiprocessing.cpu_count() + 1, 8)))
# (gunicorn turns a sync worker with threads > 1 into gthread.)
threads = int(os.environ.get("LIFELOGGER_THREADS", 8 if worker_class == "gthread" else 1))
# For gthread workers this is a heartbeat: a worker whose main loop stops for
# 30 s is killed, but a healthy request (a long export) is never cut off. How long
# a request may wait on the database is bounded there instead: 10 s for a lock,
# then 503 (lifelogger/db). For sync workers it is each request's limit.
timeout = 30
graceful_timeout = 20
keepalive = 5
# Trust X-Forwarded-* only from a proxy on this machine (nginx).
forwarded_allow_ips = os.environ.get("LIFELOGGER_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
accesslog = "-"
# %(L)s: request time in seconds (decimal).
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(L)ss "%(a)s"'

# A calendar feed URL carries its token in the path (/api/v1/feeds/<token>/calendar.ics):
# the access log shows "/feeds/[redacted]/" instead, whatever the format prints.
FEED_TOKEN_IN_PATH = re.compile(r"/feeds/[^/?#\s\"]*")
REDACTED_FEED = "/feeds/[redacted]"


class RedactingLogger(Logger):
    """gunicorn's logger, with feed tokens taken out of every access-log field (request line, path, referer...)."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {
            key: FEED_TOKEN_IN_PATH.sub(REDACTED_FEED, value) if isinstance(value, str) else value
            for key, value in atoms.items()
        }


logger_class = RedactingLogger
# gunicorn >= 25 opens a control socket shared by every gunicorn of the user;
# a second server (tests, benchmarks) would collide with it.
control_socket_disable = True


def worker_abort(worker):
    """The worker timeout fired: end the stuck request with a JSON 504, not an HTML 500.

    gunicorn calls this from the SIGABRT it sends a worker whose request runs
    past ``timeout``, then exits the worker; by default the client gets
    gunicorn's own HTML "Internal Server Error". Raising inside the request
    instead rolls its transaction back and answers through the app's error
    handler; the worker still exits afterwards (gunicorn has cleared
    ``worker.alive``), and is SIGKILLed if it cannot get that far (stuck in C code).
    """
    # Only a sync worker's SIGABRT lands inside the request; a gthread worker's
    # lands in its main loop, which has no request to answer.
    if worker.booted and worker.cfg.worker_class_str == "sync":
        from lifelogger.api.errors import RequestTimedOut

        raise RequestTimedOut(f"worker timeout ({worker.cfg.timeout} s)")
