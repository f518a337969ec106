"""Configuration: zero-config defaults and LIFELOGGER_* environment variables."""
import pytest

from lifelogger import config, create_app


def test_defaults_need_no_configuration(tmp_path, monkeypatch):
    for key in config.SETTINGS:
        monkeypatch.delenv(f"LIFELOGGER_{key}", raising=False)
    values = config.load_env({})
    assert values == {}
    cfg = {}
    config.fill_computed_defaults(cfg, str(tmp_path))
    assert cfg["DATABASE_URL"] == f"sqlite:///{tmp_path / 'lifelogger.sqlite3'}"
    assert list(tmp_path.iterdir()) == []  # nothing written before the first migration


def test_env_vars_are_read_and_converted():
    values = config.load_env(
        {
            "LIFELOGGER_DATABASE_URL": "sqlite:////tmp/x.sqlite3",
            "LIFELOGGER_SESSION_IDLE_TIMEOUT": "120",
            "LIFELOGGER_ALLOW_REGISTRATION": "false",
            "UNRELATED": "1",
        }
    )
    assert values == {"DATABASE_URL": "sqlite:////tmp/x.sqlite3", "SESSION_IDLE_TIMEOUT": 120, "ALLOW_REGISTRATION": False}


def test_a_bad_env_value_names_the_variable():
    with pytest.raises(RuntimeError, match="LIFELOGGER_ALLOW_REGISTRATION"):
        config.load_env({"LIFELOGGER_ALLOW_REGISTRATION": "maybe"})


def test_create_app_reads_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("LIFELOGGER_DATABASE_URL", f"sqlite:///{tmp_path / 'env.sqlite3'}")
    monkeypatch.setenv("LIFELOGGER_SESSION_IDLE_TIMEOUT", "900")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("env.sqlite3")
    assert app.config["SESSION_IDLE_TIMEOUT"] == 900


def test_sqlite_connections_use_wal_foreign_keys_and_a_busy_timeout(tmp_path):
    """Per-connection SQLite settings; built on a SQLite file whatever the suite's database."""
    from sqlalchemy import text

    from lifelogger.db import db

    from tests.support.config import base_config

    app = create_app(base_config(f"sqlite:///{tmp_path / 'pragmas.sqlite3'}"))
    with app.app_context():
        with db.engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
        db.engine.dispose()
