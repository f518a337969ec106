"""Fixtures for the ``lifelogger`` command-line client against a live server.

Imported by the CLI's test modules (``from tests.support.cli import ...``):
``cli(*args)`` runs the client with its config dir in a temp folder,
``server`` is the test app over real HTTP, ``logged_in`` the client after
``lifelogger login`` as the ``user`` fixture.
"""
import pytest
from click.testing import CliRunner

from lifelogger.client.cli import main
from tests.live_server import serving
from tests.support.api import PASSWORD


@pytest.fixture
def server(app):
    with serving(app) as url:
        yield url


@pytest.fixture
def cli(tmp_path, monkeypatch):
    """Run ``lifelogger ...`` with its config dir in a temp folder; returns the result."""
    monkeypatch.setenv("LIFELOGGER_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.delenv("LIFELOGGER_URL", raising=False)
    monkeypatch.delenv("LIFELOGGER_TOKEN", raising=False)
    runner = CliRunner()

    def run(*args, input=None):
        return runner.invoke(main, list(args), input=input, catch_exceptions=False)

    return run


@pytest.fixture
def logged_in(cli, server, user):
    result = cli("login", "--url", server, "--username", "yourname", "--password", PASSWORD)
    assert result.exit_code == 0, result.output
    return cli
