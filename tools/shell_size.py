"""How much the service worker stores when it installs: the files of the app shell and their size.

    .venv/bin/python tools/shell_size.py
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lifelogger import create_app  # noqa: E402
from lifelogger.ui.pwa import shell_urls  # noqa: E402


def main() -> None:
    app = create_app({"TESTING": True, "DATABASE_URL": "sqlite://", "SECRET_KEY": "shell-size"})
    client = app.test_client()
    with app.test_request_context():
        urls = shell_urls()
    sizes = {}
    for url in urls:
        with client.get(url) as response:
            sizes[url] = len(response.data)
    total = sum(sizes.values())
    largest = max(sizes, key=sizes.get)
    print(f"{len(urls)} files, {total / 1024:.0f} KiB; largest {largest} ({sizes[largest] / 1024:.0f} KiB)")


if __name__ == "__main__":
    main()
