"""Behind a reverse proxy (LIFELOGGER_PROXY_FIX): scheme, host and client address.

A probe route added to the test app shows what the app sees; the middleware
under test is the one ``create_app`` installs.
"""
from flask import request, url_for

from lifelogger import create_app

from tests.support.config import base_config

FORWARDED = {
    "X-Forwarded-For": "203.0.113.7",
    "X-Forwarded-Proto": "https",
    "X-Forwarded-Host": "log.example.org",
    "X-Forwarded-Port": "443",
}


def probed_app(database_url, hops):
    app = create_app(base_config(database_url, PROXY_FIX=hops))

    @app.get("/probe")
    def probe():
        return {
            "scheme": request.scheme,
            "host": request.host,
            "remote_addr": request.remote_addr,
            "url_root": request.url_root,
            "health_url": url_for("health.Health", _external=True),
        }

    return app


def test_behind_one_proxy_the_app_sees_the_clients_scheme_host_and_address(database_url):
    seen = probed_app(database_url, hops=1).test_client().get("/probe", headers=FORWARDED).json
    assert seen == {
        "scheme": "https",
        "host": "log.example.org",
        "remote_addr": "203.0.113.7",
        "url_root": "https://log.example.org/",
        "health_url": "https://log.example.org/api/v1/health",
    }


def test_a_non_default_forwarded_port_stays_in_urls(database_url):
    headers = {**FORWARDED, "X-Forwarded-Port": "8443"}
    seen = probed_app(database_url, hops=1).test_client().get("/probe", headers=headers).json
    assert seen["url_root"] == "https://log.example.org:8443/"


def test_only_the_address_the_trusted_proxy_added_counts(database_url):
    """A client's own X-Forwarded-For entry comes first; nginx appends the real one."""
    headers = {**FORWARDED, "X-Forwarded-For": "6.6.6.6, 203.0.113.7"}
    seen = probed_app(database_url, hops=1).test_client().get("/probe", headers=headers).json
    assert seen["remote_addr"] == "203.0.113.7"


def test_without_the_setting_forged_forwarded_headers_are_ignored(database_url):
    seen = probed_app(database_url, hops=0).test_client().get("/probe", headers=FORWARDED).json
    assert seen == {
        "scheme": "http",
        "host": "localhost",
        "remote_addr": "127.0.0.1",
        "url_root": "http://localhost/",
        "health_url": "http://localhost/api/v1/health",
    }
