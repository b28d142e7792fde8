"""WSGI config for {{ cookiecutter.project_name }}: gunicorn serves `{{ cookiecutter.project_slug }}.wsgi`.

https://docs.djangoproject.com/en/5.2/howto/deployment/wsgi/
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "{{ cookiecutter.project_slug }}.settings")

application = get_wsgi_application()
