import pytest


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
