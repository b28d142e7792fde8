import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _development_static_files(settings):
    """Run tests over plain HTTP with unhashed static files, so they need no collectstatic."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }
    settings.WHITENOISE_AUTOREFRESH = True
    settings.SECURE_SSL_REDIRECT = False


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Hash test passwords with a fast, weak hasher: the real one is slow by design."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache(settings):
    """Each test starts with an empty cache in memory, so counts such as limits do not carry over."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    }
    cache.clear()
{%- if cookiecutter.tasks %}


@pytest.fixture(autouse=True)
def _tasks_at_once(settings):
    """Run tasks as they are enqueued, in the test, with django-tasks' immediate backend."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    }
{%- endif %}
{%- if cookiecutter.accounts and not cookiecutter.tasks %}


@pytest.fixture(autouse=True)
def _mail_at_once(settings):
    """Send the account pages' mail before the response, so tests see it in mailoutbox."""
    settings.MAIL_IN_BACKGROUND = False
{%- endif %}
