"""deploy/ and docs/deploy.md agree with the app: every file, setting and command they name exists."""
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from lifelogger import config

REPO = Path(__file__).resolve().parent.parent
GUIDE = (REPO / "docs" / "deploy.md").read_text()
ENV_EXAMPLE = REPO / "deploy" / "lifelogger.env.example"
UNIT = REPO / "deploy" / "systemd" / "lifelogger.service"

# Read by gunicorn.conf.py rather than the app.
GUNICORN_SETTINGS = set(re.findall(r"LIFELOGGER_(\w+)", (REPO / "gunicorn.conf.py").read_text()))


def test_every_file_the_guide_installs_from_deploy_exists():
    # "deploy/..." in the checkout, as opposed to e.g. certbot's renewal-hooks/deploy/.
    named = set(re.findall(r"(?:^|[\s`(]|/opt/lifelogger/app/)(deploy/[\w./-]*\w)", GUIDE, flags=re.M))
    assert named >= {"deploy/nginx/lifelogger.conf", "deploy/systemd/lifelogger.service", "deploy/lifelogger.env.example"}
    for path in named:
        assert (REPO / path).exists(), f"docs/deploy.md names {path}, which does not exist"


@pytest.mark.parametrize("text", [ENV_EXAMPLE.read_text(), GUIDE], ids=["env example", "guide"])
def test_every_setting_named_exists(text):
    known = set(config.SETTINGS) | GUNICORN_SETTINGS
    named = set(re.findall(r"\bLIFELOGGER_([A-Z][A-Z_]*[A-Z])\b", text))
    assert named and named <= known, sorted(named - known)


def test_the_env_example_is_valid_for_systemd_and_sh():
    for number, line in enumerate(ENV_EXAMPLE.read_text().splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        assert re.fullmatch(r"LIFELOGGER_[A-Z_]+=[^\s'\"$`\\&;|<>]*", line), f"line {number}: {line}"
    values = config.load_env(
        dict(line.split("=", 1) for line in ENV_EXAMPLE.read_text().splitlines() if line.startswith("LIFELOGGER_"))
    )
    assert values["PROXY_FIX"] == 1  # behind the nginx site of deploy/


def test_every_cli_command_in_the_guide_exists(app):
    used = set(re.findall(r"lifelogger-flask (\w+)", GUIDE)) | set(re.findall(r"flask --app wsgi (\w+)", GUIDE))
    assert {"db", "users", "backup", "restore", "export", "import"} <= used
    assert used <= set(app.cli.list_commands(None)) | {"X"}  # "lifelogger-flask X" is the guide's placeholder


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed (it comes with systemd)")
def test_the_systemd_unit_verifies(tmp_path):
    """systemd's own checker, with the unit's /opt paths pointed at this checkout's virtualenv."""
    import sys

    venv_bin = Path(sys.executable).parent
    unit = tmp_path / "lifelogger.service"
    unit.write_text(UNIT.read_text().replace("/opt/lifelogger/venv/bin/", f"{venv_bin}/"))
    result = subprocess.run(["systemd-analyze", "verify", str(unit)], capture_output=True, text=True)
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr


def test_gunicorn_listens_on_loopback_only_in_the_kit(monkeypatch):
    """With PROXY_FIX=1 the app believes X-Forwarded-For: only nginx on this host may reach gunicorn."""
    import runpy

    monkeypatch.delenv("LIFELOGGER_BIND", raising=False)
    settings = runpy.run_path(str(REPO / "gunicorn.conf.py"), init_globals={})
    assert settings["bind"].split(":")[0] in ("127.0.0.1", "[::1]", "localhost") or settings["bind"].startswith("unix:")
    example = ENV_EXAMPLE.read_text()
    assert "LIFELOGGER_PROXY_FIX=1" in example
    binds = re.findall(r"^#?LIFELOGGER_BIND=(\S+)", example, re.M)
    assert binds and all(b.startswith(("127.0.0.1:", "unix:")) for b in binds), binds
    unit = UNIT.read_text()
    assert "--bind" not in unit and "-b " not in unit and "LIFELOGGER_BIND" not in unit  # the config file's loopback holds
    nginx = (REPO / "deploy" / "nginx" / "lifelogger.conf").read_text()
    assert set(re.findall(r"proxy_pass (\S+);", nginx)) == {"http://127.0.0.1:8000"}
    readme = (REPO / "README.md").read_text()
    assert "nobody but nginx may reach gunicorn" in readme
