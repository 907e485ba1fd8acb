"""Sign-in, token expiry, throttling, roles and ownership over real HTTP."""

from __future__ import annotations

import requests

from tests.support import Api


def login(base: str, username: str, password: str) -> requests.Response:
    return requests.post(
        f"{base}/api/v1/auth/login", json={"username": username, "password": password}, timeout=30
    )


def test_sign_in_returns_expiring_token_and_me(live, demo_users):
    """A correct password gives a bearer token that identifies the user."""
    answer = login(live.url, "tara", "scribedesk")
    assert answer.status_code == 200
    assert answer.json()["user"]["role"] == "transcriptionist"
    me = Api(live.url, answer.json()["token"]).get("/auth/me")
    assert me.json()["username"] == "tara"


def test_wrong_password_is_refused_with_readable_json(live, demo_users):
    """A wrong password or unknown user gets the same 401 sentence."""
    wrong = login(live.url, "tara", "nope-nope")
    unknown = login(live.url, "nobody", "nope-nope")
    assert wrong.status_code == unknown.status_code == 401
    assert (
        wrong.json()
        == unknown.json()
        == {"detail": "Wrong user name or password.", "code": "unauthorized"}
    )


def test_repeated_failures_throttle_the_account(live, demo_users):
    """After five wrong passwords even the right one is refused for a while (429)."""
    for _ in range(5):
        assert login(live.url, "theo", "guess-guess").status_code == 401
    blocked = login(live.url, "theo", "scribedesk")
    assert blocked.status_code == 429
    assert int(blocked.headers["Retry-After"]) > 0
    assert "Too many failed sign-ins" in blocked.json()["detail"]


def failed_logins_from(base: str, addresses: list[str]) -> list[int]:
    """One wrong sign-in per address (a different user name each, so only the per-address
    count can lock), each claiming its address in X-Forwarded-For."""
    return [
        requests.post(
            f"{base}/api/v1/auth/login",
            json={"username": f"nobody{index}", "password": "guess-guess"},
            headers={"X-Forwarded-For": address},
            timeout=30,
        ).status_code
        for index, address in enumerate(addresses)
    ]


def test_a_forwarded_address_does_not_escape_the_throttle(live, demo_users):
    """By default X-Forwarded-For is not believed, even from the loopback address: a
    client making up a new address per try is still counted as the one it is."""
    invented = [f"198.51.100.{n}" for n in range(1, 22)]
    assert failed_logins_from(live.url, invented) == [401] * 20 + [429]


def test_a_configured_proxy_passes_on_each_clients_address(live, demo_users, settings):
    """With the reverse proxy named in SCRIBEDESK_TRUSTED_PROXIES, the address it forwards
    is the one counted: one client locked out does not lock out the office."""
    from tests.pgserver import free_port
    from tests.support import serve_on

    behind = settings.with_overrides(trusted_proxies="127.0.0.1/32")
    server, thread = serve_on(behind, free_port())
    try:
        base = f"http://127.0.0.1:{server.config.port}"
        assert failed_logins_from(base, ["203.0.113.7"] * 21)[-1] == 429
        other = requests.post(
            f"{base}/api/v1/auth/login",
            json={"username": "tara", "password": "scribedesk"},
            headers={"X-Forwarded-For": "203.0.113.8"},
            timeout=30,
        )
        assert other.status_code == 200
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def test_expired_token_is_refused(live, demo_users, clock):
    """A token older than its lifetime gets 401 and a request to sign in again."""
    tara = Api.login(live.url, "tara")
    clock.advance(13 * 3600)
    answer = tara.get("/auth/me")
    assert answer.status_code == 401
    assert "expired" in answer.json()["detail"]


def test_logout_ends_the_token(live, demo_users):
    """After sign-out the same token no longer works."""
    tara = Api.login(live.url, "tara")
    assert tara.post("/auth/logout").status_code == 204
    assert tara.get("/auth/me").status_code == 401


def test_missing_or_garbage_token(live, demo_users):
    """No token, a garbage token: 401 with JSON, never a crash."""
    assert requests.get(f"{live.url}/api/v1/jobs", timeout=10).status_code == 401
    garbage = Api(live.url, "not-a-real-token").get("/jobs")
    assert garbage.status_code == 401 and garbage.json()["code"] == "unauthorized"


def test_only_admin_creates_users_and_deactivation_blocks_sign_in(live, demo_users):
    """An admin adds and deactivates users; a supervisor cannot create them."""
    ada, sam = Api.login(live.url, "ada"), Api.login(live.url, "sam")
    new = {
        "username": "nina",
        "display_name": "Nina",
        "role": "transcriptionist",
        "password": "long-enough",
    }
    assert sam.post("/users", json=new).status_code == 403
    created = ada.post("/users", json=new)
    assert created.status_code == 201
    assert ada.post("/users", json=new).status_code == 409
    nina = Api.login(live.url, "nina", "long-enough")
    assert ada.patch(f"/users/{created.json()['id']}", json={"active": False}).status_code == 200
    assert nina.get("/auth/me").status_code == 401
    assert login(live.url, "nina", "long-enough").status_code == 401


def test_short_password_and_bad_username_are_refused(live, demo_users):
    """Weak passwords and odd user names get a 422 that says what is wrong."""
    ada = Api.login(live.url, "ada")
    short = ada.post("/users", json={"username": "bob", "role": "author", "password": "short"})
    assert short.status_code == 422 and "password" in short.json()["detail"]
    odd = ada.post(
        "/users", json={"username": "Bob Smith!", "role": "author", "password": "long-enough"}
    )
    assert odd.status_code == 422 and "user name" in odd.json()["detail"]
