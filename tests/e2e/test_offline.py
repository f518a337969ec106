"""The installable app offline: taps kept on the device, sent once, with their real instants.

Chromium's network is switched off and on with Playwright's offline mode
(``context.set_offline``), which also cuts the service worker's own fetches;
``watch.set_offline`` does it and expects the net::ERR_INTERNET_DISCONNECTED
errors Chromium logs meanwhile (only those, only then).
"""
import re
import time
from datetime import datetime, timedelta, timezone

import pytest
from playwright.sync_api import expect
from tests.support.api import PASSWORD
from tests.support.factories import set_import_lease

# queue.js sends a tap older than this with its instant (a younger one as "now").
PROMPT_SECONDS = 2
# How far the server's instant of a tap may be from when the test tapped:
# instants are whole seconds, and clicks take a moment.
SLACK = timedelta(seconds=2)


def now() -> datetime:
    return datetime.now(timezone.utc)


def instant(text: str) -> datetime:
    return datetime.fromisoformat(text)


def ready_for_offline(page) -> None:
    """Wait until the tracker shows the labels and the service worker is active (the shell cached).

    Whether this page itself is controlled does not matter: a page whose
    navigation was under way while the worker activated stays uncontrolled,
    but the next navigation (an offline reload included) goes through the worker.
    """
    expect(page.locator("#label-buttons button").first).to_be_visible()
    # (page.evaluate, not wait_for_function: the pages' CSP forbids the eval the latter needs.)
    active = page.evaluate(
        """async () => {
            const activated = (async () => {
                const worker = (await navigator.serviceWorker.ready).active;
                while (worker.state !== "activated") await new Promise((resolve) => worker.addEventListener("statechange", resolve, { once: true }));
                return true;
            })();
            return Promise.race([activated, new Promise((resolve) => setTimeout(() => resolve(false), 20000))]);
        }"""
    )
    assert active, "the service worker did not activate within 20 s"


def server_events(live_server, token: str) -> list[dict]:
    day = timedelta(days=1)
    query = f"?start={(now() - day).isoformat()}&end={(now() + day).isoformat()}".replace("+", "%2B")
    status, answer = live_server.api("GET", "/events" + query, token=token)
    assert status == 200
    return answer["events"]


def assert_close(text: str, expected: datetime) -> None:
    assert abs(instant(text) - expected) <= SLACK, f"{text} is not within {SLACK} of {expected.isoformat()}"


def wait_past_prompt(page) -> None:
    """Let a tap grow old enough to be sent with its own instant."""
    page.wait_for_timeout(PROMPT_SECONDS * 1000 + 600)


def taps_waiting(page, username: str) -> int:
    return page.evaluate("(name) => import('/static/app/js/queue.js').then((q) => q.waiting(name)).then((t) => t.length)", username)


def test_the_app_is_installable_and_its_pages_open_offline(page, live_server, make_user, login, watch):
    username, _ = make_user(labels=["Reading"])
    login(username)
    ready_for_offline(page)
    cdp = page.context.new_cdp_session(page)
    manifest = cdp.send("Page.getAppManifest")
    assert manifest["url"] == live_server.url + "/manifest.webmanifest"
    assert manifest["errors"] == []
    # Chromium's own install check; Playwright's browser contexts are incognito, which
    # alone blocks installing, so that is the one reason allowed here.
    reasons = [error["errorId"] for error in cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]]
    assert reasons == ["in-incognito"]

    caches = page.evaluate(
        """async () => {
            const names = await caches.keys();
            const urls = [];
            for (const name of names) for (const request of await (await caches.open(name)).keys()) urls.push(new URL(request.url).pathname);
            return { names, urls };
        }"""
    )
    assert len(caches["names"]) == 1 and caches["names"][0].startswith("lifelogger-shell-")
    for path in ("/", "/timeline", "/login", "/static/app/app.css", "/static/app/js/queue.js", "/static/vendor/chartjs/chart.umd.min.js", "/static/app/icon-512.png"):
        assert path in caches["urls"]
    assert not [url for url in caches["urls"] if url.startswith("/api/")]

    # A page opened by navigating while Playwright is offline still says navigator.onLine
    # (as real browsers do behind a dead Wi-Fi): its API calls fail, Chromium logs
    # that (expected while offline), and the pages carry on with what the tab kept.
    watch.set_offline(page.context, True)
    for path, heading in (("/timeline", "Timeline"), ("/labels", "Labels"), ("/login", "Log in")):
        response = page.goto(path)
        assert response.from_service_worker, path
        expect(page).to_have_title(re.compile(f"^{heading}"))
    page.goto("/")
    expect(page.get_by_role("button", name="Start Reading")).to_be_visible()
    expect(page.locator("#sync-status")).to_have_text("Offline — taps are kept on this device and sent when the connection returns.")


def test_a_deploy_replaces_the_cached_shell(page, live_server, make_user, login):
    username, _ = make_user(labels=["Reading"])
    login(username)
    ready_for_offline(page)
    [before] = page.evaluate("caches.keys()")
    assert before != "lifelogger-shell-0123456789abcdef"  # else the wait below proves nothing
    # A deploy that changes a file changes the hash the cache is named after.
    live_server.app.extensions["lifelogger_shell_version"] = "0123456789abcdef"
    try:
        page.evaluate("navigator.serviceWorker.getRegistration().then((registration) => registration.update())")
        # The cache names once they are the new deploy's alone, or as they are after 20 s.
        after = page.evaluate(
            """async () => {
                const deadline = Date.now() + 20000;
                let names = await caches.keys();
                while (JSON.stringify(names) !== '["lifelogger-shell-0123456789abcdef"]' && Date.now() < deadline) {
                    await new Promise((resolve) => setTimeout(resolve, 100));
                    names = await caches.keys();
                }
                return names;
            }"""
        )
    finally:
        del live_server.app.extensions["lifelogger_shell_version"]
    assert after == ["lifelogger-shell-0123456789abcdef"], "the new deploy's cache replaces the old one within 20 s"


def test_taps_made_offline_reach_the_server_once_with_their_instants(page, live_server, make_user, login, watch):
    username, token = make_user(labels=["Reading", "Writing"])
    posts, api_from_worker = [], []
    page.on("request", lambda request: request.method == "POST" and "/api/v1/events/" in request.url and posts.append(request.url))
    page.on("response", lambda response: "/api/" in response.url and response.from_service_worker and api_from_worker.append(response.url))
    login(username)
    ready_for_offline(page)
    sync = page.locator("#sync-status")
    now_label = page.locator("#now-label")

    watch.set_offline(page.context, True)
    expect(sync).to_have_text("Offline — taps are kept on this device and sent when the connection returns.")
    expect(sync).to_have_attribute("aria-live", "polite")  # read out when it changes
    page.get_by_label("Note").fill("Dune, offline")
    started_reading = now()
    page.get_by_role("button", name="Start Reading").click()
    expect(now_label).to_have_text("Reading")
    expect(sync).to_have_text("Offline — 1 change waiting")
    expect(page.locator("#notice")).to_have_text("Started Reading. Offline: it will be sent when the connection returns.")
    wait_past_prompt(page)
    started_writing = now()
    page.get_by_role("button", name="Start Writing").click()
    expect(now_label).to_have_text("Writing")
    expect(sync).to_have_text("Offline — 2 changes waiting")

    # A reload without a network: the page from the service worker, the taps from IndexedDB.
    response = page.reload()
    assert response.from_service_worker
    expect(now_label).to_have_text("Writing")
    expect(page.get_by_role("button", name="Start Writing")).to_have_attribute("aria-pressed", "true")
    expect(sync).to_have_text("Offline — 2 changes waiting")
    wait_past_prompt(page)
    stopped = now()
    page.get_by_role("button", name="Stop").click()
    expect(now_label).to_have_text("Nothing running.")
    expect(sync).to_have_text("Offline — 3 changes waiting")
    assert posts == [] and server_events(live_server, token) == []

    watch.set_offline(page.context, False)
    expect(sync).to_have_text("")
    expect(now_label).to_have_text("Nothing running.")
    events = server_events(live_server, token)
    assert [event["label"] for event in events] == ["Reading", "Writing"]
    reading, writing = events
    assert_close(reading["started_at"], started_reading)
    assert (reading["note"], writing["note"]) == ("Dune, offline", None)
    assert reading["ended_at"] == writing["started_at"]
    assert_close(writing["started_at"], started_writing)
    assert_close(writing["ended_at"], stopped)
    assert [url.rsplit("/", 1)[1] for url in posts] == ["start", "start", "stop"]
    assert taps_waiting(page, username) == 0
    assert api_from_worker == [], "the service worker never answers for the API"


def test_an_answer_lost_on_the_way_is_not_applied_twice(page, live_server, make_user, login, watch):
    username, token = make_user(labels=["Reading"])
    login(username)
    ready_for_offline(page)
    replays = []
    page.on("response", lambda response: "/events/start" in response.url and replays.append(response.headers.get("idempotent-replayed")))

    def lose_the_answer(route):
        route.fetch()  # the server acts...
        watch.set_offline(page.context, True)  # ...and the connection drops before the answer arrives
        route.abort("internetdisconnected")

    page.context.route("**/api/v1/events/start", lose_the_answer, times=1)
    tapped = now()
    page.get_by_role("button", name="Start Reading").click()
    sync = page.locator("#sync-status")
    expect(sync).to_have_text("Offline — 1 change waiting")
    expect(page.locator("#now-label")).to_have_text("Reading")
    assert len(server_events(live_server, token)) == 1, "the server did act on the first send"

    wait_past_prompt(page)
    watch.set_offline(page.context, False)
    expect(sync).to_have_text("")
    events = server_events(live_server, token)
    assert len(events) == 1, "sent twice, applied once"
    assert events[0]["ended_at"] is None
    assert_close(events[0]["started_at"], tapped)
    assert replays == ["true"], "the second send got the first answer replayed"


def test_a_server_error_keeps_the_tap_for_the_next_retry(page, live_server, make_user, login, watch):
    watch.allow_http_errors(503)
    username, token = make_user(labels=["Reading"])
    # The page's timers run on Playwright's clock (real time, which the test may
    # jump ahead), so the 15 s retry is not waited for in real time.
    page.clock.install()
    login(username)
    ready_for_offline(page)
    unavailable = {"code": 503, "status": "Service Unavailable", "message": "The service is temporarily unavailable."}
    page.context.route("**/api/v1/events/start", lambda route: route.fulfill(status=503, json=unavailable), times=1)
    tapped = now()
    page.get_by_role("button", name="Start Reading").click()
    sync = page.locator("#sync-status")
    expect(sync).to_have_text("Sending — 1 change waiting")
    assert server_events(live_server, token) == []
    # No online event this time: the periodic retry (every 15 s) sends it. The
    # clock jumps past it; it also goes on in real time, so a retry that the
    # jump did not catch comes in real time, within the old 25 s wait.
    page.clock.run_for(16_000)
    expect(sync).to_have_text("", timeout=25000)
    [event] = server_events(live_server, token)
    assert_close(event["started_at"], tapped)


def test_a_tap_the_server_refuses_is_explained_and_dropped(page, live_server, make_user, login, watch):
    watch.allow_http_errors(409, 422)
    username, token = make_user(labels=["Reading", "Writing"])
    login(username)
    ready_for_offline(page)
    watch.set_offline(page.context, True)
    page.get_by_role("button", name="Start Reading").click()
    expect(page.locator("#sync-status")).to_have_text("Offline — 1 change waiting")
    wait_past_prompt(page)
    # Meanwhile, on another device, Writing was started (after the offline tap).
    assert live_server.api("POST", "/events/start", {"label": "Writing"}, token=token)[0] == 201

    watch.set_offline(page.context, False)
    expect(page.locator("#sync-status")).to_have_text("")
    expect(page.locator("#notice")).to_have_text(
        re.compile(r"^Your start of “Reading” at \d\d:\d\d was not saved: something was started after it meanwhile \(on another device or tab\)\.$")
    )
    expect(page.locator("#now-label")).to_have_text("Writing")
    assert [event["label"] for event in server_events(live_server, token)] == ["Writing"]

    # A Stop tapped offline for an event another device stopped meanwhile.
    watch.set_offline(page.context, True)
    page.get_by_role("button", name="Stop").click()
    expect(page.locator("#now-label")).to_have_text("Nothing running.")
    assert live_server.api("POST", "/events/stop", token=token)[0] == 200
    watch.set_offline(page.context, False)
    expect(page.locator("#notice")).to_have_text(re.compile(r"^Your Stop at \d\d:\d\d was not saved: nothing was running any more\.$"))
    expect(page.locator("#sync-status")).to_have_text("")
    assert taps_waiting(page, username) == 0


def test_taps_wait_through_a_login_and_are_sent_only_for_their_owner(page, live_server, make_user, login, watch):
    watch.allow_http_errors(401)
    # (A refresh (running event, goals) may fall in the offline spell on a slow machine: watch.set_offline expects that.)
    owner, owner_token = make_user(labels=["Reading"])
    other, other_token = make_user(labels=["Reading"])
    login(owner)
    ready_for_offline(page)
    watch.set_offline(page.context, True)
    tapped = now()
    page.get_by_role("button", name="Start Reading").click()
    expect(page.locator("#sync-status")).to_have_text("Offline — 1 change waiting")
    wait_past_prompt(page)
    session = page.evaluate("sessionStorage.getItem('lifelogger.token')")
    assert live_server.api("POST", "/auth/logout", token=session)[0] == 204  # the session ends meanwhile

    watch.set_offline(page.context, False)
    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.get_by_role("status")).to_have_text("Your session has expired or was ended. Log in again to send the change made on this device.")
    assert taps_waiting(page, owner) == 1

    # Someone else logs in on this browser: the owner's tap is not theirs to send.
    page.get_by_label("Username").fill(other)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Start Reading")).to_be_visible()
    expect(page.locator("#sync-status")).to_have_text("")
    page.wait_for_load_state("networkidle")
    assert server_events(live_server, other_token) == []
    assert taps_waiting(page, owner) == 1
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/login$"))

    login(owner)
    expect(page.locator("#now-label")).to_have_text("Reading")
    expect(page.locator("#sync-status")).to_have_text("")
    [event] = server_events(live_server, owner_token)
    assert event["ended_at"] is None
    assert_close(event["started_at"], tapped)
    assert taps_waiting(page, owner) == 0


def test_offline_errors_are_expected_only_while_offline():
    """The watch's own contract (no browser): what set_offline lets through, and what still fails a test."""
    from tests.support.browser import PageWatch

    class Context:
        def set_offline(self, offline):
            pass

    watch = PageWatch("http://127.0.0.1:1")
    lost = "Failed to load resource: net::ERR_INTERNET_DISCONNECTED"
    watch._on_error(lost)  # online: nothing should fail like that
    watch.set_offline(Context(), True)
    watch._on_error(lost)
    watch._on_error("Failed to load resource: net::ERR_CONNECTION_REFUSED")
    watch._on_error("uncaught: TypeError: x is undefined")
    watch.set_offline(Context(), False)
    watch._on_error(lost)
    assert watch.offline_errors == [lost]
    assert watch.unexpected_errors() == [lost, "Failed to load resource: net::ERR_CONNECTION_REFUSED", "uncaught: TypeError: x is undefined", lost]


def test_a_tap_while_an_import_writes_into_the_log_is_sent_after_its_retry_after(page, live_server, make_user, login, watch):
    """The server's own 503 (an import of this user holds the log), not a stubbed one: the tap
    waits on the device and is sent again after the answer's Retry-After (2 s), not the 15 s retry."""

    watch.allow_http_errors(503)
    username, token = make_user(labels=["Reading"])
    page.clock.install()
    login(username)
    ready_for_offline(page)
    # From here the page's timers fire only when the test runs its clock: the 15 s retry cannot.
    tapped = now() + timedelta(seconds=1)  # the page's "now" from here on
    page.clock.pause_at(tapped)
    time.sleep(1.5)  # real time, past the paused one: the tap's instant is never in the server's future
    set_import_lease(live_server.app, username, "an-import-writing", now() + timedelta(seconds=60))
    page.get_by_role("button", name="Start Reading").click()
    sync = page.locator("#sync-status")
    expect(sync).to_have_text("Sending — 1 change waiting")
    assert server_events(live_server, token) == []
    set_import_lease(live_server.app, username, None, None)  # the import is done
    page.clock.run_for(2_500)
    expect(sync).to_have_text("")
    [event] = server_events(live_server, token)
    assert_close(event["started_at"], tapped)
