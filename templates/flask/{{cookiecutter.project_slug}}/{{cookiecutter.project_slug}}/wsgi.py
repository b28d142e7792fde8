"""The WSGI entry point, for gunicorn and other WSGI servers (see README.md)."""

from {{ cookiecutter.project_slug }} import create_app

app = create_app()
