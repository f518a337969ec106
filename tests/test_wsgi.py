"""The production entry point (``wsgi:app``, what gunicorn serves)."""
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_it_freezes_what_it_built_at_startup(tmp_path):
    """Startup objects stay out of full garbage-collection passes (a year's listing
    otherwise paid ~50 ms for one now and then: docs/performance.md)."""
    env = {
        **os.environ,
        "LIFELOGGER_DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
        "LIFELOGGER_SECRET_KEY": "test",
    }
    probe = "import gc, wsgi; print(gc.get_freeze_count())"
    result = subprocess.run([sys.executable, "-c", probe], cwd=REPO, env=env, capture_output=True, text=True, check=True)
    assert int(result.stdout.strip()) > 10_000  # the app's modules and objects, not a handful
