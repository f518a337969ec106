"""The "Query your data" page shell: its repository link and its generated examples."""
import configparser
import html
import json
import re
from pathlib import Path

import pytest

SETUP_CFG = Path(__file__).resolve().parent.parent / "setup.cfg"


def page_text(client) -> str:
    with client.get("/query") as response:
        assert response.status_code == 200
        return response.get_data(as_text=True)


def test_view_on_github_links_the_projects_repository_from_setup_cfg(client):
    metadata = configparser.ConfigParser()
    metadata.read(SETUP_CFG)
    repository = metadata["metadata"]["url"]
    assert repository.startswith("https://github.com/")
    text = page_text(client)
    assert f'<a class="button" href="{repository}" rel="noopener noreferrer">View on GitHub</a>' in text
    assert "LIFELOGGER_SOURCE_URL" not in text  # no configuration hint for the people using the app


@pytest.mark.app_config(SOURCE_URL="https://git.example.org/me/lifelogger-fork")
def test_the_source_url_setting_points_it_at_a_fork(client):
    assert 'href="https://git.example.org/me/lifelogger-fork"' in page_text(client)


def test_the_example_responses_list_every_field_of_the_response_schemas(client):
    text = page_text(client)
    blocks = dict(re.findall(r'<code id="response-([\w-]+)"[^>]*>// Response\n(.*?)</code>', text, re.S))
    examples = {name: json.loads(html.unescape(body)) for name, body in blocks.items()}
    assert list(examples["me"]) == ["id", "username", "display_name", "created_at", "timezone", "day_starts_at", "forgotten_after_minutes"]
    assert list(examples["events"]["events"][0]) == ["id", "label", "started_at", "ended_at", "note"]
    assert set(examples) == {"me", "labels", "events", "stats", "daily"}
