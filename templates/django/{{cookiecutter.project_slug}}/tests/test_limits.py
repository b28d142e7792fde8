import time
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.urls import reverse

from accounts import limits

PASSWORD = "correct-horse-battery"

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(django_user_model):
    return django_user_model.objects.create_superuser(
        "owner", "owner@example.com", PASSWORD
    )


def admin_login(client, username, password):
    """Post the admin's login form; True when it logged in."""
    response = client.post(
        reverse("admin:login"), {"username": username, "password": password}
    )
    return response.status_code == 302


def test_admin_login_is_refused_after_too_many_failures(client, owner, settings):
    """Past the limit for an account even its right password is refused."""
    allowed, _ = settings.ACCOUNT_LIMITS["login_per_account"]
    for _ in range(allowed):
        assert not admin_login(client, "owner", "wrong")
    assert not admin_login(client, "owner", PASSWORD)


def test_failures_below_the_limit_do_not_lock(client, owner, settings):
    """A user who mistypes a few times still logs in."""
    allowed, _ = settings.ACCOUNT_LIMITS["login_per_account"]
    for _ in range(allowed - 1):
        admin_login(client, "owner", "wrong")
    assert admin_login(client, "owner", PASSWORD)


def test_one_client_guessing_many_accounts_is_refused(client, owner, settings):
    """Failures count per client too, so spreading guesses over usernames does not help."""
    allowed, _ = settings.ACCOUNT_LIMITS["login_per_client"]
    for number in range(allowed):
        admin_login(client, f"guess{number}", "wrong")
    assert not admin_login(client, "owner", PASSWORD)


def test_the_account_limit_counts_any_case_of_the_name(client, owner, settings):
    """OWNER and owner are one account to the limit."""
    allowed, _ = settings.ACCOUNT_LIMITS["login_per_account"]
    for number in range(allowed):
        admin_login(client, "OWNER" if number % 2 else "owner", "wrong")
    assert limits.count("login_per_account", limits.account_key("Owner")) == allowed


def test_the_account_limit_counts_its_email_too(client, owner, settings):
    """Guesses by address and by username use one allowance."""
    allowed, _ = settings.ACCOUNT_LIMITS["login_per_account"]
    for number in range(allowed):
        name = "OWNER@example.com" if number % 2 else "owner"
        admin_login(client, name, "wrong")
    assert not admin_login(client, "owner", PASSWORD)


@pytest.mark.parametrize("name", ["owner", "owner@example.com", "Owner@Example.com"])
def test_log_in_by_username_or_email(client, owner, name):
    """The login name may be the username or the address, in any case."""
    assert admin_login(client, name, PASSWORD)


def test_an_email_with_the_wrong_password_is_refused(client, owner):
    assert not admin_login(client, "owner@example.com", "wrong")
    assert not admin_login(client, "nobody@example.com", PASSWORD)


def test_the_limit_ends_with_its_window(client, owner, settings, monkeypatch):
    """The lock lasts one window, not forever."""
    allowed, window = settings.ACCOUNT_LIMITS["login_per_account"]
    for _ in range(allowed):
        admin_login(client, "owner", "wrong")
    later = time.time() + window
    monkeypatch.setattr(limits, "time", SimpleNamespace(time=lambda: later))
    assert admin_login(client, "owner", PASSWORD)


def test_a_reached_limit_holds_across_the_clocks_next_window(
    client, owner, settings, monkeypatch
):
    """Reached a second before a window ends, the limit still holds a second after."""
    allowed, window = settings.ACCOUNT_LIMITS["login_per_account"]
    boundary = (time.time() // window + 1) * window
    clock = SimpleNamespace(time=lambda: boundary - 1)
    monkeypatch.setattr(limits, "time", clock)
    for _ in range(allowed):
        admin_login(client, "owner", "wrong")
    clock.time = lambda: boundary + 1
    assert not admin_login(client, "owner", PASSWORD)


def test_guesses_on_both_sides_of_a_clock_boundary_add_up(
    client, owner, settings, monkeypatch
):
    """The window slides: half the guesses before a round quarter hour, half after."""
    allowed, window = settings.ACCOUNT_LIMITS["login_per_client"]
    boundary = (time.time() // window + 1) * window
    clock = SimpleNamespace(time=lambda: boundary - 1)
    monkeypatch.setattr(limits, "time", clock)
    for number in range(allowed):
        if number == allowed // 2:
            clock.time = lambda: boundary + 1
        admin_login(client, f"guess{number}", "wrong")
    assert not admin_login(client, "owner", PASSWORD)


def test_a_slow_guesser_is_counted_for_the_whole_window(
    client, owner, settings, monkeypatch
):
    """Counts outlive the cache's default five minutes when the window is longer."""
    from django.core.cache.backends import db

    allowed, window = settings.ACCOUNT_LIMITS["login_per_account"]
    start, real_now = time.time(), db.tz_now()
    for _ in range(allowed - 1):
        admin_login(client, "owner", "wrong")
    later = 400  # past the cache's default 300 seconds, inside the window
    assert later < window
    monkeypatch.setattr(limits, "time", SimpleNamespace(time=lambda: start + later))
    monkeypatch.setattr(db, "tz_now", lambda: real_now + timedelta(seconds=later))
    admin_login(client, "owner", "wrong")
    assert not admin_login(client, "owner", PASSWORD)


def test_a_refused_client_adds_no_more_names(client, owner, settings):
    """Made-up names from a refused client would fill the table until it culls."""
    allowed, _ = settings.ACCOUNT_LIMITS["login_per_client"]
    for number in range(allowed):
        admin_login(client, f"guess{number}", "wrong")
    for number in range(allowed, allowed + 20):
        admin_login(client, f"guess{number}", "wrong")
    assert all(
        limits.count("login_per_account", f"guess{number}") == 0
        for number in range(allowed, allowed + 20)
    )
    assert limits.count("login_per_account", "guess0") == 1


def test_counts_are_kept_in_the_database_cache():
    """A table every gunicorn worker reads, not one worker's memory."""
    from {{ cookiecutter.project_slug }} import settings

    backend = settings.CACHES["default"]["BACKEND"]
    assert backend == "django.core.cache.backends.db.DatabaseCache"


def test_behind_proxies_the_forwarded_address_is_the_client(rf, settings):
    """The proxy's own address would make one client's failures lock out everyone."""
    request = rf.get("/", REMOTE_ADDR="10.0.0.1")
    request.META["HTTP_X_FORWARDED_FOR"] = "forged, 203.0.113.7"
    assert limits.client_address(request) == "10.0.0.1"
    settings.NUM_PROXIES = 1
    assert limits.client_address(request) == "203.0.113.7"
