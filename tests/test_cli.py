"""``flask users ...``: accounts made by an administrator."""
from tests.support.api import ApiClient


def test_users_create_prompts_for_the_password(app, runner):
    result = runner.invoke(args=["users", "create", "Carol"], input="a long passphrase\na long passphrase\n")
    assert result.exit_code == 0, result.output
    assert "Created user 'carol'" in result.output
    anon = ApiClient(app.test_client())
    assert anon.post("/auth/login", json={"username": "carol", "password": "a long passphrase"}).status_code == 200


def test_users_create_works_when_registration_is_closed(app, runner):
    app.config["ALLOW_REGISTRATION"] = False
    result = runner.invoke(args=["users", "create", "dave", "--password", "a long passphrase"])
    assert result.exit_code == 0, result.output


def test_users_create_refuses_a_taken_name_and_a_short_password(runner):
    assert runner.invoke(args=["users", "create", "erin", "--password", "a long passphrase"]).exit_code == 0
    taken = runner.invoke(args=["users", "create", "ERIN", "--password", "a long passphrase"])
    assert taken.exit_code != 0 and "taken" in taken.output
    short = runner.invoke(args=["users", "create", "frank", "--password", "short"])
    assert short.exit_code != 0 and "8 to 128" in short.output


def test_users_list(runner, make_user):
    make_user("grace")
    result = runner.invoke(args=["users", "list"])
    assert "grace" in result.output and "(0 events)" in result.output


def test_users_create_sets_the_time_zone_and_day_start(app, runner):
    result = runner.invoke(
        args=["users", "create", "heidi", "--password", "a long passphrase", "--timezone", "Europe/Berlin", "--day-starts-at", "04:30"]
    )
    assert result.exit_code == 0, result.output
    assert "time zone Europe/Berlin, days start at 04:30" in result.output
    anon = ApiClient(app.test_client())
    token = anon.post("/auth/login", json={"username": "heidi", "password": "a long passphrase"}).json["token"]
    me = ApiClient(app.test_client(), token).get("/me").json
    assert (me["timezone"], me["day_starts_at"]) == ("Europe/Berlin", "04:30")


def test_users_create_refuses_an_unknown_zone_or_day_start_and_creates_nothing(app, runner):
    zone = runner.invoke(args=["users", "create", "ivan", "--password", "a long passphrase", "--timezone", "Mars/Olympus"])
    assert zone.exit_code == 2 and zone.output.startswith("timezone:")
    start = runner.invoke(args=["users", "create", "ivan", "--password", "a long passphrase", "--day-starts-at", "25:00"])
    assert start.exit_code == 2 and start.output.startswith("day-starts-at:")
    assert "ivan" not in runner.invoke(args=["users", "list"]).output
