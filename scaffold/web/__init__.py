"""The questionnaire as a web page: ``scaffold web`` locally, or ``create_app()`` under WSGI."""

from __future__ import annotations

from scaffold.web.app import create_app

__all__ = ["create_app"]
