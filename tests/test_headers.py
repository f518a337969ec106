"""Security headers on every response; no caching of personal data."""


def test_api_responses_are_not_cached_and_not_sniffed(user):
    response = user.get("/me")
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_errors_carry_the_headers_too(anon):
    response = anon.get("/me")
    assert response.status_code == 401
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"


def test_html_pages_get_a_strict_script_policy(client):
    with client.get("/api/v1/docs") as response:
        policy = response.headers["Content-Security-Policy"]
    script_src = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
    assert script_src.split() == ["script-src", "'self'"]
    assert "frame-ancestors 'none'" in policy
