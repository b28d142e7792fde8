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


def _key(scope: str, value: str, window: int | None) -> str:
    # Hashed, so any text (a username, an address) makes a valid cache key; the
    # window's number in the key makes each window start again from zero. The key
    # without a window holds until when a reached limit holds.
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
    if window is None:
        return f"limit:{scope}:{digest}:held"
    return f"limit:{scope}:{digest}:{int(time.time() // window)}"


def _held(scope: str, value: str) -> bool:
    """True while a limit `value` reached in `scope` holds."""
    return cache.get(_key(scope, value, None), 0) > time.time()


def count(scope: str, value: str) -> int:
    """How many times `value` was counted in `scope` lately: at least the limit while
    a limit it reached holds."""
    limit, window = settings.ACCOUNT_LIMITS[scope]
    counted = cache.get(_key(scope, value, window), 0)
    return max(counted, limit) if _held(scope, value) else counted


def hit(scope: str, value: str) -> bool:
    """Count one more for `value` in `scope`; False once that is over the limit."""
    limit, window = settings.ACCOUNT_LIMITS[scope]
    held = _held(scope, value)
    key = _key(scope, value, window)
    cache.add(key, 0, timeout=window)
    try:
        total = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        total = 1
    if total >= limit:
        # Reached: it holds a whole window from now, so the next window of the clock
        # does not hand out a fresh allowance a moment later.
        cache.set(_key(scope, value, None), time.time() + window, timeout=window)
    return total <= limit and not held
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
    if username := credentials.get("username"):
        hit("login_per_account", account_key(username))
    hit("login_per_client", client_address(request))
