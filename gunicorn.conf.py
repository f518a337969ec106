"""gunicorn settings for Life Logger (`gunicorn -c gunicorn.conf.py wsgi:app`).

Overridable with LIFELOGGER_BIND and LIFELOGGER_WORKERS.
"""
import multiprocessing
import os
import re

from gunicorn.glogging import Logger

bind = os.environ.get("LIFELOGGER_BIND", "127.0.0.1:8000")
# Requests are short and mostly wait on the database: 2 per core (+1), capped.
workers = int(os.environ.get("LIFELOGGER_WORKERS", min(2 * multiprocessing.cpu_count() + 1, 8)))
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
    if worker.booted:
        from lifelogger.api.errors import RequestTimedOut

        raise RequestTimedOut(f"worker timeout ({worker.cfg.timeout} s)")
