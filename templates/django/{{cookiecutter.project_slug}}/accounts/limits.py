"""Limits on password guessing: failed logins are counted per account and per client.

The counts live in the default cache, which settings keep in a database table, so
every gunicorn worker sees the same counts. Every login that goes through Django's
authenticate() is covered: the site's, the admin's{% if cookiecutter.api %}, the browsable API's and the
token view's{% endif %}.
"""

import hashlib
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_login_failed
from django.core.cache import cache
from django.db.models import Q
from django.dispatch import receiver


def client_address(request) -> str:
    """The client's address, as the outermost of NUM_PROXIES proxies saw it."""
    if settings.NUM_PROXIES:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        addresses = [address.strip() for address in forwarded if address.strip()]
        if addresses:
            return addresses[-min(settings.NUM_PROXIES, len(addresses))]
    return request.META.get("REMOTE_ADDR", "")


def _key(scope: str, value: str, what: str) -> str:
    # Hashed, so any text (a username, an address) makes a valid cache key.
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
    return f"limit:{scope}:{digest}:{what}"


def _recent(scope: str, value: str, window: int, now: float) -> list[float]:
    """When `value` was counted in `scope` during the last `window` seconds."""
    times = cache.get(_key(scope, value, "times"), [])
    return [at for at in times if at > now - window]


def _held(scope: str, value: str, now: float) -> bool:
    """True while a limit `value` reached in `scope` holds."""
    return cache.get(_key(scope, value, "held"), 0) > now


def count(scope: str, value: str) -> int:
    """How many times `value` was counted in `scope` in the last window: at least the
    limit while a limit it reached holds."""
    limit, window = settings.ACCOUNT_LIMITS[scope]
    now = time.time()
    counted = len(_recent(scope, value, window, now))
    return max(counted, limit) if _held(scope, value, now) else counted


def hit(scope: str, value: str) -> bool:
    """Count one more for `value` in `scope`; False once that is over the limit.

    The window slides: it is always the last `window` seconds, so guesses made on
    both sides of a clock boundary add up. Each entry is kept for its whole window
    (a cache's default timeout would forget a slow guesser).
    """
    limit, window = settings.ACCOUNT_LIMITS[scope]
    now = time.time()
    held = _held(scope, value, now)
    times = [*_recent(scope, value, window, now), now]
    cache.set(_key(scope, value, "times"), times[-limit:], timeout=window)
    if len(times) >= limit:
        # Reached: it holds a whole window from now, not only until the oldest of
        # these leaves the window.
        cache.set(_key(scope, value, "held"), now + window, timeout=window)
    return len(times) <= limit and not held
{%- if cookiecutter.accounts %}


def mail_allowed(request, email: str) -> bool:
    """Count one mail to `email` for this client; False past either limit."""
    address_ok = hit("mail_per_address", email)
    client_ok = hit("mail_per_client", client_address(request))
    return address_ok and client_ok
{%- endif %}


def account_key(identifier: str) -> str:
    """What a login's name counts against: its account, by username or email, in any case."""
    found = (
        get_user_model()
        .objects.filter(Q(username__iexact=identifier) | Q(email__iexact=identifier))
        .values_list("pk", flat=True)
        .first()
    )
    return f"account {found}" if found else identifier


def login_blocked(request, username: str | None) -> bool:
    """True when the account or the client has failed too often lately."""
    account_limit, _ = settings.ACCOUNT_LIMITS["login_per_account"]
    client_limit, _ = settings.ACCOUNT_LIMITS["login_per_client"]
    if username and count("login_per_account", account_key(username)) >= account_limit:
        return True
    return count("login_per_client", client_address(request)) >= client_limit


@receiver(user_login_failed)
def count_failed_login(sender, credentials, request=None, **kwargs):
    """Count a failed login against the account named and the client."""
    if request is None:
        return
    client = client_address(request)
    client_limit, _ = settings.ACCOUNT_LIMITS["login_per_client"]
    # A client already refused adds no more names: made-up names by the thousand
    # would fill the cache table until it culls the counts that matter.
    username = credentials.get("username")
    if username and count("login_per_client", client) < client_limit:
        hit("login_per_account", account_key(username))
    hit("login_per_client", client)
