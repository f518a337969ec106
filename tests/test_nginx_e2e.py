"""The real thing on loopback: nginx (deploy/nginx/lifelogger.conf) over HTTPS in front of gunicorn.

The site config is used as shipped, adapted only in its listen ports, the
certificate and static paths, the host name and gunicorn's address. gunicorn
runs with ``gunicorn.conf.py`` and 2 sync workers on the suite's database. The
client connects from 127.0.0.2, so the app must tell the client's address
(from X-Forwarded-For) apart from nginx's (127.0.0.1).

nginx comes from the Debian package, which ``make test`` and ``.ci/run``
install when apt-get is available; without it the test is skipped, unless
LIFELOGGER_REQUIRE_NGINX=1 (set by CI) makes that a failure.
"""
from __future__ import annotations

import gzip
import http.client
import json
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.api import PASSWORD

REPO = Path(__file__).resolve().parent.parent
SITE = REPO / "deploy" / "nginx" / "lifelogger.conf"
NGINX = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.access(p, os.X_OK)), None)
OPENSSL = shutil.which("openssl")
CLIENT_ADDRESS = "127.0.0.2"  # any 127/8 address is local on Linux; nginx itself talks to gunicorn from 127.0.0.1
DOMAIN = "lifelogger.example.com"

if NGINX is None or OPENSSL is None:
    missing = "nginx" if NGINX is None else "openssl"
    if os.environ.get("LIFELOGGER_REQUIRE_NGINX") == "1":
        raise RuntimeError(f"{missing} is not installed but LIFELOGGER_REQUIRE_NGINX=1")
    pytest.skip(
        f"{missing} is not installed and could not be installed (make test installs it with apt-get where it can)",
        allow_module_level=True,
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def adapt_site(text: str, *, http_port: int, https_port: int, app_port: int, certs: Path, webroot: Path) -> str:
    """The shipped site with loopback ports, test certificates and this checkout's paths."""
    replacements = [
        ("/etc/letsencrypt/live/lifelogger.example.com/", f"{certs}/"),
        ("return 301 https://lifelogger.example.com$request_uri;", f"return 301 https://localhost:{https_port}$request_uri;"),
        ("server_name lifelogger.example.com;", "server_name localhost;"),
        ("listen 80;", f"listen 127.0.0.1:{http_port};"),
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;"),
        ("proxy_pass http://127.0.0.1:8000;", f"proxy_pass http://127.0.0.1:{app_port};"),
        ("alias /opt/lifelogger/app/lifelogger/ui/static/;", f"alias {REPO}/lifelogger/ui/static/;"),
        ("root /var/www/html;", f"root {webroot};"),
        ("access_log /var/log/nginx/access.log lifelogger_redacted;", f"access_log {webroot.parent}/site-access.log lifelogger_redacted;"),
    ]
    adapted = text
    for old, new in replacements:
        assert old in adapted, f"the site config no longer contains {old!r}: update this test"
        adapted = adapted.replace(old, new)
    # IPv6 listeners on every address are not for a test; the IPv4 loopback ones remain.
    adapted = re.sub(r"^\s*listen \[::\]:\d+[^;]*;\n", "", adapted, flags=re.M)
    changed = [line for line in adapted.splitlines() if line not in text.splitlines() and not line.lstrip().startswith("#")]
    assert all(re.match(r"\s*(listen|server_name|ssl_certificate|ssl_certificate_key|return 301|proxy_pass|alias|root|access_log)\s", line) for line in changed), changed
    return adapted


MAIN_CONF = """\
# Debian's /etc/nginx/nginx.conf, with every path inside the test's directory.
daemon off;
{user}
worker_processes 2;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log info;
events {{ worker_connections 256; }}
http {{
    sendfile on;
    tcp_nopush on;
    types_hash_max_size 2048;
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    ssl_protocols TLSv1 TLSv1.1 TLSv1.2 TLSv1.3;
    ssl_prefer_server_ciphers on;
    access_log {tmp}/access.log;
    gzip on;
    client_body_temp_path {tmp}/client_body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    include {tmp}/lifelogger.conf;
}}
"""


@dataclass
class Stack:
    https_port: int
    http_port: int
    app_port: int
    context: ssl.SSLContext
    gunicorn_log: Path
    webroot: Path

    def request(self, method, path, body=None, headers=None, *, https=True, source=CLIENT_ADDRESS, raw_body=None):
        """One request from ``source``; returns (status, headers, raw body bytes)."""
        if https:
            conn = http.client.HTTPSConnection("127.0.0.1", self.https_port, context=self.context, timeout=30, source_address=(source, 0))
        else:
            conn = http.client.HTTPConnection("127.0.0.1", self.http_port, timeout=30, source_address=(source, 0))
        headers = dict(headers or {})
        if body is not None:
            body = json.dumps(body)
            headers["Content-Type"] = "application/json"
        if raw_body is not None:
            body = raw_body
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            return response.status, response.headers, response.read()
        finally:
            conn.close()

    def api(self, method, path, body=None, token=None, headers=None):
        """A JSON API call over HTTPS; returns (status, headers, parsed JSON or None)."""
        headers = dict(headers or {})
        if token:
            headers["Authorization"] = f"Bearer {token}"
        status, response_headers, raw = self.request(method, "/api/v1" + path, body, headers)
        return status, response_headers, json.loads(raw) if raw else None


def _wait_for(check, what: str, logs: list[Path], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.1)
    details = "\n".join(f"--- {log}\n{log.read_text(errors='replace')[-3000:]}" for log in logs if log.exists())
    raise AssertionError(f"{what} did not come up within {timeout} s\n{details}")


def _stop(process: subprocess.Popen, sig=signal.SIGTERM) -> None:
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def stack(database_url, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("nginx")
    certs, webroot = tmp / "certs", tmp / "www"
    certs.mkdir()
    (webroot / ".well-known" / "acme-challenge").mkdir(parents=True)
    subprocess.run(
        [OPENSSL, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
         "-keyout", str(certs / "privkey.pem"), "-out", str(certs / "fullchain.pem")],
        check=True, capture_output=True,
    )  # fmt: skip
    http_port, https_port, app_port = free_port(), free_port(), free_port()

    gunicorn_log = tmp / "gunicorn.log"
    env = {
        **os.environ,
        "LIFELOGGER_BIND": f"127.0.0.1:{app_port}",
        "LIFELOGGER_WORKERS": "2",
        # Sync workers, one request each, so a test can hold one worker busy and
        # know the other answers (test_two_workers_share_the_session_...). The
        # default gthread workers are run against slow clients in
        # tests/test_slow_clients.py and by the load test.
        "LIFELOGGER_WORKER_CLASS": "sync",
        "LIFELOGGER_DATABASE_URL": database_url,
        "LIFELOGGER_SECRET_KEY": "e2e-secret",
        "LIFELOGGER_BCRYPT_ROUNDS": "4",
        "LIFELOGGER_PROXY_FIX": "1",
    }
    (tmp / "lifelogger.conf").write_text(
        adapt_site(SITE.read_text(), http_port=http_port, https_port=https_port, app_port=app_port, certs=certs, webroot=webroot)
    )
    # As root, nginx's workers would switch to "nobody", which cannot read this directory.
    user = "user root root;" if os.geteuid() == 0 else ""
    (tmp / "nginx.conf").write_text(MAIN_CONF.format(tmp=tmp, user=user))
    nginx_cmd = [NGINX, "-p", str(tmp), "-c", str(tmp / "nginx.conf"), "-e", str(tmp / "error.log")]
    checked = subprocess.run([*nginx_cmd, "-t"], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr

    processes = []
    try:
        with gunicorn_log.open("wb") as log:
            gunicorn = subprocess.Popen(
                [str(Path(sys.executable).with_name("gunicorn")), "-c", "gunicorn.conf.py", "tests.proxy_probe:app"],
                cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
            processes.append((gunicorn, signal.SIGTERM))
        with (tmp / "nginx.stderr").open("wb") as log:
            nginx = subprocess.Popen(nginx_cmd, stdout=subprocess.DEVNULL, stderr=log)
            processes.append((nginx, signal.SIGQUIT))
        context = ssl.create_default_context(cafile=str(certs / "fullchain.pem"))
        result = Stack(https_port, http_port, app_port, context, gunicorn_log, webroot)
        logs = [gunicorn_log, tmp / "error.log", tmp / "nginx.stderr"]
        _wait_for(lambda: gunicorn.poll() is None and socket.create_connection(("127.0.0.1", app_port), 1).close() is None, "gunicorn", logs)
        _wait_for(lambda: nginx.poll() is None and result.request("GET", "/api/v1/health")[0] == 200, "nginx", logs)
        yield result
    finally:
        for process, sig in reversed(processes):
            _stop(process, sig)


def test_a_day_logged_through_nginx_over_https(stack, app):
    status, headers, body = stack.api("POST", "/auth/register", {"username": "edge", "password": PASSWORD})
    assert status == 201, body
    status, _, body = stack.api("POST", "/auth/login", {"username": "edge", "password": PASSWORD})
    assert status == 200, body
    token = body["token"]
    for label in ("Programming", "Reading"):
        assert stack.api("POST", "/labels", {"name": label}, token)[0] == 201
    status, _, first = stack.api("POST", "/events", {"label": "Reading", "started_at": "2024-01-05T08:00:00Z", "ended_at": "2024-01-05T09:00:00Z"}, token)
    assert status == 201, first
    status, _, started = stack.api("POST", "/events/start", {"label": "Programming"}, token)
    assert status == 201 and started["ended_at"] is None
    status, _, current = stack.api("GET", "/events/current", token=token)
    assert current["event"].items() >= started.items()
    time.sleep(1.1)  # so the running event lasts at least a second
    status, _, stopped = stack.api("POST", "/events/stop", token=token)
    assert status == 200 and stopped["id"] == started["id"] and stopped["ended_at"] is not None
    status, _, stats = stack.api("GET", "/stats?start=2024-01-05T00:00:00Z&end=2024-01-06T00:00:00Z", token=token)
    assert status == 200 and stats == {"percentages": {"Reading": 100.0}, "minutes": {"Reading": 60.0}}
    # Every request above may have gone to either worker: the session lives in the database.
    status, _, _ = stack.api("POST", "/auth/logout", token=token)
    assert status == 204
    assert stack.api("GET", "/me", token=token)[0] == 401


def test_https_responses_carry_hsts_even_errors(stack):
    for path in ("/api/v1/health", "/api/v1/nope", "/static/swagger-init.js"):
        status, headers, _ = stack.request("GET", path)
        assert headers["Strict-Transport-Security"] == "max-age=63072000; includeSubDomains", (path, status)


def test_plain_http_redirects_to_https_but_serves_acme_challenges(stack):
    status, headers, _ = stack.request("GET", "/api/v1/health?x=1", https=False)
    assert status == 301
    assert headers["Location"] == f"https://localhost:{stack.https_port}/api/v1/health?x=1"
    assert "Strict-Transport-Security" not in headers
    (stack.webroot / ".well-known" / "acme-challenge" / "token123").write_text("token123.key")
    status, _, body = stack.request("GET", "/.well-known/acme-challenge/token123", https=False)
    assert (status, body) == (200, b"token123.key")


def test_json_css_and_javascript_are_gzipped(stack):
    for path, mimetype in [
        ("/api/v1/openapi.json", "application/json"),
        ("/api/v1/docs/assets/swagger-ui.css", "text/css"),
        ("/static/swagger-init.js", None),
    ]:
        status, headers, raw = stack.request("GET", path, headers={"Accept-Encoding": "gzip"})
        assert status == 200, path
        assert headers["Content-Encoding"] == "gzip", path
        assert "Accept-Encoding" in headers["Vary"], path
        body = gzip.decompress(raw)
        if mimetype:
            assert headers["Content-Type"].startswith(mimetype)
        if mimetype == "application/json":
            assert json.loads(body)["info"]["title"] == "Life Logger"
    status, headers, raw = stack.request("GET", "/api/v1/openapi.json")
    assert "Content-Encoding" not in headers and json.loads(raw)


def test_big_bodies_get_the_apps_json_413_and_imports_may_be_larger(stack, user):
    auth = {"Authorization": f"Bearer {user.token}"}
    status, headers, raw = stack.request("POST", "/api/v1/labels", {"name": "x" * 100_000}, auth)
    assert status == 413 and headers["Content-Type"] == "application/json"  # the app's, not nginx's HTML
    assert json.loads(raw)["code"] == 413
    # A 2 MiB import file (JSON padded with whitespace) passes nginx and is read by the app.
    padded = '{"format": "lifelogger", "labels": [], "events": []}' + " " * (2 * 1024 * 1024)
    status, _, raw = stack.request(
        "POST", "/api/v1/import?format=lifelogger-json&dry_run=true", headers={**auth, "Content-Type": "application/json"}, raw_body=padded
    )
    assert status == 200, raw[:300]
    assert json.loads(raw)["imported"] == 0
    status, headers, _ = stack.request(
        "POST", "/api/v1/import?format=lifelogger-json", headers={**auth, "Content-Type": "application/json"}, raw_body=" " * (18 * 1024 * 1024)
    )
    assert status == 413 and headers["Content-Type"].startswith("text/html")  # over nginx's 17m for imports


def test_static_files_are_served_by_nginx(stack):
    status, headers, body = stack.request("GET", "/static/swagger-init.js")
    assert status == 200
    assert body == (REPO / "lifelogger" / "ui" / "static" / "swagger-init.js").read_bytes()
    assert headers["Cache-Control"] == "max-age=604800"  # nginx's "expires 7d"
    assert "X-Frame-Options" not in headers  # the app sets it on everything it answers
    assert stack.request("GET", "/static/../wsgi.py")[0] in (400, 404)


def test_the_app_sees_https_the_public_host_and_the_clients_address(stack):
    status, _, body = stack.request("GET", "/_probe", headers={"X-Forwarded-For": "6.6.6.6", "X-Forwarded-Proto": "http"})
    assert status == 200
    seen = json.loads(body)
    assert seen["scheme"] == "https"
    assert seen["url_root"] == f"https://127.0.0.1:{stack.https_port}/"
    assert seen["remote_addr"] == CLIENT_ADDRESS  # not nginx's 127.0.0.1, not the forged 6.6.6.6


def test_the_access_log_shows_the_clients_address(stack):
    marker = f"/api/v1/health?marker={time.monotonic_ns()}"
    assert stack.request("GET", marker)[0] == 200
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        lines = [line for line in stack.gunicorn_log.read_text(errors="replace").splitlines() if marker in line]
        if lines:
            break
        time.sleep(0.1)
    assert lines and lines[0].startswith(f'{CLIENT_ADDRESS} "GET {marker} HTTP/1.0" 200 ')


def test_a_calendar_feed_token_reaches_no_access_log(stack, app):
    """The token in a feed URL is redacted in nginx's site log and in gunicorn's, over HTTP and HTTPS."""
    assert stack.api("POST", "/auth/register", {"username": "feeder", "password": PASSWORD})[0] == 201
    session = stack.api("POST", "/auth/login", {"username": "feeder", "password": PASSWORD})[2]["token"]
    status, _, created = stack.api("POST", "/tokens", {"name": "phone", "scope": "calendar", "password": PASSWORD}, session)
    assert status == 201, created
    secret = created["token"]
    path = f"/api/v1/feeds/{secret}/calendar.ics"
    status, _, body = stack.request("GET", path, headers={"Referer": f"https://localhost{path}"})
    assert status == 200 and body.startswith(b"BEGIN:VCALENDAR"), (status, body[:200])
    assert stack.request("GET", path, https=False)[0] == 301
    site_log = stack.webroot.parent / "site-access.log"
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and site_log.read_text(errors="replace").count("/feeds/[redacted]/") < 3:
        time.sleep(0.1)
    site, upstream = site_log.read_text(errors="replace"), stack.gunicorn_log.read_text(errors="replace")
    assert '"GET /api/v1/feeds/[redacted]/calendar.ics HTTP/1.1" 200' in site, site[-2000:]
    assert '"GET /api/v1/feeds/[redacted]/calendar.ics HTTP/1.0" 200' in upstream, upstream[-2000:]
    for text in (site, upstream):
        assert secret not in text and secret.removeprefix("llpat_") not in text


def _occupy_a_worker(stack) -> socket.socket:
    """Keep one gunicorn worker busy: a request to it directly, whose headers never end."""
    sock = socket.create_connection(("127.0.0.1", stack.app_port), timeout=10)
    sock.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n")
    time.sleep(0.5)  # let a worker accept it
    return sock


def test_two_workers_share_the_session_through_the_database(stack, app):
    assert stack.api("POST", "/auth/register", {"username": "workers", "password": PASSWORD})[0] == 201

    def me_and_worker(token):
        status, _, body = stack.api("GET", "/me", token=token)
        assert status == 200, body
        return json.loads(stack.request("GET", "/_probe")[2])["worker_pid"]

    first = _occupy_a_worker(stack)  # worker A
    try:
        token = stack.api("POST", "/auth/login", {"username": "workers", "password": PASSWORD})[2]["token"]
        worker_b = me_and_worker(token)  # A is busy: B logged in and answers
        second = _occupy_a_worker(stack)  # now B is busy too...
        try:
            first.close()  # ...and A is free again
            worker_a = me_and_worker(token)
        finally:
            second.close()
    finally:
        first.close()
    assert worker_a != worker_b
